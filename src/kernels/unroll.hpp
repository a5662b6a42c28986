// unroll<N>(f) calls f(std::integral_constant<std::size_t, i>{}) for i = 0 .. N - 1, written out.
// The kernels keep small arrays of vectors (one accumulator per row of a block); indexed by
// compile-time constants they live in registers, where a plain loop (not always unrolled at -O2)
// would leave them in memory and put a store and a load on every multiply-add's critical path.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

// Forces inlining of a small kernel helper whose result is a group of vectors: returned from an
// out-of-line call, they would travel through memory.
#if defined(__GNUC__)
#define LASTLAYER_INLINE inline __attribute__((always_inline))
#else
#define LASTLAYER_INLINE inline
#endif

// The same for a lambda (after its parameter list): a kernel's row blocks become one function,
// without a call, a register save and a reload of the captured pointers per block.
#if defined(__GNUC__)
#define LASTLAYER_INLINE_LAMBDA __attribute__((always_inline))
#else
#define LASTLAYER_INLINE_LAMBDA
#endif

namespace lastlayer::kernels {

// Both forced inline: with ten rows to a block GCC stops inlining them, and the small arrays
// the calls index (accumulators, row scalars) then live on the stack.
template <class F, std::size_t... I>
LASTLAYER_INLINE void unroll_each(F&& f, std::index_sequence<I...>) {
  (f(std::integral_constant<std::size_t, I>{}), ...);
}

template <std::size_t N, class F>
LASTLAYER_INLINE void unroll(F&& f) {
  unroll_each(f, std::make_index_sequence<N>{});
}

}  // namespace lastlayer::kernels
