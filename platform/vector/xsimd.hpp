// xsimd vector back end: SSE2, AVX2+FMA, AVX-512 and NEON (armv7, aarch64) through one type.
// This is the only file of the project that includes xsimd, so that the differences between
// xsimd releases (Debian's 8.1 has `hadd` and `bitwise_cast<batch>`; later releases have
// `reduce_add` and `bitwise_cast<scalar>`, and none of them `reduce_max` in 8.1) stay here.
// Tails and the max reduction use the target's intrinsics where xsimd has no equivalent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

// GCC 12 reports its own AVX-512 intrinsics (their `_mm512_undefined_*` pass-through operand)
// as (maybe) uninitialized once inlined; the diagnostic is located in the intrinsic headers, so
// it is silenced for them alone.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <xsimd/xsimd.hpp>
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#if defined(__ARM_NEON)
#include <arm_neon.h>
#endif
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace lastlayer::simd {

template <class Arch>
struct XsimdVector {
  using vf = xsimd::batch<float, Arch>;
  using vi = xsimd::batch<std::int32_t, Arch>;
  using vm = xsimd::batch_bool<float, Arch>;
  static constexpr std::size_t lanes = vf::size;
  // Vector registers of the target (AVX-512 and aarch64 have 32, SSE/AVX2 and armv7 NEON 16):
  // the kernels use two accumulator sets per row block only when they fit.
#if defined(__AVX512F__) || defined(__aarch64__)
  static constexpr std::size_t registers = lanes == 16 || lanes == 4 ? 32 : 16;
#else
  static constexpr std::size_t registers = 16;
#endif
  static constexpr const char* name = Arch::name();

  static vf load(const float* p) {
    return vf::load_unaligned(p);
  }
  static void store(float* p, vf v) {
    v.store_unaligned(p);
  }

  // The first n (0 < n < lanes) values at p, the other lanes `fill`; never reads past p[n - 1].
  static vf load_tail(const float* p, std::size_t n, float fill) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      // Masked-off lanes are neither read nor able to fault.
      return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), tail_mask16(n), p);
    }
#endif
#if defined(__AVX2__)
    if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
      const __m256i m = tail_mask8(n);
      return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m),
                              _mm256_castsi256_ps(m));
    }
#endif
    alignas(64) float buf[lanes];
    for (std::size_t i = 0; i < lanes; ++i) buf[i] = i < n ? p[i] : fill;
    return vf::load_aligned(buf);
  }

  // Stores the first n (0 < n < lanes) lanes of v; never writes past p[n - 1].
  static void store_tail(float* p, std::size_t n, vf v) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      _mm512_mask_storeu_ps(p, tail_mask16(n), v);
      return;
    }
#endif
#if defined(__AVX2__)
    if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
      _mm256_maskstore_ps(p, tail_mask8(n), v);
      return;
    }
#endif
    alignas(64) float buf[lanes];
    v.store_aligned(buf);
    for (std::size_t i = 0; i < n; ++i) p[i] = buf[i];
  }

  static vf splat(float v) {
    return vf(v);
  }
  static vf add(vf a, vf b) {
    return a + b;
  }
  static vf sub(vf a, vf b) {
    return a - b;
  }
  static vf mul(vf a, vf b) {
    return a * b;
  }
  static vf max(vf a, vf b) {
    return xsimd::max(a, b);
  }
  static vf abs(vf a) {
    return xsimd::abs(a);
  }
  static vf max_of_abs(vf m, vf a) {  // max(m, |a|) for m >= 0
    return max(m, abs(a));
  }
  // a * b + c and c - a * b; one rounding where the ISA has FMA (two on SSE2 and plain NEON).
  static vf fmadd(vf a, vf b, vf c) {
    return xsimd::fma(a, b, c);
  }
  static vf fnmadd(vf a, vf b, vf c) {
    return xsimd::fnma(a, b, c);
  }

  // The same with one operand a scalar k (back ends with vector-by-scalar forms use them).
  static vf fmadd_k(vf a, float k, vf c) {
    return fmadd(a, splat(k), c);
  }
  static vf fmadd_kc(vf a, vf b, float k) {
    return fmadd(a, b, splat(k));
  }
  static vf add_k(vf a, float k) {
    return add(a, splat(k));
  }

  static float reduce_add(vf v) {
#if XSIMD_VERSION_MAJOR >= 10
    return xsimd::reduce_add(v);
#else
    return xsimd::hadd(v);
#endif
  }

  // Lane i of the result = the sum of the lanes of a[i], for all `lanes` vectors at once: a
  // transpose-and-add tree (each level halves the vectors and the partial sums per source) in
  // place of one reduction per vector, so a group of logits comes out as one vector.
  static vf sum_lanes(const vf* a) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      // Four levels, each adding two shuffles of a pair: [8 partial sums of u | 8 of v] from
      // 256-bit halves, then 4 of each of four sources per 128-bit quarter, then pairs within
      // the quarters, then whole sums. The tree leaves the sum of its input slot s(p) in lane
      // p, s swapping elements 1 and 2 of each quarter and quarters 1 and 2: s is its own
      // inverse, so feeding slot j with a[s(j)] puts every vector's sum in its own lane.
      const __m512 b0 = fold<0x44, 0xEE>(a[0], a[4]), b1 = fold<0x44, 0xEE>(a[2], a[6]);
      const __m512 b2 = fold<0x44, 0xEE>(a[1], a[5]), b3 = fold<0x44, 0xEE>(a[3], a[7]);
      const __m512 b4 = fold<0x44, 0xEE>(a[8], a[12]), b5 = fold<0x44, 0xEE>(a[10], a[14]);
      const __m512 b6 = fold<0x44, 0xEE>(a[9], a[13]), b7 = fold<0x44, 0xEE>(a[11], a[15]);
      const __m512 c0 = fold<0x88, 0xDD>(b0, b4), c1 = fold<0x88, 0xDD>(b1, b5);
      const __m512 c2 = fold<0x88, 0xDD>(b2, b6), c3 = fold<0x88, 0xDD>(b3, b7);
      const __m512 d0 = fold_within<0x44, 0xEE>(c0, c2), d1 = fold_within<0x44, 0xEE>(c1, c3);
      return fold_within<0x88, 0xDD>(d0, d1);
    }
#endif
#if defined(__AVX__)
    if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
      // Two rounds of horizontal adds leave [sums of the low halves of a0..a3 | high halves],
      // and the same for a4..a7; adding the 128-bit halves finishes them.
      const __m256 q0 = _mm256_hadd_ps(_mm256_hadd_ps(a[0], a[1]), _mm256_hadd_ps(a[2], a[3]));
      const __m256 q1 = _mm256_hadd_ps(_mm256_hadd_ps(a[4], a[5]), _mm256_hadd_ps(a[6], a[7]));
      return _mm256_add_ps(_mm256_permute2f128_ps(q0, q1, 0x20),
                           _mm256_permute2f128_ps(q0, q1, 0x31));
    }
#endif
#if defined(__SSE2__)
    if constexpr (lanes == 4) {
      __m128 r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3];
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);  // lane i of r0..r3 now holds the values of vector i
      return _mm_add_ps(_mm_add_ps(r0, r1), _mm_add_ps(r2, r3));
    }
#endif
#if defined(__ARM_NEON)
    if constexpr (lanes == 4) {
      // Pairwise adds of the halves: [a0 + a1, a2 + a3] per vector, then across vectors.
      const auto pair = [](float32x4_t u, float32x4_t v) {
        return vpadd_f32(vpadd_f32(vget_low_f32(u), vget_high_f32(u)),
                         vpadd_f32(vget_low_f32(v), vget_high_f32(v)));
      };
      return vcombine_f32(pair(a[0], a[1]), pair(a[2], a[3]));
    }
#endif
    alignas(64) float sums[lanes];
    for (std::size_t i = 0; i < lanes; ++i) sums[i] = reduce_add(a[i]);
    return vf::load_aligned(sums);
  }

  static float reduce_max(vf v) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) return _mm512_reduce_max_ps(v);
#endif
#if defined(__AVX__)
    if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
      const __m256 x = v;
      return reduce_max4(_mm_max_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1)));
    }
#endif
#if defined(__SSE2__)
    if constexpr (lanes == 4) return reduce_max4(v);
#endif
#if defined(__aarch64__)
    if constexpr (lanes == 4) return vmaxvq_f32(v);
#endif
    alignas(64) float buf[lanes];
    v.store_aligned(buf);
    float m = buf[0];
    for (std::size_t i = 1; i < lanes; ++i) m = buf[i] > m ? buf[i] : m;
    return m;
  }

  static vm less(vf a, vf b) {
    return a < b;
  }
  static vf select(vm m, vf a, vf b) {
    return xsimd::select(m, a, b);
  }

  // 2^n from t = n + 1.5 * 2^23 (the rounding shifter of exp): the low mantissa bits of t hold
  // n; adding the exponent bias and shifting them into the exponent field gives 2^n as a float.
  static vf pow2_from_shifted(vf t) {
#if XSIMD_VERSION_MAJOR >= 10
    const vi bits = xsimd::bitwise_cast<std::int32_t>(t);
    return xsimd::bitwise_cast<float>((bits + vi(127)) << 23);
#else
    const vi bits = xsimd::bitwise_cast<vi>(t);
    return xsimd::bitwise_cast<vf>((bits + vi(127)) << 23);
#endif
  }

 private:
#if defined(__AVX512F__)
  // Shuffle u and v two ways and add: 128-bit blocks across the vector (fold), or floats within
  // each 128-bit block (fold_within); the immediates pick the blocks or floats.
  template <int First, int Second>
  static __m512 fold(__m512 u, __m512 v) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(u, v, First), _mm512_shuffle_f32x4(u, v, Second));
  }
  template <int First, int Second>
  static __m512 fold_within(__m512 u, __m512 v) {
    return _mm512_add_ps(_mm512_shuffle_ps(u, v, First), _mm512_shuffle_ps(u, v, Second));
  }
  static __mmask16 tail_mask16(std::size_t n) {
    return static_cast<__mmask16>((1u << static_cast<unsigned>(n)) - 1u);
  }
#endif
#if defined(__AVX2__)
  // Lane i is all ones when i < n (the sign bit selects lanes for maskload and maskstore).
  static __m256i tail_mask8(std::size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
#endif
#if defined(__SSE2__)
  static float reduce_max4(__m128 x) {
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_shuffle_ps(x, x, 1));
    return _mm_cvtss_f32(x);
  }
#endif
};

// The widest instruction set the compiler targets (from -march / -mcpu / -mfpu flags).
using XsimdDefault = XsimdVector<xsimd::default_arch>;

}  // namespace lastlayer::simd
