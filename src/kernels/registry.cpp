#include "kernels/registry.hpp"

#include <cmath>
#include <type_traits>

#include "kernels/kernels.hpp"  // (the active back end's matrix kernels come from matrix.cpp)

namespace lastlayer::kernels {
namespace {

void reference_exp(const float* z, float* q, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) q[i] = std::exp(z[i]);
}

void reference_update_then_logits(float* w, std::size_t stride, float* b, const float* g, float lr,
                                  const float* x_prev, const float* x, std::size_t d,
                                  std::size_t classes, float* z, float* x_max) {
  reference::rank_one_update(w, stride, b, g, lr, x_prev, d, classes);
  reference::logits(w, stride, b, x, d, classes, z);
  float m = 0.0f;
  for (std::size_t j = 0; j < d; ++j) m = std::fmax(m, std::fabs(x[j]));
  *x_max = m;
}

template <class V>
constexpr Variant make_variant(const char* name, bool active) {
  return Variant{name,
                 V::lanes,
                 active,
                 kCompact<V>,
                 &logits<V>,
                 &rank_one_update<V>,
                 &accumulate_outer<V>,
                 &subtract_scaled<V>,
                 &max_value<V>,
                 &softmax<V>,
                 &log_softmax<V>,
                 &logsumexp<V>,
                 &exp_array<V>,
                 &softmax_residual<V>,
                 &update_then_logits<V>};
}

constexpr bool kScalarActive = std::is_same<Active, simd::ScalarVector>::value;

const Variant kVariants[] = {
    {"reference", 1, false, true, &reference::logits, &reference::rank_one_update,
     &reference::accumulate_outer, &reference::subtract_scaled, &reference::max_value,
     &reference::softmax, &reference::log_softmax, &reference::logsumexp, &reference_exp, nullptr,
     &reference_update_then_logits},
    make_variant<simd::ScalarVector>("scalar", kScalarActive),
#if defined(LASTLAYER_VECTOR_XSIMD)
    make_variant<Active>(Active::name, true),
#if defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
    // An AVX-512 build can also run the narrower x86 variants: test and time them too.
    make_variant<simd::XsimdVector<xsimd::fma3<xsimd::avx2>>>("fma3+avx2", false),
    make_variant<simd::XsimdVector<xsimd::sse2>>("sse2", false),
#endif
#elif defined(LASTLAYER_VECTOR_MVE)
    make_variant<Active>(Active::name, true),
#endif
};

}  // namespace

const Variant* variants(std::size_t* count) {
  *count = sizeof(kVariants) / sizeof(kVariants[0]);
  return kVariants;
}

}  // namespace lastlayer::kernels
