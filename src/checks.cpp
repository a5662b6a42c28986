#include "checks.hpp"

#include <cmath>
#include <limits>

namespace lastlayer::detail {

Status check_target(const float* t, std::size_t k) {
  if (t == nullptr) return Status::invalid_argument;
  // A float sum: K rounding errors of 6e-8 are far below the 1e-3 tolerance, and Cortex-M4/M33
  // have no double-precision unit.
  float sum = 0.0f;
  for (std::size_t i = 0; i < k; ++i) {
    if (!(t[i] >= 0.0f && t[i] <= std::numeric_limits<float>::max())) {
      return Status::invalid_argument;
    }
    sum += t[i];
  }
  return std::fabs(sum - 1.0f) <= 1e-3f ? Status::ok : Status::invalid_argument;
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
