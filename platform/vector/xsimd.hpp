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

  // load_tail and store_tail for 1 <= n <= lanes values that were just written, or are about to
  // be read, in four-lane and one-lane pieces (the logits' stores of z, the update's loads of
  // g). A load can take its value straight from a pending store only when one store covers it:
  // a full-width or masked load over several narrower stores, or a narrow load from a masked
  // store, waits until those stores reach the cache, some 20 cycles more on the step's critical
  // path. With AVX and AVX-512 these move the same pieces: one 128-bit access per four values
  // and one 32-bit access per value left over.
  static vf load_pieces(const float* p, std::size_t n, float fill) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      const __m128 q0 = piece_of(p, n, 0, fill), q1 = piece_of(p, n, 4, fill);
      const __m128 q2 = piece_of(p, n, 8, fill), q3 = piece_of(p, n, 12, fill);
      const __m256 lo = _mm256_insertf128_ps(_mm256_castps128_ps256(q0), q1, 1);
      const __m256 hi = _mm256_insertf128_ps(_mm256_castps128_ps256(q2), q3, 1);
      return _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
    }
#endif
#if defined(__AVX__)
    if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
      const __m128 q0 = piece_of(p, n, 0, fill), q1 = piece_of(p, n, 4, fill);
      return _mm256_insertf128_ps(_mm256_castps128_ps256(q0), q1, 1);
    }
#endif
    return n == lanes ? load(p) : load_tail(p, n, fill);
  }
  static void store_pieces(float* p, std::size_t n, vf v) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      const __m512 x = v;
      store_piece(p, n, 0, _mm512_castps512_ps128(x));
      store_piece(p, n, 4, _mm512_extractf32x4_ps(x, 1));
      store_piece(p, n, 8, _mm512_extractf32x4_ps(x, 2));
      store_piece(p, n, 12, _mm512_extractf32x4_ps(x, 3));
      return;
    }
#endif
#if defined(__AVX__)
    if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
      const __m256 x = v;
      store_piece(p, n, 0, _mm256_castps256_ps128(x));
      store_piece(p, n, 4, _mm256_extractf128_ps(x, 1));
      return;
    }
#endif
    if (n == lanes) {
      store(p, v);
    } else {
      store_tail(p, n, v);
    }
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
#if defined(__FMA__)
    if constexpr (!kFusedX86) return rounded(a * b) + c;
#endif
    return xsimd::fma(a, b, c);
  }
  static vf fnmadd(vf a, vf b, vf c) {
#if defined(__FMA__)
    if constexpr (!kFusedX86) return c - rounded(a * b);
#endif
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
  static vf mul_k(vf a, float k) {
    return mul(a, splat(k));
  }

  static float reduce_add(vf v) {
#if XSIMD_VERSION_MAJOR >= 9  // (9.0 renamed hadd to reduce_add)
    return xsimd::reduce_add(v);
#else
    return xsimd::hadd(v);
#endif
  }

  // out[i] = bias[i] + the sum of the lanes of vector i, for four vectors at once: pairwise
  // horizontal adds reduce all four together (a transpose-and-add) instead of one reduction
  // tree each, and the bias joins as one 4-lane add.
  static void reduce_add4(vf a, vf b, vf c, vf d, const float* bias, float* out) {
#if defined(__AVX512F__)
    if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
      // Fold each 512-bit vector to 256 bits, then as on AVX.
      const __m128 sums = add4_256(fold512(a), fold512(b), fold512(c), fold512(d));
      _mm_storeu_ps(out, _mm_add_ps(sums, _mm_loadu_ps(bias)));
      return;
    }
#endif
#if defined(__AVX__)
    if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
      _mm_storeu_ps(out, _mm_add_ps(add4_256(a, b, c, d), _mm_loadu_ps(bias)));
      return;
    }
#endif
#if defined(__SSE2__)
    if constexpr (lanes == 4) {
      __m128 r0 = a, r1 = b, r2 = c, r3 = d;
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);  // lane i of r0..r3 now holds the values of vector i
      const __m128 sums = _mm_add_ps(_mm_add_ps(r0, r1), _mm_add_ps(r2, r3));
      _mm_storeu_ps(out, _mm_add_ps(sums, _mm_loadu_ps(bias)));
      return;
    }
#endif
#if defined(__aarch64__)
    if constexpr (lanes == 4 && std::is_base_of<xsimd::neon, Arch>::value) {
      const float32x4_t sums = vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d));
      vst1q_f32(out, vaddq_f32(sums, vld1q_f32(bias)));
      return;
    }
#endif
    out[0] = reduce_add(a) + bias[0];
    out[1] = reduce_add(b) + bias[1];
    out[2] = reduce_add(c) + bias[2];
    out[3] = reduce_add(d) + bias[3];
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
    if constexpr (lanes == 4 && std::is_base_of<xsimd::neon, Arch>::value) return vmaxvq_f32(v);
#endif
    alignas(64) float buf[lanes];
    v.store_aligned(buf);
    float m = buf[0];
    for (std::size_t i = 1; i < lanes; ++i) m = buf[i] > m ? buf[i] : m;
    return m;
  }

  // y, or +0 in the lanes where x < limit (a NaN x keeps y): the underflow of exp.
  static vf zero_below(vf x, float limit, vf y) {
    return xsimd::select(x < vf(limit), vf(0.0f), y);
  }

  // 2^n from t = n + 127 + 1.5 * 2^23 (the rounding shifter of exp): the low mantissa bits of t
  // hold the biased exponent n + 127; shifted into the exponent field they give 2^n as a float.
  static vf pow2_from_shifted(vf t) {
#if XSIMD_VERSION_MAJOR >= 11  // (11.0 made bitwise_cast take the element type)
    return xsimd::bitwise_cast<float>(xsimd::bitwise_cast<std::int32_t>(t) << 23);
#else
    return xsimd::bitwise_cast<vf>(xsimd::bitwise_cast<vi>(t) << 23);
#endif
  }

 private:
#if defined(__AVX__)
  // [sum a, sum b, sum c, sum d] of four 8-lane vectors: three horizontal adds leave the sums of
  // each 128-bit half, and adding the halves finishes them.
  static __m128 add4_256(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  }
#endif
#if defined(__AVX512F__)
  static __m256 fold512(__m512 v) {
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    return _mm256_add_ps(_mm512_castps512_ps256(v), hi);
  }
#endif
#if defined(__FMA__)
  // An x86 variant without FMA built for a CPU that has it (the narrower variants of a native
  // build): GCC would fuse some of its multiplies and adds and not others, so two kernels doing
  // the same arithmetic could differ in the last bit. The product is kept a rounded value.
  static constexpr bool kFusedX86 = std::is_base_of<xsimd::fma3<xsimd::sse4_2>, Arch>::value ||
                                    std::is_base_of<xsimd::fma3<xsimd::avx>, Arch>::value ||
                                    std::is_base_of<xsimd::fma3<xsimd::avx2>, Arch>::value ||
                                    std::is_base_of<xsimd::avx512f, Arch>::value;
  static vf rounded(vf product) {
    typename vf::register_type r = product;
    __asm__("" : "+x"(r));  // opaque to the optimizer: no fused multiply-add through it
    return vf(r);
  }
#endif
#if defined(__AVX__)
  // Values [at, at + 4) of the n at p, `fill` past n: a 128-bit load for a whole piece, else
  // one 32-bit load per value.
  static __m128 piece_of(const float* p, std::size_t n, std::size_t at, float fill) {
    if (at + 4 <= n) return _mm_loadu_ps(p + at);
    __m128 q = _mm_set1_ps(fill);
    if (at < n) q = _mm_move_ss(q, _mm_load_ss(p + at));
    if (at + 1 < n) q = _mm_insert_ps(q, _mm_load_ss(p + at + 1), 0x10);
    if (at + 2 < n) q = _mm_insert_ps(q, _mm_load_ss(p + at + 2), 0x20);
    return q;
  }
  static void store_piece(float* p, std::size_t n, std::size_t at, __m128 q) {
    if (at + 4 <= n) {
      _mm_storeu_ps(p + at, q);
      return;
    }
    if (at < n) _mm_store_ss(p + at, q);
    if (at + 1 < n) _mm_store_ss(p + at + 1, _mm_movehdup_ps(q));
    if (at + 2 < n) _mm_store_ss(p + at + 2, _mm_movehl_ps(q, q));
  }
#endif
#if defined(__AVX512F__)
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

// The widest instruction set the compiler targets (from -march / -mcpu / -mfpu flags). xsimd
// 13 and 14 derive their avxvnni (the default on CPUs with AVX-VNNI and no AVX-512) from avx2,
// not from fma3<avx2>, and kernels on it would run without fused multiply-adds; none of its own
// instructions is used here, so fma3<avx2> takes its place. (Later sources derive it from
// fma3<avx2>; 8.1 has no avxvnni.)
#if defined(XSIMD_WITH_AVXVNNI) && defined(XSIMD_WITH_FMA3_AVX2)
#if XSIMD_WITH_AVXVNNI && XSIMD_WITH_FMA3_AVX2
#define LASTLAYER_XSIMD_AVXVNNI_AS_FMA3 1
#endif
#endif
#if defined(LASTLAYER_XSIMD_AVXVNNI_AS_FMA3)
using XsimdDefault =
    XsimdVector<std::conditional_t<std::is_same_v<xsimd::default_arch, xsimd::avxvnni>,
                                   xsimd::fma3<xsimd::avx2>, xsimd::default_arch>>;
#else
using XsimdDefault = XsimdVector<xsimd::default_arch>;
#endif

}  // namespace lastlayer::simd
