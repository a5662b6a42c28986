// The kernels the algorithms call: the vectorized kernels (dense.hpp, softmax.hpp) instantiated
// for the vector back end of this build (backend.hpp). reference.hpp keeps the scalar truth they
// are tested against; registry.hpp lists every variant for the tests and benchmarks.
#pragma once

#include <cstddef>
#include <limits>
#include <type_traits>

#include "kernels/backend.hpp"
#include "kernels/dense.hpp"
#include "kernels/reference.hpp"
#include "kernels/softmax.hpp"
#include "lastlayer/layout.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer::kernels {

#if defined(LASTLAYER_VECTOR_XSIMD)
// With xsimd (wide vectors) the matrix kernels specialize for short rows (dense.hpp,
// with_row_vectors), so they are compiled once, in matrix.cpp, rather than again in every file
// that calls them. (The other back ends have no such copies and keep them inline: on Cortex-M4F
// the extra call would cost instructions on every step.)
extern template void logits<Active>(const float*, std::size_t, const float*, const float*,
                                    std::size_t, std::size_t, float*, float*);
extern template void rank_one_update<Active>(float*, std::size_t, float*, const float*, float,
                                             const float*, std::size_t, std::size_t);
extern template void update_then_logits<Active>(float*, std::size_t, float*, const float*, float,
                                                const float*, const float*, std::size_t,
                                                std::size_t, float*, float*);
extern template void accumulate_outer<Active>(float*, std::size_t, float*, const float*,
                                              const float*, std::size_t, std::size_t);
#endif

// The vectorized matrix kernels read and write whole vectors of each row, so they need the
// model layout: rows a nonzero multiple of kRowPadFloats apart, zeros after column D. Callers
// with other layouts (a packed triangle, rows of D + 1 floats) get the reference loops instead.
inline bool padded_rows(std::size_t stride) {
  return stride != 0 && stride % kRowPadFloats == 0;
}

// z = W x + b; with x_max non-null also *x_max = max |x|, which does not flag NaN or Inf
// features: they make every logit NaN or Inf, for the caller's check of z.
inline void logits(const float* w, std::size_t stride, const float* b, const float* x,
                   std::size_t d, std::size_t classes, float* z, float* x_max = nullptr) {
  if (!padded_rows(stride)) {
    if (x_max != nullptr) *x_max = kernels::max_abs<Active>(x, d);
    return reference::logits(w, stride, b, x, d, classes, z);
  }
  kernels::logits<Active>(w, stride, b, x, d, classes, z, x_max);
}
inline void rank_one_update(float* w, std::size_t stride, float* b, const float* g, float lr,
                            const float* x, std::size_t d, std::size_t classes) {
  if (!padded_rows(stride)) return reference::rank_one_update(w, stride, b, g, lr, x, d, classes);
  kernels::rank_one_update<Active>(w, stride, b, g, lr, x, d, classes);
}
inline void update_then_logits(float* w, std::size_t stride, float* b, const float* g, float lr,
                               const float* x_prev, const float* x, std::size_t d,
                               std::size_t classes, float* z, float* x_max) {
  if (!padded_rows(stride)) {
    reference::rank_one_update(w, stride, b, g, lr, x_prev, d, classes);
    logits(w, stride, b, x, d, classes, z, x_max);
    return;
  }
  kernels::update_then_logits<Active>(w, stride, b, g, lr, x_prev, x, d, classes, z, x_max);
}
inline void accumulate_outer(float* gw, std::size_t stride, float* gb, const float* g,
                             const float* x, std::size_t d, std::size_t classes) {
  if (!padded_rows(stride)) return reference::accumulate_outer(gw, stride, gb, g, x, d, classes);
  kernels::accumulate_outer<Active>(gw, stride, gb, g, x, d, classes);
}
inline void subtract_scaled(float* w, float* b, const float* gw, const float* gb, float c,
                            std::size_t stride, std::size_t d, std::size_t classes) {
  if (!padded_rows(stride)) return reference::subtract_scaled(w, b, gw, gb, c, stride, d, classes);
  kernels::subtract_scaled<Active>(w, b, gw, gb, c, stride, d, classes);
}
inline void softmax(const float* z, float* q, std::size_t n) {
  kernels::softmax<Active>(z, q, n);
}
inline void log_softmax(const float* z, float* q, std::size_t n) {
  kernels::log_softmax<Active>(z, q, n);
}
inline float logsumexp(const float* z, std::size_t n) {
  return kernels::logsumexp<Active>(z, n);
}
// max |x[j]| of n values, or NaN when any is NaN or Inf: a feature or logit check in one pass.
inline float max_abs(const float* x, std::size_t n) {
  return kernels::max_abs<Active>(x, n);
}

// ok and *x_max = max |x[j]| when all d features are finite; non_finite for a NaN or Inf;
// invalid_argument for a null x. One vectorized pass.
inline Status check_features(const float* x, std::size_t d, float* x_max) {
  if (x == nullptr) return Status::invalid_argument;
  const float m = max_abs(x, d);
  // `!(m <= max)` is true for NaN and Inf alike.
  if (!(m <= std::numeric_limits<float>::max())) return Status::non_finite;
  *x_max = m;
  return Status::ok;
}

// z (n logits) becomes g = softmax(z) - t, t = target or the one-hot of label (target null);
// returns max |g|, or NaN when a logit is NaN or Inf (z is then left as it was).
inline float softmax_residual(float* z, std::size_t n, std::size_t label, const float* target) {
  if constexpr (!std::is_same_v<ShortResidual, Active>) {
    if (n <= 2 * ShortResidual::lanes) {
      return kernels::softmax_residual<ShortResidual>(z, n, label, target);
    }
  }
  return kernels::softmax_residual<Active>(z, n, label, target);
}

inline float cross_entropy(const float* z, std::size_t n, std::size_t label) {
  return kernels::cross_entropy<Active>(z, n, label);
}
inline float cross_entropy(const float* z, const float* t, std::size_t n) {
  return kernels::cross_entropy<Active>(z, t, n);
}

}  // namespace lastlayer::kernels
