// Soft-max kernels written once over the vector operations (V = a back end of platform/vector/):
// max, then exp(z - s) with its sum (s the max, or 0: softmax_shift in exp.hpp), then one
// scaling pass. Tails use the back end's partial loads and stores, so z and q are never touched
// past index n - 1.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>

#include "kernels/compact.hpp"
#include "kernels/exp.hpp"
#include "kernels/max_abs.hpp"
#include "kernels/unroll.hpp"

namespace lastlayer::kernels {

// max z over n >= 1 values. NaN need not propagate here: a NaN in z makes the sum of
// exponentials NaN, and with it every output of the callers below.
template <class V>
float max_value(const float* z, std::size_t n) {
  constexpr std::size_t L = V::lanes;
  if (n < L) return V::reduce_max(V::load_tail(z, n, -INFINITY));
  // Four running maxima: independent chains, so the loop runs at the load rate rather than
  // at the latency of one max.
  typename V::vf m0 = V::load(z), m1 = m0, m2 = m0, m3 = m0;
  std::size_t i = L;
  for (; i + 4 * L <= n; i += 4 * L) {
    m0 = V::max(m0, V::load(z + i));
    m1 = V::max(m1, V::load(z + i + L));
    m2 = V::max(m2, V::load(z + i + 2 * L));
    m3 = V::max(m3, V::load(z + i + 3 * L));
  }
  for (; i + L <= n; i += L) m0 = V::max(m0, V::load(z + i));
  // The last, overlapping vector covers the tail: max is idempotent.
  if (n % L != 0) m1 = V::max(m1, V::load(z + n - L));
  return V::reduce_max(V::max(V::max(m0, m1), V::max(m2, m3)));
}

namespace detail {

// The loops of sum_exp_shifted, with ex(v) = exp(v - m) (see with_exp_shifted_by).
// Four partial sums give independent chains. For accuracy on long inputs the sum is blocked:
// the partial sums restart every kBlock vectors and each block's total joins the running one,
// so no float accumulates more than a few hundred terms (n = 10^4 stays within 1e-6 relative
// even with one lane). A compact back end, and one with 8 vector registers (Helium, where four
// exps at once spill), skip the four-way loop: the loops hold one exp, in the one-vector loop,
// whose sum restarts at the same block boundaries.
template <class V, class Exp>
LASTLAYER_INLINE float sum_exp(const float* z, std::size_t n, float* q, Exp ex) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  constexpr std::size_t kBlock = 4 * 32 * L;  // floats per block: 32 rounds of 4 vectors
  constexpr bool kOneExp = kCompact<V> || V::registers <= 8;
  vf total = V::splat(0.0f);
  std::size_t i = 0;
  while (!kOneExp && i + 4 * L <= n) {
    const std::size_t end = n - i > kBlock ? i + kBlock : n;
    vf s0 = V::splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
    for (; i + 4 * L <= end; i += 4 * L) {
      const vf e0 = ex(V::load(z + i));
      const vf e1 = ex(V::load(z + i + L));
      const vf e2 = ex(V::load(z + i + 2 * L));
      const vf e3 = ex(V::load(z + i + 3 * L));
      if (q != nullptr) {
        V::store(q + i, e0);
        V::store(q + i + L, e1);
        V::store(q + i + 2 * L, e2);
        V::store(q + i + 3 * L, e3);
      }
      s0 = V::add(s0, e0);
      s1 = V::add(s1, e1);
      s2 = V::add(s2, e2);
      s3 = V::add(s3, e3);
    }
    total = V::add(total, V::add(V::add(s0, s1), V::add(s2, s3)));
  }
  vf s = V::splat(0.0f);
  // A one-exp back end sums the blocks of the loop above here, one inner loop per block.
  for (const std::size_t whole = n - n % L; i < whole;) {
    const std::size_t end = kOneExp && whole - i > kBlock ? i + kBlock : whole;
    // Written twice, with and without the stores: with the test in the loop GCC 12 gives a
    // Helium loop no low-overhead loop instructions (3 instructions more per vector: 18 per
    // 16 x 26 step).
    const auto sum_to = [&](auto store, std::size_t j) LASTLAYER_INLINE_LAMBDA {
      for (; j < end; j += L) {
        const vf e = ex(V::load(z + j));
        if constexpr (decltype(store)::value) V::store(q + j, e);
        s = V::add(s, e);
      }
      return j;
    };
    i = q != nullptr ? sum_to(std::true_type{}, i) : sum_to(std::false_type{}, i);
    if (kOneExp && i % kBlock == 0) {
      total = V::add(total, s);
      s = V::splat(0.0f);
    }
  }
  if (L > 1 && i < n) {  // (with one lane the loop above took every value: no second exp)
    // Missing lanes load as -Inf, whose exp is 0 (unless m is -Inf too: then every entry is
    // -Inf, the sum is NaN anyway, as the contract wants).
    const vf e = ex(V::load_tail(z + i, n - i, -INFINITY));
    if (q != nullptr) V::store_tail(q + i, n - i, e);
    s = V::add(s, e);
  }
  return V::reduce_add(V::add(total, s));
}

}  // namespace detail

// sum exp(z - m); with `q` non-null also stores each exp(z - m) there (one exp per element).
template <class V>
float sum_exp_shifted(const float* z, std::size_t n, float m, float* q) {
  float sum = 0.0f;
  with_exp_shifted_by<V>(m, m == 0.0f, [&](auto ex) LASTLAYER_INLINE_LAMBDA {
    sum = detail::sum_exp<V>(z, n, q, ex);
  });
  return sum;
}

namespace detail {

// Soft-max of n <= NV * lanes values held in NV registers: one load and one store per vector and
// no passes over memory (missing lanes load as -Inf, whose exp is 0).
template <class V, std::size_t NV>
void softmax_registers(const float* z, float* q, std::size_t n) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  vf v[NV];
  vf mx = V::splat(-INFINITY);
  unroll<NV>([&](auto i) {
    const std::size_t at = i * L;
    v[i] = at + L <= n ? V::load(z + at)
           : at < n    ? V::load_tail(z + at, n - at, -INFINITY)
                       : V::splat(-INFINITY);
    mx = V::max(mx, v[i]);
  });
  vf s0 = V::splat(0.0f), s1 = s0;  // two partial sums: shorter dependency chain
  with_softmax_exps<V>(V::reduce_max(mx), [&](auto ex) LASTLAYER_INLINE_LAMBDA {
    unroll<NV>([&](auto i) {
      v[i] = ex(v[i]);
      if constexpr (decltype(i)::value % 2 == 0) {
        s0 = V::add(s0, v[i]);
      } else {
        s1 = V::add(s1, v[i]);
      }
    });
  });
  const vf inv = V::splat(1.0f / V::reduce_add(V::add(s0, s1)));
  unroll<NV>([&](auto i) {
    const std::size_t at = i * L;
    if (at + L <= n) {
      V::store(q + at, V::mul(v[i], inv));
    } else if (at < n) {
      V::store_tail(q + at, n - at, V::mul(v[i], inv));
    }
  });
}

}  // namespace detail

// q = exp(z - s) / sum exp(z - s), s = softmax_shift(max z). In-place (q == z) is fine: each
// element is read before the same element is written.
template <class V>
void softmax(const float* z, float* q, std::size_t n) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  if (n == 0) return;
  // (A compact back end takes the general path below for every n: one exp in its code.)
  if (!kCompact<V> && n <= L) {
    // Short inputs (n <= lanes, e.g. 10 classes on AVX-512) stay in one register throughout.
    const vf v = n == L ? V::load(z) : V::load_tail(z, n, -INFINITY);
    vf e;
    with_softmax_exps<V>(V::reduce_max(v), [&](auto ex) LASTLAYER_INLINE_LAMBDA { e = ex(v); });
    // One division, then products: each output gets at most one more rounding.
    const vf r = V::mul(e, V::splat(1.0f / V::reduce_add(e)));
    if (n == L) {
      V::store(q, r);
    } else {
      V::store_tail(q, n, r);
    }
    return;
  }
  if (!kCompact<V> && n <= 2 * L) {
    // Two registers (e.g. 10 classes on AVX2): no passes over memory either.
    const vf v0 = V::load(z);
    const vf v1 = n == 2 * L ? V::load(z + L) : V::load_tail(z + L, n - L, -INFINITY);
    vf e0, e1;
    with_softmax_exps<V>(V::reduce_max(V::max(v0, v1)), [&](auto ex) LASTLAYER_INLINE_LAMBDA {
      e0 = ex(v0);
      e1 = ex(v1);
    });
    const vf inv = V::splat(1.0f / V::reduce_add(V::add(e0, e1)));
    V::store(q, V::mul(e0, inv));
    if (n == 2 * L) {
      V::store(q + L, V::mul(e1, inv));
    } else {
      V::store_tail(q + L, n - L, V::mul(e1, inv));
    }
    return;
  }
  // Up to four vectors (16 floats on SSE and NEON, 32 on AVX2), or eight with 32 vector
  // registers (128 floats on AVX-512), also stay in registers.
  if constexpr (V::registers >= 16 && L >= 4) {
    if (n <= 4 * L) return detail::softmax_registers<V, 4>(z, q, n);
    if constexpr (V::registers >= 32) {
      if (n <= 8 * L) return detail::softmax_registers<V, 8>(z, q, n);
    }
  }
  const float s = softmax_shift<V>(max_value<V>(z, n));
  const vf inv = V::splat(1.0f / sum_exp_shifted<V>(z, n, s, q));
  std::size_t i = 0;
  for (; i + L <= n; i += L) V::store(q + i, V::mul(V::load(q + i), inv));
  if (i < n) V::store_tail(q + i, n - i, V::mul(V::load_tail(q + i, n - i, 0.0f), inv));
}

namespace detail {

// Zeros with a single 1 at index 32: the L floats at kOneHot + 32 - label + at are the one-hot
// target of `label` for lanes [at, at + L) (1 exactly in lane label - at, if it is one of them).
// One load per vector, no compare; label < 32 and at + L <= 32 keep the index within [1, 63].
struct OneHotTable {
  float v[64];
  constexpr OneHotTable() : v() { v[32] = 1.0f; }
};
alignas(64) inline constexpr OneHotTable kOneHot{};

// The soft-max residual of (NV - 1) * lanes < n <= NV * lanes logits held in v (lanes past n hold
// -FLT_MAX: finite, so they poison nothing, never above the real max, and their exp is 0):
// g = softmax - t stored to g[0 .. n), max |g| returned, or NaN with nothing stored for a NaN or
// Inf logit. (softmax_residual takes NV vectors only for such n: all but the last are whole, and
// the last holds at least one logit.)
template <class V, std::size_t NV>
LASTLAYER_INLINE float residual_from_registers(typename V::vf (&v)[NV], std::size_t n,
                                               std::size_t label, const float* t, float* g) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  static_assert(NV * L <= 32, "kOneHot covers 32 lanes");
  const vf zero = V::splat(0.0f);
  // 0 * z is NaN exactly for a NaN or +-Inf logit. The products start the sum of the
  // exponentials (as +-0 they change nothing), so one test of that sum catches them.
  vf sum = V::mul(zero, v[0]), mx = v[0];
  unroll<NV - 1>([&](auto i) {
    sum = V::fmadd(zero, v[i + 1], sum);
    mx = V::max(mx, v[i + 1]);
  });
  with_softmax_exps<V>(V::reduce_max(mx), [&](auto ex) LASTLAYER_INLINE_LAMBDA {
    unroll<NV>([&](auto i) {
      v[i] = ex(v[i]);
      sum = V::add(sum, v[i]);
    });
  });
  const float s = V::reduce_add(sum);
  if (std::isnan(s)) return NAN;
  const vf inv = V::splat(1.0f / s);
  const float* one_hot = kOneHot.v + 32 - label;
  vf gmax;
  unroll<NV>([&](auto i) {
    constexpr std::size_t at = i * L;
    const bool whole = i + 1 < NV || at + L <= n;
    vf target;
    if (t != nullptr) {
      target = whole ? V::load(t + at) : V::load_tail(t + at, n - at, 0.0f);
    } else {
      target = V::load(one_hot + at);
    }
    const vf r = V::sub(V::mul(v[i], inv), target);
    // (Started from the first |g|, not from a zero vector: no register holds a zero across the
    // exps.) Missing lanes: p = 0, target = 0.
    gmax = i == 0 ? V::abs(r) : V::max_of_abs(gmax, r);
    // In pieces: the update reads g one value at a time (see load_pieces).
    V::store_pieces(g + at, whole ? L : n - at, r);
  });
  return V::reduce_max(gmax);
}

// The fused soft-max residual for (NV - 1) * lanes < n <= NV * lanes, loaded from memory: see
// softmax_residual.
template <class V, std::size_t NV>
float softmax_residual_regs(float* z, std::size_t n, std::size_t label, const float* t) {
  constexpr std::size_t L = V::lanes;
  typename V::vf v[NV];
  // In pieces: the logits have just stored z four values and one value at a time.
  unroll<NV>([&](auto i) {
    constexpr std::size_t at = i * L;
    v[i] = V::load_pieces(z + at, i + 1 < NV || at + L <= n ? L : n - at, -FLT_MAX);
  });
  return residual_from_registers<V, NV>(v, n, label, t, z);
}

// The fused soft-max residual in three passes over z in memory, for back ends with 8 vector
// registers (Helium): every loop body holds at most one exp, whose temporaries and the running
// sum fit the 8 registers. (Three or more vectors of logits kept in registers, as
// softmax_residual_regs does, spill there: the exps of all of them are live at once.) The
// operations per lane are those of residual_from_registers, and sum_exp_shifted adds the
// exponentials in the same order, so both forms give the same g.
template <class V>
float softmax_residual_passes(float* z, std::size_t n, std::size_t label, const float* t) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  const std::size_t whole = n - n % L;
  const vf zero = V::splat(0.0f);
  // Pass 1, before anything is written: the max, and 0 * z summed, NaN exactly for a NaN or
  // +-Inf logit. (Missing lanes load as -FLT_MAX: finite, never above the real max.)
  vf mx = V::splat(-FLT_MAX), poison = zero;
  for (std::size_t i = 0; i < whole; i += L) {
    const vf v = V::load(z + i);
    mx = V::max(mx, v);
    poison = V::fmadd(zero, v, poison);
  }
  if (whole != n) {
    const vf v = V::load_tail(z + whole, n - whole, -FLT_MAX);
    mx = V::max(mx, v);
    poison = V::fmadd(zero, v, poison);
  }
  if (std::isnan(V::reduce_add(poison))) return NAN;
  // Pass 2: z = exp(z - s), s the shift of softmax_shift, and their sum.
  const vf inv = V::splat(1.0f / sum_exp_shifted<V>(z, n, softmax_shift<V>(V::reduce_max(mx)), z));
  // Pass 3: g = p - t and max |g|. For a label, z[label] is set to 0 first, so that the pass
  // needs no target at all; its p - 1 is formed afterwards, with the same two roundings.
  float label_g = 0.0f;
  if (t == nullptr) {
    label_g = z[label];
    z[label] = 0.0f;
  }
  vf gmax = zero;
  for (std::size_t i = 0; i < whole; i += L) {
    vf r = V::mul(V::load(z + i), inv);
    if (t != nullptr) r = V::sub(r, V::load(t + i));
    gmax = V::max_of_abs(gmax, r);
    V::store(z + i, r);
  }
  if (whole != n) {
    vf r = V::mul(V::load_tail(z + whole, n - whole, 0.0f), inv);
    if (t != nullptr) r = V::sub(r, V::load_tail(t + whole, n - whole, 0.0f));
    gmax = V::max_of_abs(gmax, r);  // missing lanes: 0
    V::store_tail(z + whole, n - whole, r);
  }
  float g_max = V::reduce_max(gmax);
  if (t == nullptr) {
    const vf r = V::sub(V::mul(V::splat(label_g), inv), V::splat(1.0f));
    label_g = V::reduce_max(r);  // (every lane holds p - 1)
    z[label] = label_g;
    g_max = std::fmax(g_max, -label_g);  // p - 1 <= 0
  }
  return g_max;
}

}  // namespace detail

// The fused middle of a training step: z (the logits, n >= 1 of them) becomes g = softmax(z) - t
// in place, t = target or, when target is null, the one-hot of label; returns max |g|, or NaN
// (and leaves z alone) when a logit is NaN or +-Inf. For n <= 2 * lanes everything happens in
// registers: one load of z, one exp per logit, one store of g. (Inline: the dispatch joins its
// caller, one call less per step; Cortex-M4F 8 instructions, where the one-lane body is inlined
// too.)
template <class V>
LASTLAYER_INLINE float softmax_residual(float* z, std::size_t n, std::size_t label,
                                        const float* target) {
  constexpr std::size_t L = V::lanes;
  // A compact back end keeps only the general path below (one exp in its code).
  if constexpr (!kCompact<V> && L <= 16) {
    if (n <= L) return detail::softmax_residual_regs<V, 1>(z, n, label, target);
    if (n <= 2 * L) return detail::softmax_residual_regs<V, 2>(z, n, label, target);
  }
  // Four-lane targets (Helium, NEON, SSE): up to 16 classes still fit in registers.
  if constexpr (L == 4) {
    if (n <= 3 * L) return detail::softmax_residual_regs<V, 3>(z, n, label, target);
    if (n <= 4 * L) return detail::softmax_residual_regs<V, 4>(z, n, label, target);
  }
  if constexpr (!kCompact<V> && V::registers == 8) {
    return detail::softmax_residual_passes<V>(z, n, label, target);
  }
  if constexpr (kCompact<V> && L == 1) {
    // One lane: the max and the test for a NaN or Inf logit in one pass. 0 * z is NaN exactly
    // for those, and the sum of the products stays NaN.
    using vf = typename V::vf;
    const vf zero = V::splat(0.0f);
    vf mx = V::load(z), poison = V::mul(zero, mx);
    for (std::size_t i = 1; i < n; ++i) {
      const vf v = V::load(z + i);
      mx = V::max(mx, v);
      poison = V::fmadd(zero, v, poison);
    }
    const float p = V::reduce_add(poison);
    if (p != p) return NAN;
    const float inv = 1.0f / sum_exp_shifted<V>(z, n, V::reduce_max(mx), z);
    for (std::size_t i = 0; i < n; ++i) z[i] *= inv;
  } else {
    if (std::isnan(max_abs<V>(z, n) * 0.0f)) return NAN;  // a NaN or Inf logit
    softmax<V>(z, z, n);
  }
  if (target != nullptr) {
    for (std::size_t k = 0; k < n; ++k) z[k] -= target[k];
  } else {
    z[label] -= 1.0f;
  }
  return max_abs<V>(z, n);
}

template <class V>
float logsumexp(const float* z, std::size_t n) {
  const float m = max_value<V>(z, n);
  return m + std::log(sum_exp_shifted<V>(z, n, m, nullptr));
}

// -log softmax(z)[label] = (m - z[label]) + log sum exp(z - m): no cancellation, no log of an
// underflowed probability.
template <class V>
float cross_entropy(const float* z, std::size_t n, std::size_t label) {
  const float m = max_value<V>(z, n);
  return (m - z[label]) + std::log(sum_exp_shifted<V>(z, n, m, nullptr));
}

// The same against a probability vector t: sum_k t_k (m - z_k) + log s, skipping the classes
// with t_k = 0 so that a masked logit (-Inf) with no target mass adds 0, not NaN.
template <class V>
float cross_entropy(const float* z, const float* t, std::size_t n) {
  const float m = max_value<V>(z, n);
  float dot = 0.0f, mass = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] > 0.0f) {
      dot += t[i] * (m - z[i]);
      mass += t[i];
    }
  }
  return dot + mass * std::log(sum_exp_shifted<V>(z, n, m, nullptr));
}

// q = (z - m) - log sum exp(z - m): no log of an underflowed probability.
template <class V>
void log_softmax(const float* z, float* q, std::size_t n) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  if (n == 0) return;
  const float m = max_value<V>(z, n);
  const vf mv = V::splat(m);
  const vf log_s = V::splat(std::log(sum_exp_shifted<V>(z, n, m, nullptr)));
  std::size_t i = 0;
  for (; i + L <= n; i += L) V::store(q + i, V::sub(V::sub(V::load(z + i), mv), log_s));
  if (i < n) {
    V::store_tail(q + i, n - i, V::sub(V::sub(V::load_tail(z + i, n - i, 0.0f), mv), log_s));
  }
}

}  // namespace lastlayer::kernels
