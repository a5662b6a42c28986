// The finiteness check of features and logits as one vectorized pass.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/compact.hpp"

namespace lastlayer::kernels {

// max |x[j]| over n >= 0 values, or NaN when any of them is NaN or +-Inf (0 for n = 0). The
// max of x86 drops NaNs, so they are caught separately: 0 * x is NaN exactly for a NaN or an
// Inf, and a sum of those products stays NaN.
template <class V>
float max_abs(const float* x, std::size_t n) {
  if constexpr (kCompact<V> && V::lanes == 1) {
    // One lane: in integer registers. Without its sign bit a float's bit pattern orders like its
    // magnitude (as an unsigned integer), and those of Inf and NaN exceed every finite one, so
    // one integer max per value replaces an FPU compare, its flag transfer and the NaN test.
    std::uint32_t m = 0;
    for (std::size_t j = 0; j < n; ++j) {
      std::uint32_t bits;
      std::memcpy(&bits, x + j, sizeof bits);
      bits &= 0x7fffffffu;
      m = bits > m ? bits : m;
    }
    if (m >= 0x7f800000u) return NAN;  // an Inf or a NaN
    float r;
    std::memcpy(&r, &m, sizeof r);
    return r;
  }
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  const vf zero = V::splat(0.0f);
  vf m = zero, poison = zero;
  for (std::size_t j = 0; j + L <= n; j += L) {
    const vf v = V::load(x + j);
    m = V::max_of_abs(m, v);
    poison = V::fmadd(zero, v, poison);
  }
  if (n % L != 0) {  // placed from n, so no index outlives the loop (see dense.hpp)
    const vf v = V::load_tail(x + (n - n % L), n % L, 0.0f);
    m = V::max_of_abs(m, v);
    poison = V::fmadd(zero, v, poison);
  }
  return V::reduce_max(m) + V::reduce_add(poison);
}

}  // namespace lastlayer::kernels
