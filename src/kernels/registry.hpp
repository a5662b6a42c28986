// Every kernel variant compiled into this build, for the tests (each against the reference) and
// the benchmarks (each timed side by side). Entry 0 is the scalar reference; the variant the
// library uses is marked `active`.
#pragma once

#include <cstddef>

namespace lastlayer::kernels {

struct Variant {
  const char* name;
  std::size_t lanes;  // floats per vector; tests cover every length from 1 to 2 * lanes + 1
  bool active;        // the one kernels.hpp forwards to
  // Soft-max always shifted by the max (the reference and compact back ends; the others shift by
  // 0 when the max is in [0, 64], see softmax_shift): equal logits then give exactly 1/n.
  bool shifts_by_max;
  void (*logits)(const float* w, std::size_t stride, const float* b, const float* x, std::size_t d,
                 std::size_t classes, float* z);
  void (*rank_one_update)(float* w, std::size_t stride, float* b, const float* g, float lr,
                          const float* x, std::size_t d, std::size_t classes);
  void (*accumulate_outer)(float* gw, std::size_t stride, float* gb, const float* g, const float* x,
                           std::size_t d, std::size_t classes);
  void (*subtract_scaled)(float* w, float* b, const float* gw, const float* gb, float c,
                          std::size_t stride, std::size_t d, std::size_t classes);
  float (*max_value)(const float* z, std::size_t n);
  void (*softmax)(const float* z, float* q, std::size_t n);
  void (*log_softmax)(const float* z, float* q, std::size_t n);
  float (*logsumexp)(const float* z, std::size_t n);
  void (*exp)(const float* z, float* q, std::size_t n);  // the soft-max domain: z <= 64
  // z becomes softmax(z) - t (t = target, or the one-hot of label when target is null); returns
  // max |g|, or NaN for a NaN or Inf logit. Null for the reference, which has no fused form.
  float (*softmax_residual)(float* z, std::size_t n, std::size_t label, const float* target);
  // rank_one_update with x_prev, then logits of x with *x_max = max |x|, in one pass over W.
  // The reference makes the two calls.
  void (*update_then_logits)(float* w, std::size_t stride, float* b, const float* g, float lr,
                             const float* x_prev, const float* x, std::size_t d,
                             std::size_t classes, float* z, float* x_max);
};

// The variants, reference first.
const Variant* variants(std::size_t* count);

}  // namespace lastlayer::kernels
