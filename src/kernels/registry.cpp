#include "kernels/registry.hpp"

#include <cmath>
#include <type_traits>

#include "kernels/backend.hpp"
#include "kernels/dense.hpp"
#include "kernels/reference.hpp"
#include "kernels/softmax.hpp"

namespace lastlayer::kernels {
namespace {

void reference_exp(const float* z, float* q, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) q[i] = std::exp(z[i]);
}

template <class V>
constexpr Variant make_variant(const char* name, bool active) {
  return Variant{name,
                 V::lanes,
                 active,
                 &logits<V>,
                 &rank_one_update<V>,
                 &accumulate_outer<V>,
                 &subtract_scaled<V>,
                 &max_value<V>,
                 &softmax<V>,
                 &log_softmax<V>,
                 &logsumexp<V>,
                 &exp_array<V>,
                 &softmax_residual<V>};
}

constexpr bool kScalarActive = std::is_same<Active, simd::ScalarVector>::value;

const Variant kVariants[] = {
    {"reference", 1, false, &reference::logits, &reference::rank_one_update,
     &reference::accumulate_outer, &reference::subtract_scaled, &reference::max_value,
     &reference::softmax, &reference::log_softmax, &reference::logsumexp, &reference_exp, nullptr},
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
