// The mean cross-entropy of a data set: the forward half of the batch gradient, for the
// accelerated trainer's acceptance test and for callers that only watch the loss.
#include <cmath>
#include <limits>

#include "batch_checks.hpp"
#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {

Status batch_loss(const ConstModelView& m, const BatchView& data, float* scratch,
                  double* mean_loss) {
  if (scratch == nullptr || mean_loss == nullptr) return Status::invalid_argument;
  const Status s = detail::check_batch(data, m.inputs);
  if (s != Status::ok) return s;
  double sum = 0.0;
  for (std::size_t i = 0; i < data.count; ++i) {
    const float* x = data.features + i * data.stride;
    const std::size_t label = data.labels[i];
    if (label >= m.classes) return Status::invalid_label;
    kernels::logits(m.weights, m.stride, m.bias, x, m.inputs, m.classes, scratch);
    // A NaN or Inf feature makes some logit non-finite, so this one check covers both.
    for (std::size_t k = 0; k < m.classes; ++k) {
      if (!(std::fabs(scratch[k]) <= std::numeric_limits<float>::max())) {
        return Status::non_finite;
      }
    }
    sum += static_cast<double>(kernels::cross_entropy(scratch, m.classes, label));
  }
  *mean_loss = sum / static_cast<double>(data.count);
  return Status::ok;
}

}  // namespace lastlayer
