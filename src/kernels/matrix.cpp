// The matrix kernels of this build's vector back end, instantiated once (see kernels.hpp).
#include "kernels/kernels.hpp"

#if defined(LASTLAYER_VECTOR_XSIMD)
namespace lastlayer::kernels {

template void logits<Active>(const float*, std::size_t, const float*, const float*, std::size_t,
                             std::size_t, float*, float*);
template void rank_one_update<Active>(float*, std::size_t, float*, const float*, float,
                                      const float*, std::size_t, std::size_t);
template void update_then_logits<Active>(float*, std::size_t, float*, const float*, float,
                                         const float*, const float*, std::size_t, std::size_t,
                                         float*, float*);
template void accumulate_outer<Active>(float*, std::size_t, float*, const float*, const float*,
                                       std::size_t, std::size_t);

}  // namespace lastlayer::kernels
#endif
