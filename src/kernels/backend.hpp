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

// The back end of the soft-max residual of at most 16 classes (kernels.hpp): 256-bit vectors in
// an AVX-512 build. Ten classes fill two 8-lane vectors as well as one 16-lane one, and in a
// training step the residual is a chain of dependent steps (max, exp, sum, division) whose
// horizontal reductions take one step less over 8 lanes: the 64 x 10 step took 94.5 to 95.6 ns
// against 99.8 to 101.8 with the 16-lane vector, 81.8 to 83.5 against 88.3 to 89.9 for many
// samples per call (bench preset, three runs each). Soft-max alone, a throughput measure with no
// step waiting on it, stays 16-lane: 12.3 ns at n = 10 against 16.2 in 8 lanes.
#if defined(LASTLAYER_VECTOR_XSIMD) && defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
using ShortResidual = simd::XsimdVector<xsimd::fma3<xsimd::avx2>>;
#else
using ShortResidual = Active;
#endif

}  // namespace lastlayer::kernels
