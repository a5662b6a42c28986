// The matrix kernels of a training step, written once over the vector operations:
// logits z = W x + b, the rank-one update W -= lr g x^T, gradient accumulation G += g x^T, and the
// mean-gradient step W -= c G.
//
// Layout (include/lastlayer/layout.hpp): rows are `stride` floats apart, stride a multiple of
// kRowPadFloats, and the padding after column D holds zeros. The caller's x has only D values.
// So every loop runs over whole vectors of a row, and only x has a tail: it is loaded with its
// missing lanes set to 0. In the logits, 0 * (padding 0) adds nothing; in the updates, the
// padding becomes 0 - c * 0 = +0 again, so rows need no tail loop and stay zero-padded.
#pragma once

#include <cstddef>
#include <type_traits>

#include "kernels/backend.hpp"
#include "kernels/compact.hpp"
#include "kernels/max_abs.hpp"
#include "kernels/unroll.hpp"
#include "lastlayer/layout.hpp"

namespace lastlayer::kernels {

// Rows handled per pass over x (register blocking): each load of x serves this many rows, and
// their independent accumulators hide the latency of the multiply-adds.
inline constexpr std::size_t kRowBlock = 4;

// The rows of a full block on a given back end: kRowBlock; five on Helium, whose 8 Q registers
// hold five accumulators, x and a row vector (five rows per x load cut the loads, and 10 classes
// take two blocks rather than three); ten on a compact one-lane FPU, whose scratch registers
// hold ten scalars (or accumulators), x and a temporary.
template <class V>
inline constexpr std::size_t kBlockRows = (!kCompact<V> && V::lanes >= 4 && V::registers == 8) ? 5
                                          : kCompact<V>                                        ? 10
                                                        : kRowBlock;

// The rows of a full block of the fused update-then-logits (logits_pass with PriorStep).
// With AVX-512, two: the pass is bound by its stores (every weight is written back), and on the
// Zen 4 core this was tuned on, it streamed the weights fastest with two rows in flight
// (update-then-logits alone at 256 x 32: 409 ns in blocks of two rows, 429 of four, 486 of
// eight; 784 x 10: 370, 406, 421). Eight with 32 vector registers otherwise (aarch64), where two
// sets of eight accumulators, x, the previous x and the eight coefficients still fit: each block
// reloads x and the previous x, so larger blocks halve those loads. The plain logits and update
// keep kBlockRows.
template <class V>
inline constexpr std::size_t kFusedBlockRows = !kCompact<V> && V::lanes == 16       ? 2
                                               : !kCompact<V> && V::registers >= 32 ? 8
                                                                                    : kBlockRows<V>;

// Whether the sums of a row use two accumulator sets (even vectors in one, odd in the other):
// twice the independent chains, where the registers hold 2R accumulators. Not for AVX-512 rows
// longer than 128 floats: one set, one vector per step of the loop, made the store-bound fused
// pass 5 to 12 % faster there (many samples per call, 256 x 32 and 784 x 10; at 64 x 10 two
// sets were 15 % faster). The sets decide the order of the additions, so every kernel forming
// logits follows this one rule for a row of d floats, and the logits of the fused pass and of
// logits() agree to the bit.
template <class V, std::size_t R>
inline constexpr bool kTwoSetsFit = !kCompact<V> && V::registers >= 16 && 2 * R + 3 <= V::registers;
template <class V>
inline constexpr bool kOneSetForLongRows = !kCompact<V> && V::lanes == 16;
inline constexpr std::size_t kLongRowFloats = 128;

// The plain logits of those long AVX-512 rows take eight rows per block, each load of x serving
// more rows (logits alone: 784 x 10 198 ns in blocks of eight, 222 of four; at 64 x 10 four rows
// were faster, 22 against 25; the line is drawn where the one-set rule draws it, although
// 128 x 10 also measured faster in eights, 33 against 37).
template <class V>
inline constexpr std::size_t kLongRowBlockRows = kOneSetForLongRows<V> ? 8 : kBlockRows<V>;

// The rows of a block of the rank-one update and of gradient accumulation: two with AVX-512,
// store-bound like the fused pass (update alone: 256 x 32 324 ns in blocks of two rows, 344 of
// four; 784 x 10 315 and 328; 64 x 10 28 and 33; accumulation: 346 and 356, 323 and 333, at
// 64 x 10 34 and 33).
template <class V>
inline constexpr std::size_t kUpdateBlockRows = !kCompact<V> && V::lanes == 16 ? 2 : kBlockRows<V>;

// Wide back ends (4+ lanes, 16+ registers: SSE, AVX2, AVX-512, NEON) also compile the kernels
// for short rows of a known number of vectors, 1 .. kShortRowVectors (up to 128 floats with
// AVX-512): the loops over a row are then written out, every load at a constant offset, with no
// loop counter, no pointer steps and no tail branch. At 64 x 10 those are most of a step's
// instructions besides the multiply-adds. Only for the back end the library runs (Active): not
// on Cortex-M, where each length is another copy of the kernels in flash, nor for the narrower
// variants an AVX-512 build also compiles for its tests, which test their own lengths in their
// own builds (presets host-sse2, host-avx2).
// (Sanitizer builds define LASTLAYER_SHORT_ROW_VECTORS=2: instrumented, the eight lengths take
// minutes to compile; two still run the kernel tests through both forms of the loops.)
#if !defined(LASTLAYER_SHORT_ROW_VECTORS)
#define LASTLAYER_SHORT_ROW_VECTORS 8
#endif
template <class V>
inline constexpr std::size_t kShortRowVectors =
    !kCompact<V> && V::lanes >= 4 && V::registers >= 16 && std::is_same_v<V, Active>
        ? LASTLAYER_SHORT_ROW_VECTORS
        : 0;

namespace detail {

// The running max |x| of a pass over x: per-lane maxima in a vector, reduced at the end, or a
// scalar where the back end keeps one (V::abs_max_t: Helium's VMAXNMAV, see mve.hpp).
template <class V, class = void>
struct AbsMax {
  using type = typename V::vf;
  static type zero() { return V::splat(0.0f); }
  static float value(type m) { return V::reduce_max(m); }
};
template <class V>
struct AbsMax<V, std::void_t<typename V::abs_max_t>> {
  using type = typename V::abs_max_t;
  static type zero() { return 0.0f; }
  static float value(type m) { return m; }
};
template <class V>
using AbsMaxT = typename AbsMax<V>::type;

// x[j .. j + lanes), zero past x[d - 1].
template <class V>
inline typename V::vf load_x(const float* x, std::size_t j, std::size_t d) {
  return j + V::lanes <= d ? V::load(x + j) : V::load_tail(x + j, d - j, 0.0f);
}

// Row r of w . x for R rows (R = 1 .. kBlockRows), as R vectors whose lanes sum to the dot
// products.
// A second accumulator set doubles the independent chains where registers allow (2R
// accumulators, two x vectors and a weight vector); Helium's 8 Q registers take one set, and so
// does a compact back end (one loop body; the R chains already fill an in-order FPU).
template <class V, std::size_t R>
struct RowSums {
  typename V::vf v[R];
};

// The rank-one update that update_then_logits applies to each row as the logits read it:
// w[r] += c[r] * x_prev, stored back, and the updated value used for the dot product.
struct PriorUpdate {
  const float* x_prev;
  const float* c;  // one coefficient per row of the block
};

// A weight vector at p as the logits read it: with kUpdate, first updated by c * xp (the fused
// multiply-add of outer_rows) and stored back.
template <class V, bool kUpdate, class P>
LASTLAYER_INLINE typename V::vf weight_vector(P p, typename V::vf xp, float c) {
  if constexpr (kUpdate) {
    const typename V::vf updated = V::fmadd_k(xp, c, V::load(p));
    V::store(p, updated);
    return updated;
  } else {
    (void)xp;
    (void)c;
    return V::load(p);
  }
}

// x_prev's vector at column j (`tail` lanes when nonzero), with kUpdate; nothing otherwise.
template <class V, bool kUpdate>
LASTLAYER_INLINE typename V::vf prior_x(const PriorUpdate& prior, std::size_t j, std::size_t tail) {
  if constexpr (kUpdate) {
    return tail == 0 ? V::load(prior.x_prev + j) : V::load_tail(prior.x_prev + j, tail, 0.0f);
  } else {
    (void)prior;
    (void)j;
    (void)tail;
    return V::splat(0.0f);
  }
}

// (With x_abs non-null, *x_abs also takes the max of |x| over the loaded vectors: the feature
// check riding along with the loads of x; see logits.)
// NV > 0: the row has NV vectors (NV = ceil(d / lanes)), and the loop is written out.
// kUpdate: each weight vector first gets the prior update (the same fused multiply-add as
// outer_rows) and is stored; the sums then use the new weights, in the same order as without.
template <class V, std::size_t R, std::size_t NV = 0, bool kUpdate = false, bool kLong = false>
LASTLAYER_INLINE RowSums<V, R> row_sums(std::conditional_t<kUpdate, float*, const float*> w,
                                        std::size_t stride, const float* x, std::size_t d,
                                        AbsMaxT<V>* x_abs = nullptr,
                                        PriorUpdate prior = {nullptr, nullptr}) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  constexpr bool kTwoSets = kTwoSetsFit<V, R> && !(kLong && kOneSetForLongRows<V>);
  decltype(w) row[R];  // one pointer per row, stepped along: no index arithmetic per load
  // The update's coefficients in registers: read through prior.c they would be reloaded after
  // every store to a row, which the compiler cannot prove does not alias them.
  float c[R];
  unroll<R>([&](auto r) { c[r] = kUpdate ? prior.c[r] : 0.0f; });
  RowSums<V, R> acc;
  vf acc2[R];
  unroll<R>([&](auto r) {
    row[r] = w + r * stride;
    acc.v[r] = acc2[r] = V::splat(0.0f);
  });
  // max |x| in a register of its own: through the pointer, GCC keeps it in memory once the
  // loop also stores weights (Helium, fused pass: a load and a store per vector of x).
  const bool track = x_abs != nullptr;
  AbsMaxT<V> xa = track ? *x_abs : AbsMax<V>::zero();
  if constexpr (NV > 0) {
    unroll<NV>([&](auto jv) {
      constexpr std::size_t v = decltype(jv)::value, j = v * L;
      const vf xv = v + 1 < NV ? V::load(x + j) : load_x<V>(x, j, d);
      const vf xp = prior_x<V, kUpdate>(prior, j, v + 1 < NV || j + L <= d ? 0 : d - j);
      if (track) xa = V::max_of_abs(xa, xv);
      unroll<R>([&](auto r) {
        if constexpr (kTwoSets && v % 2 == 1) {  // alternate sets: 2R chains
          acc2[r] = V::fmadd(weight_vector<V, kUpdate>(row[r] + j, xp, c[r]), xv, acc2[r]);
        } else {
          acc.v[r] = V::fmadd(weight_vector<V, kUpdate>(row[r] + j, xp, c[r]), xv, acc.v[r]);
        }
      });
    });
    if constexpr (kTwoSets) unroll<R>([&](auto r) { acc.v[r] = V::add(acc.v[r], acc2[r]); });
    if (track) *x_abs = xa;
    return acc;
  }
  std::size_t j = 0;
  if constexpr (kTwoSets) {
    for (; j + 2 * L <= d; j += 2 * L) {
      const vf x0 = V::load(x + j), x1 = V::load(x + j + L);
      const vf p0 = prior_x<V, kUpdate>(prior, j, 0), p1 = prior_x<V, kUpdate>(prior, j + L, 0);
      if (track) xa = V::max_of_abs(V::max_of_abs(xa, x0), x1);
      unroll<R>([&](auto r) {
        acc.v[r] = V::fmadd(weight_vector<V, kUpdate>(row[r], p0, c[r]), x0, acc.v[r]);
        acc2[r] = V::fmadd(weight_vector<V, kUpdate>(row[r] + L, p1, c[r]), x1, acc2[r]);
        row[r] += 2 * L;
      });
    }
  }
  // x_prev stepped along with x (not indexed from x's offset: two instructions a vector more).
  const float* xpj = nullptr;
  if constexpr (kUpdate) xpj = prior.x_prev + j;
  for (const float *xj = x + j, *end = x + (d - d % L); xj != end; xj += L) {
    const vf xv = V::load(xj);
    vf xp = V::splat(0.0f);
    if constexpr (kUpdate) {
      xp = V::load(xpj);
      xpj += L;
    }
    if (track) xa = V::max_of_abs(xa, xv);
    unroll<R>([&](auto r) {
      acc.v[r] = V::fmadd(weight_vector<V, kUpdate>(row[r], xp, c[r]), xv, acc.v[r]);
      row[r] += L;
    });
  }
  if (d % L != 0) {  // the tail: x's missing lanes load as 0, against the row's zero padding
    // (Its place is taken from d, not from j: then no column index has to outlive the loops.)
    const vf xv = V::load_tail(x + (d - d % L), d % L, 0.0f);
    const vf xp = prior_x<V, kUpdate>(prior, d - d % L, d % L);
    if (track) xa = V::max_of_abs(xa, xv);
    // Into the set of its vector index, as in the written-out form (odd: the second set), so
    // that both forms of the loop give the same sums to the bit.
    if (kTwoSets && (d / L) % 2 == 1) {
      unroll<R>([&](auto r) {
        acc2[r] = V::fmadd(weight_vector<V, kUpdate>(row[r], xp, c[r]), xv, acc2[r]);
      });
    } else {
      unroll<R>([&](auto r) {
        acc.v[r] = V::fmadd(weight_vector<V, kUpdate>(row[r], xp, c[r]), xv, acc.v[r]);
      });
    }
  }
  if constexpr (kTwoSets) unroll<R>([&](auto r) { acc.v[r] = V::add(acc.v[r], acc2[r]); });
  if (track) *x_abs = xa;
  return acc;
}

// z[r] = b[r] + the lane sum of acc.v[r], for R <= 4 rows. The horizontal sums are taken four
// at a time (a partial block padded with zero vectors), the same additions as the fused step's,
// so both paths give the same logits.
template <class V, std::size_t R>
LASTLAYER_INLINE void logits_sums(const RowSums<V, R>& acc, const float* b, float* z) {
  // Rows past R are zero vectors, named one by one: a padded copy of the block's accumulators
  // would be an array that GCC keeps on the stack, and stores to the stack cost the fused pass
  // the store bandwidth it is bound by.
  const typename V::vf zero = V::splat(0.0f);
  const auto row = [&](auto r) {
    if constexpr (decltype(r)::value < R) {
      return acc.v[decltype(r)::value];
    } else {
      return zero;
    }
  };
  using I0 = std::integral_constant<std::size_t, 0>;
  using I1 = std::integral_constant<std::size_t, 1>;
  using I2 = std::integral_constant<std::size_t, 2>;
  using I3 = std::integral_constant<std::size_t, 3>;
  if constexpr (R == 4) {
    // A full block: the four biases and logits are read and written as one 4-lane vector.
    V::reduce_add4(row(I0{}), row(I1{}), row(I2{}), row(I3{}), b, z);
  } else {
    // A partial block must not touch b or z past row R: the sums go to a local array and the
    // biases are added one by one. (Not a padded copy of b: GCC 12 may move the scalar stores
    // that fill such a copy past Helium's vector load of it.)
    alignas(16) static constexpr float kNoBias[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    float sums[4];
    V::reduce_add4(row(I0{}), row(I1{}), row(I2{}), row(I3{}), kNoBias, sums);
    unroll<R>([&](auto r) { z[r] = sums[r] + b[r]; });
  }
}

// z[r] = b[r] + row r of w . x, for R rows: blocks of more than four rows are summed four rows
// at a time, then the rest.
template <class V, std::size_t R, std::size_t NV = 0, bool kUpdate = false, bool kLong = false>
LASTLAYER_INLINE void logits_rows(std::conditional_t<kUpdate, float*, const float*> w,
                                  std::size_t stride, const float* b, const float* x, std::size_t d,
                                  float* z, AbsMaxT<V>* x_abs = nullptr,
                                  PriorUpdate prior = {nullptr, nullptr}) {
  const RowSums<V, R> all = row_sums<V, R, NV, kUpdate, kLong>(w, stride, x, d, x_abs, prior);
  if constexpr (R <= 4) {
    logits_sums<V, R>(all, b, z);
  } else {
    unroll<R / 4>([&](auto group) {
      constexpr std::size_t g = 4 * decltype(group)::value;
      V::reduce_add4(all.v[g], all.v[g + 1], all.v[g + 2], all.v[g + 3], b + g, z + g);
    });
    constexpr std::size_t kDone = R - R % 4;
    if constexpr (R % 4 == 1) {
      // One row left: its lanes summed directly, in reduce_add4's order.
      z[kDone] = V::reduce_add(all.v[kDone]) + b[kDone];
    } else if constexpr (R % 4 != 0) {
      RowSums<V, R % 4> rest;
      unroll<R % 4>([&](auto r) { rest.v[r] = all.v[kDone + r]; });
      logits_sums<V, R % 4>(rest, b + kDone, z + kDone);
    }
  }
}

// w[r] += s[r] * x over the padded row (s = -lr g for the update, g for accumulation): one
// sweep, each x vector loaded once for R rows.
template <class V, std::size_t R, std::size_t NV = 0>
LASTLAYER_INLINE void outer_rows(float* w, std::size_t stride, const float* s, const float* x,
                                 std::size_t d) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  float* row[R];
  float c[R];  // scalar operands: Helium's vector-by-scalar VFMA keeps them in core registers
  unroll<R>([&](auto r) {
    row[r] = w + r * stride;
    c[r] = s[r];
  });
  if constexpr (NV > 0) {  // NV vectors per row, written out (see row_sums)
    unroll<NV>([&](auto jv) {
      constexpr std::size_t v = decltype(jv)::value, j = v * L;
      const vf xv = v + 1 < NV ? V::load(x + j) : load_x<V>(x, j, d);
      unroll<R>([&](auto r) { V::store(row[r] + j, V::fmadd_k(xv, c[r], V::load(row[r] + j))); });
    });
    return;
  }
  for (const float *xj = x, *end = x + (d - d % L); xj != end; xj += L) {
    const vf xv = V::load(xj);
    unroll<R>([&](auto r) {
      V::store(row[r], V::fmadd_k(xv, c[r], V::load(row[r])));
      row[r] += L;
    });
  }
  if (d % L != 0) {  // placed from d, as in row_sums
    const vf xv = V::load_tail(x + (d - d % L), d % L, 0.0f);
    unroll<R>([&](auto r) { V::store(row[r], V::fmadd_k(xv, c[r], V::load(row[r]))); });
  }
}

// Calls f.template operator()<R>(k) over the rows in blocks of B, then of 2, then 1. The callers'
// lambdas are inlined, so a kernel is one function, and capture by value: by reference, GCC
// reloads every captured pointer after each store to the bias or the logits.
template <std::size_t B, class F>
LASTLAYER_INLINE void for_row_blocks(std::size_t classes, F&& f) {
  std::size_t k = 0;
  for (; k + B <= classes; k += B) f(std::integral_constant<std::size_t, B>{}, k);
  for (; k + 2 <= classes; k += 2) f(std::integral_constant<std::size_t, 2>{}, k);
  if (k < classes) f(std::integral_constant<std::size_t, 1>{}, k);
}
// The same blocks, last first. The rank-one update runs after the logits have swept the rows
// from the first: backwards, it starts on the rows the cache took last. (Rows are independent,
// so the order changes no bits. 784 x 10 and 256 x 32, whose weights fill a 32 KB L1 cache,
// took 3 % less time per step on AVX-512.)
template <std::size_t B, class F>
LASTLAYER_INLINE void for_row_blocks_reversed(std::size_t classes, F&& f) {
  const std::size_t full = classes - classes % B;
  std::size_t k = full + (classes - full) / 2 * 2;
  if (k < classes) f(std::integral_constant<std::size_t, 1>{}, k);
  for (; k > full; k -= 2) f(std::integral_constant<std::size_t, 2>{}, k - 2);
  for (; k > 0; k -= B) f(std::integral_constant<std::size_t, B>{}, k - B);
}

// f(std::integral_constant<std::size_t, NV>{}): NV = ceil(d / lanes) when that is a short row
// (1 .. kShortRowVectors), else NV = 0, the run-time length.
template <class V, class F>
LASTLAYER_INLINE void with_row_vectors(std::size_t d, F&& f) {
  constexpr std::size_t kMax = kShortRowVectors<V>;
  if constexpr (kMax > 0) {
    const std::size_t nv = (d + V::lanes - 1) / V::lanes;
    if (nv >= 1 && nv <= kMax) {
      unroll<kMax>([&](auto i) LASTLAYER_INLINE_LAMBDA {
        if (nv == decltype(i)::value + 1) f(std::integral_constant<std::size_t, i + 1>{});
      });
      return;
    }
  }
  f(std::integral_constant<std::size_t, 0>{});
}

// f(std::bool_constant<kLong>{}) for rows of d floats: kLong when they are longer than
// kLongRowFloats on a back end with a separate rule for such rows (kOneSetForLongRows), so that
// only those back ends compile the kernels twice.
template <class V, class F>
LASTLAYER_INLINE void with_row_class(std::size_t d, F&& f) {
  if constexpr (kOneSetForLongRows<V>) {
    if (d > kLongRowFloats) return f(std::true_type{});
  }
  f(std::false_type{});
}

// Whether the back end reads one lane of a vector into a scalar (V::lane).
template <class V, class = void>
struct HasLane : std::false_type {};
template <class V>
struct HasLane<
    V, std::void_t<decltype(V::lane(V::splat(0.0f), std::integral_constant<std::size_t, 0>{}))>>
    : std::true_type {};

// s = (-lr) g for the R rows of a block at k, and b += s: the rank-one update's coefficients and
// its bias step. The first `lanes` rows as one vector where the block has them (the same products
// and sums, lane by lane), the rest one by one.
template <class V, std::size_t R>
LASTLAYER_INLINE void step_coefficients(const float* g, float neg_lr, float* b, float* s) {
  constexpr std::size_t L = V::lanes;
  constexpr std::size_t kVec = L > 1 && R >= L ? L : 0;
  if constexpr (kVec != 0) {
    const typename V::vf sv = V::mul_k(V::load(g), neg_lr);
    V::store(b, V::add(V::load(b), sv));
    if constexpr (HasLane<V>::value) {
      // Lane by lane into s, which then needs no memory (see V::lane).
      unroll<kVec>([&](auto i) { s[i] = V::lane(sv, i); });
    } else {
      V::store(s, sv);
    }
  }
  unroll<R - kVec>([&](auto i) {
    constexpr std::size_t r = kVec + decltype(i)::value;
    s[r] = neg_lr * g[r];
    b[r] += s[r];
  });
}

// The kernels below are written for one row length: NV vectors per row, or NV = 0 for any
// length. Each is a function of its own: inlined into one, the nine lengths' register
// allocation collapses.

// No update before the logits.
struct NoPrior {};
// The previous sample's step, taken by each block before its logits: b += s and W += s x_prev^T
// as its rows are read, s = (-lr) g, as rank_one_update would.
struct PriorStep {
  const float* g;
  float neg_lr;  // (-lr) g is -(lr g) exactly, as in rank_one_update
  const float* x_prev;
};

// The logits of rows of one length, after the prior step if there is one. kLong: rows longer
// than kLongRowFloats (see kOneSetForLongRows). Each length is a function of its own
// (logits_of_length below), except the fused pass on back ends with kInlineFusedPass.
template <class V, std::size_t NV, class Prior, bool kLong>
LASTLAYER_INLINE void logits_pass(
    std::conditional_t<std::is_same_v<Prior, PriorStep>, float*, const float*> w,
    std::size_t stride,
    std::conditional_t<std::is_same_v<Prior, PriorStep>, float*, const float*> b, const float* x,
    std::size_t d, std::size_t classes, float* z, float* x_max, Prior prior) {
  constexpr bool kUpdate = std::is_same_v<Prior, PriorStep>;
  constexpr std::size_t B = kUpdate ? kFusedBlockRows<V>
                            : kLong ? kLongRowBlockRows<V>
                                    : kBlockRows<V>;
  AbsMaxT<V> x_abs = AbsMax<V>::zero();
  AbsMaxT<V>* const xa = &x_abs;
  // The block of R rows at k: the prior step on its coefficients and biases first, then its sums.
  const auto block = [=](auto rows, std::size_t k,
                         AbsMaxT<V>* x_abs_of_block) LASTLAYER_INLINE_LAMBDA {
    constexpr std::size_t R = decltype(rows)::value;
    if constexpr (kUpdate) {
      alignas(16) float s[R];
      step_coefficients<V, R>(prior.g + k, prior.neg_lr, b + k, s);
      logits_rows<V, R, NV, true, kLong>(w + k * stride, stride, b + k, x, d, z + k, x_abs_of_block,
                                         PriorUpdate{prior.x_prev, s});
    } else {
      logits_rows<V, R, NV, false, kLong>(w + k * stride, stride, b + k, x, d, z + k,
                                          x_abs_of_block);
    }
  };
  std::size_t k0 = 0;
  if constexpr (!kCompact<V>) {
    if (classes >= B) {
      block(std::integral_constant<std::size_t, B>{}, 0, xa);
      k0 = B;
    }
  }
  for_row_blocks<B>(classes - k0, [=](auto rows, std::size_t i) LASTLAYER_INLINE_LAMBDA {
    block(rows, k0 + i, kCompact<V> && decltype(rows)::value == B ? xa : nullptr);
  });
  if (x_max != nullptr) *x_max = classes >= B ? AbsMax<V>::value(x_abs) : max_abs<V>(x, d);
}

template <class V, std::size_t NV, class Prior = NoPrior, bool kLong = false>
void logits_of_length(std::conditional_t<std::is_same_v<Prior, PriorStep>, float*, const float*> w,
                      std::size_t stride,
                      std::conditional_t<std::is_same_v<Prior, PriorStep>, float*, const float*> b,
                      const float* x, std::size_t d, std::size_t classes, float* z, float* x_max,
                      Prior prior = {}) {
  logits_pass<V, NV, Prior, kLong>(w, stride, b, x, d, classes, z, x_max, prior);
}

// Whether update_then_logits takes the fused pass inline rather than as a call: one call and
// the copying of its eleven arguments less per sample. On Helium that was 15 instructions per
// 64 x 10 sample (many per call), and on the Cortex-M4F 27; with AVX-512, whose wider code then
// shares one function's registers, the step took 87 ns instead of 82, so xsimd back ends keep
// the call.
template <class V>
inline constexpr bool kInlineFusedPass = V::registers <= 8 || kCompact<V>;

template <class V, std::size_t NV>
void rank_one_update_of_length(float* w, std::size_t stride, float* b, const float* g, float lr,
                               const float* x, std::size_t d, std::size_t classes) {
  const float neg_lr = -lr;  // (-lr) g is -(lr g) exactly: one multiply per row, no negation
  constexpr std::size_t B = kUpdateBlockRows<V>;
  const auto block = [=](auto rows, std::size_t k) LASTLAYER_INLINE_LAMBDA {
    constexpr std::size_t R = decltype(rows)::value;
    alignas(16) float s[R];
    step_coefficients<V, R>(g + k, neg_lr, b + k, s);
    outer_rows<V, R, NV>(w + k * stride, stride, s, x, d);
  };
  // Last rows first (see for_row_blocks_reversed), except on a compact back end: an FPU-only
  // Cortex-M has no data cache to favour, and there the forward walk, with no division by the
  // block size, took fewer instructions (Cortex-M4F: 8 per 64 x 10 step, 20 per 16 x 26; on
  // Helium it took 6 more).
  if constexpr (kCompact<V>) {
    for_row_blocks<B>(classes, block);
  } else {
    for_row_blocks_reversed<B>(classes, block);
  }
}

}  // namespace detail

// With x_max non-null, also *x_max = max |x[j]|, from the loads of x in a full block (one
// vector max per load; a full block's rows outnumber it): the first one on vector back ends,
// every one on compact back ends (one copy of the block code); in a pass of its own when there
// is no full block. It does not flag NaN or Inf features: they make every logit NaN or Inf
// (0 * Inf is NaN), which the caller's check of z catches.
template <class V>
void logits(const float* w, std::size_t stride, const float* b, const float* x, std::size_t d,
            std::size_t classes, float* z, float* x_max) {
  static_assert(kRowPadFloats % V::lanes == 0, "rows must be padded to whole vectors");
  detail::with_row_vectors<V>(d, [=](auto nv) LASTLAYER_INLINE_LAMBDA {
    constexpr std::size_t NV = decltype(nv)::value;
    if constexpr (NV > 0) {  // (NV - 1) lanes < d <= NV lanes, and kLongRowFloats is whole lanes
      constexpr bool kLong = kOneSetForLongRows<V> && (NV - 1) * V::lanes >= kLongRowFloats;
      detail::logits_of_length<V, NV, detail::NoPrior, kLong>(w, stride, b, x, d, classes, z,
                                                              x_max);
    } else {
      detail::with_row_class<V>(d, [=](auto is_long) LASTLAYER_INLINE_LAMBDA {
        detail::logits_of_length<V, 0, detail::NoPrior, decltype(is_long)::value>(
            w, stride, b, x, d, classes, z, x_max);
      });
    }
  });
}

template <class V>
void logits(const float* w, std::size_t stride, const float* b, const float* x, std::size_t d,
            std::size_t classes, float* z) {
  logits<V>(w, stride, b, x, d, classes, z, nullptr);
}

// rank_one_update(w, stride, b, g, lr, x_prev, ...) and then logits(w, stride, b, x, ...,
// x_max) in one pass over the rows: each weight vector is loaded once, updated, stored, and
// used for the next sample's logits. The same operations in the same order, so the same bits as
// the two calls; half the loads, and no second sweep after the update has to wait for it.
// Rows of any length take the loop form: written out for each short length as well, the pass
// measured no faster at 64 x 10 with AVX-512 (many per call 92 to 98 ns against 89), and the
// copies had added 30 KB of code on aarch64 and armv7.
template <class V>
void update_then_logits(float* w, std::size_t stride, float* b, const float* g, float lr,
                        const float* x_prev, const float* x, std::size_t d, std::size_t classes,
                        float* z, float* x_max) {
  static_assert(kRowPadFloats % V::lanes == 0, "rows must be padded to whole vectors");
  const detail::PriorStep prior{g, -lr, x_prev};
  detail::with_row_class<V>(d, [=](auto is_long) LASTLAYER_INLINE_LAMBDA {
    constexpr bool kLong = decltype(is_long)::value;
    if constexpr (detail::kInlineFusedPass<V>) {
      detail::logits_pass<V, 0, detail::PriorStep, kLong>(w, stride, b, x, d, classes, z, x_max,
                                                          prior);
    } else {
      detail::logits_of_length<V, 0, detail::PriorStep, kLong>(w, stride, b, x, d, classes, z,
                                                               x_max, prior);
    }
  });
}

// W -= lr g x^T, b -= lr g. The update uses one fused multiply-add per weight where the ISA
// has one, so it can differ from the reference's w - (c x) by one rounding.
template <class V>
void rank_one_update(float* w, std::size_t stride, float* b, const float* g, float lr,
                     const float* x, std::size_t d, std::size_t classes) {
  static_assert(kRowPadFloats % V::lanes == 0, "rows must be padded to whole vectors");
  detail::with_row_vectors<V>(d, [=](auto nv) LASTLAYER_INLINE_LAMBDA {
    detail::rank_one_update_of_length<V, decltype(nv)::value>(w, stride, b, g, lr, x, d, classes);
  });
}

// G += g x^T, gb += g.
template <class V>
void accumulate_outer(float* gw, std::size_t stride, float* gb, const float* g, const float* x,
                      std::size_t d, std::size_t classes) {
  static_assert(kRowPadFloats % V::lanes == 0, "rows must be padded to whole vectors");
  constexpr std::size_t B = kUpdateBlockRows<V>;
  detail::for_row_blocks<B>(classes, [=](auto rows, std::size_t k) LASTLAYER_INLINE_LAMBDA {
    constexpr std::size_t R = decltype(rows)::value;
    unroll<R>([&](auto r) { gb[k + r] += g[k + r]; });
    detail::outer_rows<V, R>(gw + k * stride, stride, g + k, x, d);
  });
}

// W -= c G, b -= c gb over whole padded rows (G's padding is 0 too, so W's stays 0).
template <class V>
void subtract_scaled(float* w, float* b, const float* gw, const float* gb, float c,
                     std::size_t stride, std::size_t d, std::size_t classes) {
  static_assert(kRowPadFloats % V::lanes == 0, "rows must be padded to whole vectors");
  const typename V::vf cv = V::splat(c);
  for (std::size_t k = 0; k < classes; ++k) {
    float* row = w + k * stride;
    const float* grow = gw + k * stride;
    for (std::size_t j = 0; j < d; j += V::lanes) {
      V::store(row + j, V::fnmadd(cv, V::load(grow + j), V::load(row + j)));
    }
    b[k] -= c * gb[k];
  }
}

}  // namespace lastlayer::kernels
