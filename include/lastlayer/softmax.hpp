// Span-level soft-max kernels: const float* in, float* out, n values. In-place use (q == z) is
// allowed. -Inf entries are masked classes and get probability 0 (log-probability -Inf). When
// every entry is -Inf, or any entry is NaN or +Inf, the distribution is undefined and every
// output is NaN.
#pragma once

#include <cstddef>

namespace lastlayer {

// q = exp(z - m) / sum exp(z - m), m = max z: the shift by m prevents overflow.
void softmax(const float* z, float* q, std::size_t n);

// q = z - logsumexp(z), computed without forming the probabilities (no log of an underflowed 0).
void log_softmax(const float* z, float* q, std::size_t n);

// log sum exp(z) = m + log sum exp(z - m).
float logsumexp(const float* z, std::size_t n);

}  // namespace lastlayer
