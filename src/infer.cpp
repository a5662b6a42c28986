// Inference: probabilities, the predicted class and the loss of one sample.
#include <cmath>
#include <limits>

#include "checked_logits.hpp"
#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/algorithms.hpp"

namespace lastlayer {
namespace {

Status checked_logits(const ConstModelView& m, const float* x, float* z) {
  float x_max = 0.0f;
  return detail::checked_logits(m, x, z, &x_max);
}

}  // namespace

Status probabilities(const ConstModelView& m, const float* x, float* p) {
  if (p == nullptr) return Status::invalid_argument;
  const Status s = checked_logits(m, x, p);
  if (s != Status::ok) return s;
  kernels::softmax(p, p, m.classes);
  return Status::ok;
}

std::size_t predict(const ConstModelView& m, const float* x, float* z) {
  if (checked_logits(m, x, z) != Status::ok) return m.classes;
  std::size_t best = 0;
  for (std::size_t k = 1; k < m.classes; ++k) {
    if (z[k] > z[best]) best = k;
  }
  return best;
}

float loss(const ConstModelView& m, const float* x, std::size_t label, float* z) {
  if (label >= m.classes || checked_logits(m, x, z) != Status::ok) {
    return std::numeric_limits<float>::quiet_NaN();
  }
  return kernels::cross_entropy(z, m.classes, label);
}

float loss(const ConstModelView& m, const float* x, const float* target, float* z) {
  if (detail::check_target(target, m.classes) != Status::ok ||
      checked_logits(m, x, z) != Status::ok) {
    return std::numeric_limits<float>::quiet_NaN();
  }
  return kernels::cross_entropy(z, target, m.classes);
}

}  // namespace lastlayer
