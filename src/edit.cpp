// Writing single weights by hand, keeping the overflow bound of the model current.
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "lastlayer/algorithms.hpp"

namespace lastlayer {
namespace {

Status check_value(float v) {
  return std::fabs(v) <= detail::kWeightLimit ? Status::ok : Status::non_finite;
}

}  // namespace

Status set_weight(const ModelView& m, std::size_t k, std::size_t j, float value) {
  if (k >= m.classes || j >= m.inputs) return Status::invalid_argument;
  const Status s = check_value(value);
  if (s != Status::ok) return s;
  m.weights[k * m.stride + j] = value;
  *m.bound = std::fmax(*m.bound, std::fabs(value));
  return Status::ok;
}

Status set_bias(const ModelView& m, std::size_t k, float value) {
  if (k >= m.classes) return Status::invalid_argument;
  const Status s = check_value(value);
  if (s != Status::ok) return s;
  m.bias[k] = value;
  *m.bound = std::fmax(*m.bound, std::fabs(value));
  return Status::ok;
}

void refresh_bound(const ModelView& m) { *m.bound = detail::max_abs_weight(m); }

}  // namespace lastlayer
