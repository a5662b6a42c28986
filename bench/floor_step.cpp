// The floor under the 64 x 10 training step on an AVX-512 core (row "step/floor/64x10"): the
// library's step, with its checks and its exp, written for this one shape alone. The logits,
// the soft-max residual and the update stay in registers, the sizes are constants, and nothing
// is called. It is not a kernel of the library: its ratio to the library's row shows what the
// general kernels (any D and K, every back end) leave on the table at this shape.
#if defined(__AVX512F__)
#include <immintrin.h>

#include <cfloat>
#include <cmath>
#include <memory>

#include "bench.hpp"
#include "checks.hpp"
#include "kernels/exp.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/classifier.hpp"

namespace lastlayer::bench {
namespace {

constexpr std::size_t D = 64, K = 10;

// V: the active back end, when it is xsimd's AVX-512 (16 lanes); its exp is the library's.
template <class V>
struct FloorModel {
  // Sums of two row vectors' halves: [a.q0 + a.q2, a.q1 + a.q3, b.q0 + b.q2, b.q1 + b.q3] in
  // 128-bit quarters q.
  static __m512 halves(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x44), _mm512_shuffle_f32x4(a, b, 0xEE));
  }
  // From halves(a, b) and halves(c, d): quarter i holds four partial sums of row i of a, b, c, d.
  static __m512 quarters(__m512 ab, __m512 cd) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(ab, cd, 0x88), _mm512_shuffle_f32x4(ab, cd, 0xDD));
  }
  // Within each quarter: [u0 + u1, u2 + u3, v0 + v1, v2 + v3].
  static __m512 pairs(__m512 u, __m512 v) {
    return _mm512_add_ps(_mm512_shuffle_ps(u, v, 0x88), _mm512_shuffle_ps(u, v, 0xDD));
  }

  alignas(64) float w[K][D] = {};
  alignas(64) float b[16] = {};  // lanes K.. stay 0
  float bound = 0.0f;

  Status step(const float* x, std::size_t label, float lr) {
    if (!(lr > 0.0f && lr <= FLT_MAX)) return Status::invalid_argument;
    if (label >= K) return Status::invalid_label;
    const __m512 x0 = _mm512_loadu_ps(x), x1 = _mm512_loadu_ps(x + 16);
    const __m512 x2 = _mm512_loadu_ps(x + 32), x3 = _mm512_loadu_ps(x + 48);
    __m512 row[K];
    for (std::size_t k = 0; k < K; ++k) {  // two chains per row
      const __m512 p =
          _mm512_fmadd_ps(_mm512_load_ps(w[k] + 32), x2, _mm512_mul_ps(_mm512_load_ps(w[k]), x0));
      const __m512 q = _mm512_fmadd_ps(_mm512_load_ps(w[k] + 48), x3,
                                       _mm512_mul_ps(_mm512_load_ps(w[k] + 16), x1));
      row[k] = _mm512_add_ps(p, q);
    }
    // Ten lane sums into one vector: lane 4i of `sums` is row i, lane 4i + 1 row i + 4, lane
    // 4i + 2 row 8 + (i & 1); one permutation puts them in class order.
    const __m512 r0_3 = quarters(halves(row[0], row[1]), halves(row[2], row[3]));
    const __m512 r4_7 = quarters(halves(row[4], row[5]), halves(row[6], row[7]));
    const __m512 h89 = halves(row[8], row[9]);
    const __m512 r8_9 = quarters(h89, h89);
    const __m512 sums = pairs(pairs(r0_3, r4_7), pairs(r8_9, r8_9));
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 3, 3, 3, 3, 3, 3);
    constexpr __mmask16 kClasses = (1u << K) - 1;
    // Missing classes: -FLT_MAX, whose exp is 0, as in the library's residual.
    const __m512 z = _mm512_mask_add_ps(_mm512_set1_ps(-FLT_MAX), kClasses,
                                        _mm512_permutexvar_ps(order, sums), _mm512_load_ps(b));
    // The residual as softmax_residual computes it: 0 * z, NaN exactly for a NaN or Inf logit,
    // rides in the exps' sum; the exps are shifted by 0 or by the max (softmax_shift).
    __m512 e = z;
    kernels::with_softmax_exps<V>(_mm512_reduce_max_ps(z), [&](auto ex) {
      e = _mm512_fmadd_ps(_mm512_setzero_ps(), z, static_cast<__m512>(ex(typename V::vf(z))));
    });
    const float s = _mm512_reduce_add_ps(e);
    if (std::isnan(s)) return Status::non_finite;
    const __m512 target =
        _mm512_maskz_mov_ps(static_cast<__mmask16>(1u << label), _mm512_set1_ps(1.0f));
    const __m512 r = _mm512_sub_ps(_mm512_mul_ps(e, _mm512_set1_ps(1.0f / s)), target);
    // The library's guard: no weight moves by more than lr max |p - t| max(max |x|, 1).
    const __m512 x_abs = _mm512_max_ps(_mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1)),
                                       _mm512_max_ps(_mm512_abs_ps(x2), _mm512_abs_ps(x3)));
    const float x_max = _mm512_reduce_max_ps(x_abs), g_max = _mm512_reduce_max_ps(_mm512_abs_ps(r));
    const float new_bound =
        bound + detail::with_rounding_slack(lr * g_max * (x_max > 1.0f ? x_max : 1.0f));
    if (!(new_bound <= detail::kWeightLimit)) return Status::diverged;
    const __m512 g = _mm512_mul_ps(r, _mm512_set1_ps(-lr));
    _mm512_store_ps(b, _mm512_add_ps(_mm512_load_ps(b), g));
    for (std::size_t k = 0; k < K; ++k) {
      const __m512 c = _mm512_permutexvar_ps(_mm512_set1_epi32(static_cast<int>(k)), g);
      _mm512_store_ps(w[k], _mm512_fmadd_ps(c, x0, _mm512_load_ps(w[k])));
      _mm512_store_ps(w[k] + 16, _mm512_fmadd_ps(c, x1, _mm512_load_ps(w[k] + 16)));
      _mm512_store_ps(w[k] + 32, _mm512_fmadd_ps(c, x2, _mm512_load_ps(w[k] + 32)));
      _mm512_store_ps(w[k] + 48, _mm512_fmadd_ps(c, x3, _mm512_load_ps(w[k] + 48)));
    }
    bound = new_bound;
    return Status::ok;
  }
};

// The largest difference between the floor's weights and the library's after the same steps,
// relative to the largest weight: the floor must be the same step to be a floor at all.
template <class V>
float difference_from_library(const Samples& data, float lr) {
  auto floor = std::make_unique<FloorModel<V>>();
  auto model = std::make_unique<Classifier<D, K>>();
  SgdOptions opt;
  opt.learning_rate = lr;
  for (std::size_t i = 0; i < 4 * Samples::kCount; ++i) {
    const float* x = &data.x[i % Samples::kCount * D];
    const std::size_t label = data.label[i % Samples::kCount];
    if (floor->step(x, label, lr) != Status::ok || model->train(x, label, opt) != Status::ok) {
      return INFINITY;
    }
  }
  float diff = 0.0f, largest = 0.0f;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) {
      diff = std::fmax(diff, std::fabs(floor->w[k][j] - model->weight(k, j)));
      largest = std::fmax(largest, std::fabs(model->weight(k, j)));
    }
    diff = std::fmax(diff, std::fabs(floor->b[k] - model->bias(k)));
  }
  return diff / largest;
}

template <class V>
void BM_Floor(benchmark::State& state) {
  const Samples data(D, K);
  const float lr = 0.01f;
  const float diff = difference_from_library<V>(data, lr);
  if (!(diff <= 1e-5f)) {
    state.SkipWithError("the floor's weights differ from the library's");
    return;
  }
  auto model = std::make_unique<FloorModel<V>>();
  time_steps(state, data, D, K, [&](const float* x, std::size_t label) {
    return model->step(x, label, lr) == Status::ok;
  });
}

[[maybe_unused]] const bool kRegistered = [] {
  using V = kernels::Active;
  if constexpr (V::lanes == 16) {
    benchmark::RegisterBenchmark(step_name("floor", D, K).c_str(), &BM_Floor<V>);
  }
  return true;
}();

}  // namespace
}  // namespace lastlayer::bench
#endif
