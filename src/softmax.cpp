#include "lastlayer/softmax.hpp"

#include "kernels/kernels.hpp"

namespace lastlayer {

void softmax(const float* z, float* q, std::size_t n) { kernels::softmax(z, q, n); }
void log_softmax(const float* z, float* q, std::size_t n) { kernels::log_softmax(z, q, n); }
float logsumexp(const float* z, std::size_t n) { return kernels::logsumexp(z, n); }

}  // namespace lastlayer
