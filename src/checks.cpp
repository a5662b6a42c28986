#include "checks.hpp"

#include <cmath>
#include <limits>

namespace lastlayer::detail {

Status check_features(const float* x, std::size_t d, float* max_abs) {
  if (x == nullptr) return Status::invalid_argument;
  float m = 0.0f;
  for (std::size_t j = 0; j < d; ++j) {
    const float a = std::fabs(x[j]);
    // `!(a <= max)` is true for Inf and NaN alike, with one compare.
    if (!(a <= std::numeric_limits<float>::max())) return Status::non_finite;
    m = a > m ? a : m;
  }
  *max_abs = m;
  return Status::ok;
}

Status check_learning_rate(const SgdOptions& opt) {
  const float lr = opt.learning_rate;
  return (lr > 0.0f && lr <= std::numeric_limits<float>::max()) ? Status::ok
                                                                  : Status::invalid_argument;
}

Status check_target(const float* t, std::size_t k) {
  if (t == nullptr) return Status::invalid_argument;
  double sum = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!(t[i] >= 0.0f && t[i] <= std::numeric_limits<float>::max())) {
      return Status::invalid_argument;
    }
    sum += t[i];
  }
  return std::fabs(sum - 1.0) <= 1e-3 ? Status::ok : Status::invalid_argument;
}

float max_abs_weight(const ConstModelView& m) {
  float mx = 0.0f;
  for (std::size_t k = 0; k < m.classes; ++k) {
    const float* row = m.weights + k * m.stride;
    for (std::size_t j = 0; j < m.inputs; ++j) mx = std::fmax(mx, std::fabs(row[j]));
    mx = std::fmax(mx, std::fabs(m.bias[k]));
  }
  return mx;
}

bool bound_after_step(const ConstModelView& m, float delta, float* new_bound) {
  float b = *m.bound + delta;
  if (!(b <= kWeightLimit)) b = max_abs_weight(m) + delta;
  if (!(b <= kWeightLimit)) return false;
  *new_bound = b;
  return true;
}

}  // namespace lastlayer::detail
