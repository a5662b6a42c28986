// A vectorized exp for the soft-max domain, written once over the vector operations of
// platform/vector/. Inputs are logits shifted by their max or by 0 (see softmax_shift), so at
// most 64; -Inf for masked classes, or NaN.
//
//   exp(x) = 2^n * exp(r),  n = round(x / ln 2),  r = x - n ln 2,  |r| <= ln(2) / 2
//   exp(r) ~ 1 + r + r^2 q(r),  q of degree 4, fitted by the Remez exchange to the relative error
//
// The coefficients come from tools/exp_coefficients.py (rerun it to regenerate them); the
// rounded polynomial's relative error is 5.5e-9 on [-ln2/2, ln2/2], far below float's half ULP
// (6e-8), so the result's error is that of the last additions. Measured over every float in
// [-87.3, 64] against a correctly rounded exp: at most 1 ULP (bench/exp_sweep.cpp).
// Properties: exp(0) is exactly 1 (n = 0, r = 0, p = 1); below ln(FLT_MIN) = -87.3365 the result
// is a clean 0 (no denormals, no garbage from the out-of-range 2^n); NaN in gives NaN out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/compact.hpp"
#include "kernels/unroll.hpp"

namespace lastlayer::kernels {

// splat(v), or V::splat_here(v) where the back end has it (a splat kept inside loops).
template <class V, class = void>
struct HasSplatHere : std::false_type {};
template <class V>
struct HasSplatHere<V, std::void_t<decltype(V::splat_here(0.0f))>> : std::true_type {};

template <class V>
inline typename V::vf splat_here(float v) {
  if constexpr (HasSplatHere<V>::value) {
    return V::splat_here(v);
  } else {
    return V::splat(v);
  }
}

namespace exp_constants {
inline constexpr float kLog2e = 1.44269502f;
// 1.5 * 2^23 + 127: adding it rounds to an integer (floats there have no fraction bits) and
// leaves n + 127, the biased exponent of 2^n, in the low mantissa bits, so 2^n is those bits
// shifted into place (pow2_from_shifted), with no separate add of the bias. The extra 2^22 keeps
// negative n in the same binade; the shift drops it with the exponent bits of t.
inline constexpr float kShifter = 12583039.0f;
// ln 2 split in two (Cody and Waite): kLn2Hi has few significant bits, so n * kLn2Hi is exact
// for |n| < 2^15 and x - n * kLn2Hi is exact (Sterbenz), with or without a fused multiply-add.
inline constexpr float kLn2Hi = 0.693359375f;
inline constexpr float kLn2Lo = -2.12194440e-4f;
// q(r) = c2 + c3 r + c4 r^2 + c5 r^3 + c6 r^4 (tools/exp_coefficients.py).
inline constexpr float kC2 = 4.999999702e-01f;
inline constexpr float kC3 = 1.666650623e-01f;
inline constexpr float kC4 = 4.166708887e-02f;
inline constexpr float kC5 = 8.370262571e-03f;
inline constexpr float kC6 = 1.389340265e-03f;
// ln(FLT_MIN), rounded up to a float: below it exp(x) is subnormal or zero, returned as 0.
inline constexpr float kUnderflow = -87.33654f;
}  // namespace exp_constants

// exp(x), or exp(x + e) given e, a small correction to the argument (|e| <= half an ULP of x),
// added to the reduced argument r, where it is not lost to rounding.
template <class V, class... E>
inline typename V::vf exp_lanes(typename V::vf x, E... e) {
  static_assert(sizeof...(E) <= 1 && (std::is_same_v<E, typename V::vf> && ...), "x, or x and e");
  namespace c = exp_constants;
  using vf = typename V::vf;
  // Constants enter as scalar operands where the back end has such forms (Helium's vector-by-
  // scalar VFMA, VFMAS and VADD keep them in core registers, which leaves the 8 Q registers to
  // the data); x - n c is written x + n (-c), the same fused operation.
  // (Written with the constant multiplier as the scalar operand and the addend splatted: on
  // Helium the splat is one VDUP into the destination, and no register holds a constant
  // vector across the exp; the fused operation and its result are the same.)
  const vf t = V::fmadd_k(x, c::kLog2e, splat_here<V>(c::kShifter));
  const vf n = V::add_k(t, -c::kShifter);  // round(x / ln 2), exact
  vf r = V::fmadd_k(n, -c::kLn2Hi, x);
  r = V::fmadd_k(n, -c::kLn2Lo, r);
  if constexpr (sizeof...(E) == 1) r = V::add(r, e...);
  vf q = V::fmadd_k(r, c::kC6, splat_here<V>(c::kC5));
  q = V::fmadd_kc(q, r, c::kC4);
  q = V::fmadd_kc(q, r, c::kC3);
  q = V::fmadd_kc(q, r, c::kC2);
  // 1 + (r + r^2 q): the small terms are summed first, so 1 is added with a single rounding.
  const vf p = V::add_k(V::fmadd(q, V::mul(r, r), r), 1.0f);
  const vf y = V::mul(p, V::pow2_from_shifted(t));
  // Below the threshold n < -126 and 2^n would be garbage; NaN compares false and stays NaN.
  return V::zero_below(x, c::kUnderflow, y);
}

// exp(z - m) with z - m exact: its rounding error, up to half an ULP of |z - m| (1e-6 relative
// for differences near 20), would otherwise pass straight into the result. Knuth's TwoSum gives
// the error e of x = z + (-m) exactly, for any magnitudes, and the exp takes it as a correction.
// Masked classes (z = -Inf) make e NaN, but x = -Inf is below the underflow threshold, so the
// result is still 0.
template <class V>
inline typename V::vf exp_shifted(typename V::vf z, typename V::vf neg_m) {
  using vf = typename V::vf;
  const vf x = V::add(z, neg_m);
  const vf z_part = V::sub(x, neg_m);
  const vf m_part = V::sub(x, z_part);
  const vf e = V::add(V::sub(z, z_part), V::sub(neg_m, m_part));
  return exp_lanes<V>(x, e);
}

// The shift s of a soft-max whose largest input is m: exp(z - s) / sum exp(z - s) is the same
// for any s. It is m, or 0 when m is in [0, kNoShiftMax]: the exps are then of z itself, with no
// subtraction to round and no TwoSum to correct it (six operations less per vector), and no
// reduction to the max before the first exp (only a branch waits for it). Safe in that range:
// no exp overflows (e^64 < 7e27; a sum of 10^10 of them stays finite), and an exp(z) that
// underflows (z < ln(FLT_MIN)) belongs to a probability below exp(z - m) <= exp(z) < FLT_MIN,
// which the shifted form returns as 0 as well. The log-domain functions (log-sum-exp, cross
// entropy, log-softmax) keep the max: they add it back, and with 0 for a shift the sum's
// logarithm would cancel against the logit.
// A compact back end keeps one exp in its code, the shifted one (see with_exp_shifted_by), and
// so gains nothing from a shift of 0: it keeps the max, with which equal logits give exactly 1/n.
// The range test is one integer compare: read as unsigned integers, the bits of the floats in
// [+0, 64] are those up to 64's, and -0, every negative number, +Inf and NaN compare above.
inline constexpr std::uint32_t kNoShiftMaxBits = 0x42800000u;  // 64.0f: exponent 6, mantissa 0
template <class V>
inline bool unshifted_softmax(float m) {
  std::uint32_t bits;
  std::memcpy(&bits, &m, sizeof bits);
  return !kCompact<V> && bits <= kNoShiftMaxBits;
}
template <class V>
inline float softmax_shift(float m) {
  return unshifted_softmax<V>(m) ? 0.0f : m;
}

// f(e) with e(v) = exp(v - shift) for vectors v: exp_lanes where `unshifted` (then shift is 0,
// and exp_lanes gives the values of exp_shifted, whose TwoSum finds no error), exp_shifted
// otherwise. A compact back end keeps one exp in its code: always exp_shifted.
template <class V, class F>
LASTLAYER_INLINE void with_exp_shifted_by(float shift, bool unshifted, F&& f) {
  using vf = typename V::vf;
  if constexpr (!kCompact<V>) {
    if (unshifted) return f([](vf v) LASTLAYER_INLINE_LAMBDA { return exp_lanes<V>(v); });
  }
  const vf neg_m = V::splat(-shift);
  f([neg_m](vf v) LASTLAYER_INLINE_LAMBDA { return exp_shifted<V>(v, neg_m); });
}
// The exps of a soft-max whose largest input is m: shifted by softmax_shift(m).
template <class V, class F>
LASTLAYER_INLINE void with_softmax_exps(float m, F&& f) {
  with_exp_shifted_by<V>(m, unshifted_softmax<V>(m), static_cast<F&&>(f));
}

// q[i] = exp(z[i]) for the soft-max domain above (tests and the accuracy sweep use it).
template <class V>
void exp_array(const float* z, float* q, std::size_t n) {
  std::size_t i = 0;
  for (; i + V::lanes <= n; i += V::lanes) V::store(q + i, exp_lanes<V>(V::load(z + i)));
  if (i < n) V::store_tail(q + i, n - i, exp_lanes<V>(V::load_tail(z + i, n - i, 0.0f)));
}

}  // namespace lastlayer::kernels
