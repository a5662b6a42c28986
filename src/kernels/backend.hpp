// The vector back end this build uses, chosen at compile time. CMake's LASTLAYER_VECTOR sets one
// of the LASTLAYER_VECTOR_* macros; `auto` sets none, and the target's own macros decide:
// Helium when the compiler targets MVE with floating point, xsimd when it is available and the
// target has SSE2 or NEON, and the scalar back end otherwise.
#pragma once

#if !defined(LASTLAYER_VECTOR_SCALAR) && !defined(LASTLAYER_VECTOR_XSIMD) && \
    !defined(LASTLAYER_VECTOR_MVE)
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#define LASTLAYER_VECTOR_MVE 1
#elif defined(LASTLAYER_HAVE_XSIMD) && (defined(__SSE2__) || defined(__ARM_NEON))
#define LASTLAYER_VECTOR_XSIMD 1
#else
#define LASTLAYER_VECTOR_SCALAR 1
#endif
#endif

#include "vector/scalar.hpp"
#if defined(LASTLAYER_VECTOR_MVE)
#include "vector/mve.hpp"
#elif defined(LASTLAYER_VECTOR_XSIMD)
#include "vector/xsimd.hpp"
#endif

namespace lastlayer::kernels {

#if defined(LASTLAYER_VECTOR_MVE)
using Active = simd::MveVector;
#elif defined(LASTLAYER_VECTOR_XSIMD)
using Active = simd::XsimdDefault;
#else
using Active = simd::ScalarVector;
#endif

}  // namespace lastlayer::kernels
