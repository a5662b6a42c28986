// The forward pass every algorithm that reads a sample starts with.
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/kernels.hpp"
#include "lastlayer/model_view.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer::detail {

// z = W x + b and *x_max = max |x| after checking x: invalid_argument for a null x, non_finite
// for a NaN or Inf in x or a logit that overflows (finite x and finite weights can still
// overflow a dot product, and soft-max of it would be NaN).
inline Status checked_logits(const ConstModelView& m, const float* x, float* z, float* x_max) {
  const Status s = kernels::check_features(x, m.inputs, x_max);
  if (s != Status::ok) return s;
  kernels::logits(m.weights, m.stride, m.bias, x, m.inputs, m.classes, z);
  return kernels::max_abs(z, m.classes) <= std::numeric_limits<float>::max() ? Status::ok
                                                                             : Status::non_finite;
}

}  // namespace lastlayer::detail
