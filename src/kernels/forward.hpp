// The forward pass of a training step, from the weights to g = softmax(W x + b) - t. On wide back
// ends (dense.hpp's kWide) with up to a few vectors of classes it stays in registers: the logits
// of each group of `lanes` classes (group_logits, the very values kernels::logits stores) go
// straight into the fused soft-max residual. Stored and reloaded instead, z would cost a wait on
// every step: a full-vector load of z cannot be forwarded from the narrower stores that wrote it,
// so it waits for them to reach the cache.
#pragma once

#include <cfloat>
#include <cstddef>

#include "kernels/dense.hpp"
#include "kernels/softmax.hpp"
#include "kernels/unroll.hpp"

namespace lastlayer::kernels {
namespace detail {

template <class V, std::size_t NV>
float logits_residual_regs(const float* w, std::size_t stride, const float* b, const float* x,
                           std::size_t d, std::size_t classes, std::size_t label, const float* t,
                           float* g) {
  using vf = typename V::vf;
  constexpr std::size_t L = V::lanes;
  vf z[NV];
  unroll<NV>([&](auto i) {
    const std::size_t k = i * L;
    if (k + L <= classes) {
      z[i] = group_logits<V>(w + k * stride, stride, b + k, x, d, L);
    } else if (k < classes) {
      // The lanes past the last class become -FLT_MAX, as residual_from_registers expects.
      const vf zk = group_logits<V>(w + k * stride, stride, b + k, x, d, classes - k);
      const vf real = V::splat(static_cast<float>(classes - k));
      z[i] = V::select(V::less(V::load(kLane), real), zk, V::splat(-FLT_MAX));
    } else {
      z[i] = V::splat(-FLT_MAX);
    }
  });
  return residual_from_registers<V, NV>(z, classes, label, t, g);
}

}  // namespace detail

// g = softmax(W x + b) - t, t = target or, when target is null, the one-hot of label (already
// validated); returns max |g|, or NaN for a NaN or Inf logit (g then holds no residual). Needs
// the model layout (padded rows, as logits does).
template <class V>
float logits_residual(const float* w, std::size_t stride, const float* b, const float* x,
                      std::size_t d, std::size_t classes, std::size_t label, const float* target,
                      float* g) {
  constexpr std::size_t L = V::lanes;
  if constexpr (kWide<V>) {
    if (classes <= L)
      return detail::logits_residual_regs<V, 1>(w, stride, b, x, d, classes, label, target, g);
    if (classes <= 2 * L)
      return detail::logits_residual_regs<V, 2>(w, stride, b, x, d, classes, label, target, g);
    if constexpr (L == 4) {  // up to 16 classes in four registers
      if (classes <= 3 * L)
        return detail::logits_residual_regs<V, 3>(w, stride, b, x, d, classes, label, target, g);
      if (classes <= 4 * L)
        return detail::logits_residual_regs<V, 4>(w, stride, b, x, d, classes, label, target, g);
    }
  }
  logits<V>(w, stride, b, x, d, classes, g);
  return softmax_residual<V>(g, classes, label, target);
}

}  // namespace lastlayer::kernels
