// Validation shared by the batch algorithms, run before they touch any output.
#pragma once

#include <cstddef>

#include "lastlayer/convex.hpp"
#include "lastlayer/model_view.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer::detail {

// The data set's pointers, count and stride fit a model with `inputs` features.
inline Status check_batch(const BatchView& data, std::size_t inputs) {
  if (data.features == nullptr || data.labels == nullptr) return Status::invalid_argument;
  if (data.count == 0) return Status::empty_batch;
  return data.stride >= inputs ? Status::ok : Status::invalid_argument;
}

// A gradient buffer laid out like the model it belongs to.
inline bool same_shape(const ConstModelView& m, const GradientView& g) {
  return g.inputs == m.inputs && g.classes == m.classes && g.stride == m.stride;
}

// Mean-gradient Frobenius norm of a summed gradient over `n` samples, in double.
double mean_gradient_norm(const GradientView& g, std::size_t n);

}  // namespace lastlayer::detail
