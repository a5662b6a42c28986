// Helium (M-profile Vector Extension) back end for Cortex-M55/M85: 4 float lanes through
// arm_mve.h. Tails use tail predication (VCTP): the predicated load and store touch only the
// first n lanes, so the caller's arrays are never read or written past their end.
#pragma once

#include <arm_mve.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace lastlayer::simd {

struct MveVector {
  using vf = float32x4_t;
  static constexpr std::size_t lanes = 4;
  static constexpr std::size_t registers =
      8;  // Q registers: the kernels keep their working set within these
  static constexpr const char* name = "mve";

  static vf load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, vf v) { vst1q_f32(p, v); }
  // (One Q register holds a whole piece: nothing to split; see the xsimd back end.)
  static vf load_pieces(const float* p, std::size_t n, float fill) {
    return n == lanes ? load(p) : load_tail(p, n, fill);
  }
  static void store_pieces(float* p, std::size_t n, vf v) {
    if (n == lanes) {
      store(p, v);
    } else {
      store_tail(p, n, v);
    }
  }
  static vf splat(float v) { return vdupq_n_f32(v); }
  // The same, computed where it is used: GCC cannot hoist a volatile asm out of a loop, where
  // the hoisted splat would hold one of the 8 Q registers across the loop and force spills (an
  // exp needs four constants as vectors); one VDUP per use is cheaper. The asm is the VDUP
  // itself, with v an input only (an empty asm that claimed to change v made GCC copy the
  // constant to a fresh core register before every use: 8 instructions per 64 x 10 step).
  static vf splat_here(float v) {
    vf r;
    __asm__ volatile("vdup.32 %q0, %1" : "=w"(r) : "r"(v));
    return r;
  }

  static vf add(vf a, vf b) { return vaddq_f32(a, b); }
  static vf sub(vf a, vf b) { return vsubq_f32(a, b); }
  static vf mul(vf a, vf b) { return vmulq_f32(a, b); }
  static vf max(vf a, vf b) { return vmaxnmq_f32(a, b); }
  static vf abs(vf a) { return vabsq_f32(a); }
  // max(m, |a|) for m >= 0 in one VMAXNMA (the maximum of the magnitudes).
  static vf max_of_abs(vf m, vf a) { return vmaxnmaq_f32(m, a); }
  // The same into a scalar in a core register (VMAXNMAV, across the lanes): a running max
  // |x| that takes no Q register in loops that need all eight (the fused training pass).
  using abs_max_t = float;
  static float max_of_abs(float m, vf a) { return vmaxnmavq_f32(m, a); }
  static vf fmadd(vf a, vf b, vf c) { return vfmaq_f32(c, a, b); }   // c + a * b, one rounding
  static vf fnmadd(vf a, vf b, vf c) { return vfmsq_f32(c, a, b); }  // c - a * b, one rounding
  // The same with one operand a scalar k, which stays in a core register.
  static vf fmadd_k(vf a, float k, vf c) { return vfmaq_n_f32(c, a, k); }    // a * k + c
  static vf fmadd_kc(vf a, vf b, float k) { return vfmasq_n_f32(a, b, k); }  // a * b + k
  static vf add_k(vf a, float k) { return vaddq_n_f32(a, k); }
  static vf mul_k(vf a, float k) { return vmulq_n_f32(a, k); }

  // MVE has no floating-point add across lanes: pairwise sums of the four lanes. VCADD with
  // rotation 270 of v and v adds lane 2i + 1 to lane 2i (and subtracts into the odd lanes, unused),
  // so one instruction leaves lane 0 + lane 1 in lane 0 and lane 2 + lane 3 in lane 2; the same
  // additions as summing lane by lane (a VREV64 and a VADD before).
  static float reduce_add(vf v) {
    const vf pairs = vcaddq_rot270_f32(v, v);
    return vgetq_lane_f32(pairs, 0) + vgetq_lane_f32(pairs, 2);
  }
  // out[i] = bias[i] + the sum of the lanes of vector i, for four vectors at once: a transpose
  // through memory (four stores, then VLD40-43 de-interleave them so vector j holds lane j of a,
  // b, c, d) and vector adds, instead of moving sixteen lanes one by one to scalar registers.
  // The sums add as reduce_add does: (lane 0 + lane 1) + (lane 2 + lane 3).
  static void reduce_add4(vf a, vf b, vf c, vf d, const float* bias, float* out) {
    float buf[16];
    vst1q_f32(buf, a);
    vst1q_f32(buf + 4, b);
    vst1q_f32(buf + 8, c);
    vst1q_f32(buf + 12, d);
    const float32x4x4_t t = vld4q_f32(buf);
    const vf sums = vaddq_f32(vaddq_f32(t.val[0], t.val[1]), vaddq_f32(t.val[2], t.val[3]));
    vst1q_f32(out, vaddq_f32(sums, vld1q_f32(bias)));
  }
  // Lane I as a float in a core register (one VMOV): the update's coefficients, which its
  // vector-by-scalar multiply-adds take from core registers, go there without a trip through
  // the stack (64 x 10: 11 instructions less per step).
  template <std::size_t I>
  static float lane(vf v, std::integral_constant<std::size_t, I>) {
    return vgetq_lane_f32(v, static_cast<int>(I));
  }
  static float reduce_max(vf v) { return vmaxnmvq_f32(vgetq_lane_f32(v, 0), v); }

  // y, or +0 in the lanes where x < limit; a NaN x keeps y (exp(NaN) stays NaN). The compare is
  // GT with the operands swapped: Helium's LT is the negation of GE and so true for unordered
  // lanes. With GCC, a VPT block: through arm_mve.h, GCC 12 moves the predicate out of VPR to a
  // core register and back (three instructions more per exp of a vector). The block overwrites
  // VPR, which GCC calls "p0" and may hold a tail predicate in: declared clobbered. (Clang has
  // no such name for it and gets the intrinsics.)
  static vf zero_below(vf x, float limit, vf y) {
    const vf lim = splat_here(limit);
#if defined(__GNUC__) && !defined(__clang__)
    __asm__("vpt.f32 gt, %q[lim], %q[x]\n\tvmovt.i32 %q[y], #0"
            : [y] "+w"(y)
            : [lim] "w"(lim), [x] "w"(x)
            : "p0");
    return y;
#else
    return vpselq_f32(vdupq_n_f32(0.0f), y, vcmpgtq_f32(lim, x));
#endif
  }

  // 2^n from t = n + 127 + 1.5 * 2^23 (the rounding shifter of exp): the low mantissa bits of t
  // hold the biased exponent n + 127; shifted into the exponent field they give 2^n.
  static vf pow2_from_shifted(vf t) {
    return vreinterpretq_f32_s32(vshlq_n_s32(vreinterpretq_s32_f32(t), 23));
  }

  // Through arm_mve.h, GCC 12 moves each VCTP predicate out of VPR to a core register, extends
  // it and moves it back (three instructions more per tail), and computes it ahead of loops even
  // where no tail is taken; with GCC the tail forms are therefore VPT blocks written out, VPR
  // declared clobbered (see zero_below). The memory operands, which the instructions do not
  // name, tell GCC which floats the asm reads or writes; the store's is read-write, so that GCC
  // does not take the lanes past n as overwritten.
  using lanes_of_floats = float[lanes];
#if defined(__GNUC__) && !defined(__clang__)
  static vf load_tail(const float* p, std::size_t n, float fill) {
    vf r;
    const lanes_of_floats& at_p = *reinterpret_cast<const lanes_of_floats*>(p);
    if (fill == 0.0f && !std::signbit(fill)) {  // the predicated load zeroes the inactive lanes
      __asm__("vctp.32 %[n]\n\tvpst\n\tvldrwt.u32 %q[r], [%[p]]"
              : [r] "=w"(r)
              : [n] "r"(n), [p] "r"(p), "m"(at_p)
              : "p0");
    } else {
      // Then `fill` into the inactive lanes: the else slot of the block is a VDUP predicated on
      // the lanes past n (predicated-off lanes of a VDUP keep their values; one Q register).
      __asm__("vctp.32 %[n]\n\tvpste\n\tvldrwt.u32 %q[r], [%[p]]\n\tvdupe.32 %q[r], %[f]"
              : [r] "=w"(r)
              : [n] "r"(n), [p] "r"(p), [f] "r"(fill), "m"(at_p)
              : "p0");
    }
    return r;
  }
  static void store_tail(float* p, std::size_t n, vf v) {
    __asm__("vctp.32 %[n]\n\tvpst\n\tvstrwt.32 %q[v], [%[p]]"
            : "+m"(*reinterpret_cast<lanes_of_floats*>(p))
            : [n] "r"(n), [p] "r"(p), [v] "w"(v)
            : "p0");
  }
#else
  static vf load_tail(const float* p, std::size_t n, float fill) {
    const mve_pred16_t m = vctp32q(static_cast<std::uint32_t>(n));
    // Zeroing load of the active lanes, then `fill` in the inactive ones.
    return vpselq_f32(vldrwq_z_f32(p, m), vdupq_n_f32(fill), m);
  }
  static void store_tail(float* p, std::size_t n, vf v) {
    vstrwq_p_f32(p, v, vctp32q(static_cast<std::uint32_t>(n)));
  }
#endif
};

}  // namespace lastlayer::simd
