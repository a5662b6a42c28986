// Memory layout of a model: W is K rows of D weights, each row padded with zeros to a whole
// number of the widest vector the target has, so kernels never need a tail loop over W.
#pragma once

#include <cstddef>

namespace lastlayer {

#if defined(__ARM_ARCH_PROFILE) && (__ARM_ARCH_PROFILE == 'M')
// Cortex-M: 128-bit Helium vectors at most; a small pad keeps RAM use close to D * K.
inline constexpr std::size_t kRowPadFloats = 4;
inline constexpr std::size_t kRowAlignBytes = 16;
#else
// Application cores: up to 512-bit vectors (AVX-512), rows start on a cache line.
inline constexpr std::size_t kRowPadFloats = 16;
inline constexpr std::size_t kRowAlignBytes = 64;
#endif

// Floats per padded row of D weights.
constexpr std::size_t padded_stride(std::size_t d) {
  return (d + kRowPadFloats - 1) / kRowPadFloats * kRowPadFloats;
}

}  // namespace lastlayer
