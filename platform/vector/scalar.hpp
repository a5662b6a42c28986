// Scalar vector back end: one float per "vector". It runs everywhere (Cortex-M4/M7 with an FPU,
// any host) and lets the kernels, written once over the vector operations, be tested without SIMD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lastlayer::simd {

struct ScalarVector {
  using vf = float;  // a vector of `lanes` floats
  static constexpr std::size_t lanes = 1;
  static constexpr std::size_t registers =
      16;  // general-purpose FPU registers to plan for (s0-s15 and more)
  static constexpr const char* name = "scalar";
  // Small code over speed (src/kernels/compact.hpp): one copy of each kernel loop body.
  static constexpr bool compact = true;

  static vf load(const float* p) { return *p; }
  static void store(float* p, vf v) { *p = v; }
  // Tails hold 0 < n < lanes values, which never happens with one lane.
  static vf load_tail(const float* p, std::size_t n, float fill) { return n > 0 ? *p : fill; }
  static void store_tail(float* p, std::size_t n, vf v) {
    if (n > 0) *p = v;
  }
  static vf splat(float v) { return v; }

  static vf add(vf a, vf b) { return a + b; }
  static vf sub(vf a, vf b) { return a - b; }
  static vf mul(vf a, vf b) { return a * b; }
  static vf max(vf a, vf b) { return a > b ? a : b; }
  static vf abs(vf a) { return __builtin_fabsf(a); }
  static vf max_of_abs(vf m, vf a) { return max(m, abs(a)); }  // max(m, |a|) for m >= 0
  // a * b + c and c - a * b, fused where the FPU has a fused multiply-add (one rounding).
  static vf fmadd(vf a, vf b, vf c) {
#if defined(__FP_FAST_FMAF)
    return __builtin_fmaf(a, b, c);
#else
    return a * b + c;
#endif
  }
  static vf fnmadd(vf a, vf b, vf c) {
#if defined(__FP_FAST_FMAF)
    return __builtin_fmaf(-a, b, c);
#else
    return c - a * b;
#endif
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
    return v;
  }
  static float reduce_max(vf v) {
    return v;
  }
  // out[i] = bias[i] + the sum of the lanes of vector i, for four vectors at once.
  static void reduce_add4(vf a, vf b, vf c, vf d, const float* bias, float* out) {
    out[0] = a + bias[0];
    out[1] = b + bias[1];
    out[2] = c + bias[2];
    out[3] = d + bias[3];
  }

  // y, or +0 where x < limit (a NaN x keeps y): the underflow of exp.
  static vf zero_below(vf x, float limit, vf y) {
    return x < limit ? 0.0f : y;
  }

  // 2^n from t = n + 127 + 1.5 * 2^23 (the rounding shifter of exp): the low mantissa bits of t
  // hold the biased exponent n + 127, and shifting them into the exponent field gives the float
  // 2^n for -126 <= n <= 127.
  static vf pow2_from_shifted(vf t) {
    std::uint32_t bits;
    std::memcpy(&bits, &t, sizeof bits);
    bits <<= 23;
    float r;
    std::memcpy(&r, &bits, sizeof r);
    return r;
  }
};

}  // namespace lastlayer::simd
