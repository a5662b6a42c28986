// Hessian-vector products of the summed loss (MATH.md fact 5) without forming H:
// H v = sum_n (J_n V x~_n) x~_n^T with J_n = diag(p_n) - p_n p_n^T. Per sample that is two
// logits passes (with W, then with V), a K-vector product, and one outer-product accumulation:
// the cost of a gradient, and no storage beyond the gradient's.
#include <cmath>
#include <limits>

#include "batch_checks.hpp"
#include "checked_logits.hpp"
#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/algorithms.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {
namespace {

Status fill(const ConstModelView& m, const BatchView& data, const ConstModelView& v,
            const GradientView& out, float* p, float* u) {
  const std::size_t d = m.inputs, classes = m.classes;
  float feature_bound = 1.0f;
  for (std::size_t i = 0; i < data.count; ++i) {
    const float* x = data.features + i * data.stride;
    float x_max = 0.0f;
    const Status s = detail::checked_logits(m, x, p, &x_max);
    if (s != Status::ok) return s;
    feature_bound = std::fmax(feature_bound, x_max);
    kernels::softmax(p, p, classes);
    // u = V x~: the logits of the direction, by the same kernel.
    kernels::logits(v.weights, v.stride, v.bias, x, d, classes, u);
    // J u = p * u - p (p . u) = p * (u - p . u): the softmax Jacobian applied without forming it.
    float pu = 0.0f;
    for (std::size_t k = 0; k < classes; ++k) pu += p[k] * u[k];
    for (std::size_t k = 0; k < classes; ++k) u[k] = p[k] * (u[k] - pu);
    kernels::accumulate_outer(out.weights, out.stride, out.bias, u, x, d, classes);
  }
  *out.feature_bound = feature_bound;
  *out.count = data.count;
  return Status::ok;
}

}  // namespace

Status hessian_vector_product(const ConstModelView& m, const BatchView& data,
                              const ConstModelView& v, const GradientView& out, float* scratch) {
  if (scratch == nullptr || v.weights == nullptr || v.bias == nullptr ||
      !detail::same_shape(m, out) || v.inputs != m.inputs || v.classes != m.classes ||
      v.stride != m.stride) {
    return Status::invalid_argument;
  }
  Status s = detail::check_batch(data, m.inputs);
  if (s != Status::ok) return s;
  clear_gradient(out);
  s = fill(m, data, v, out, scratch, scratch + m.classes);
  if (s != Status::ok) clear_gradient(out);
  return s;
}

}  // namespace lastlayer
