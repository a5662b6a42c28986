// The batch gradient (Y - T) X~^T of MATH.md fact 1: one forward pass per sample and the
// residual's outer product added through the kernels, the same sum the mini-batch accumulator
// builds sample by sample.
#include <cmath>
#include <limits>

#include "batch_checks.hpp"
#include "checked_logits.hpp"
#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/algorithms.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {
namespace detail {

double mean_gradient_norm(const GradientView& g, std::size_t n) {
  double s = 0.0;
  for (std::size_t k = 0; k < g.classes; ++k) {
    const float* row = g.weights + k * g.stride;
    for (std::size_t j = 0; j < g.inputs; ++j) s += static_cast<double>(row[j]) * row[j];
    s += static_cast<double>(g.bias[k]) * g.bias[k];
  }
  return std::sqrt(s) / static_cast<double>(n);
}

}  // namespace detail

namespace {

Status fill(const ConstModelView& m, const BatchView& data, const GradientView& g, float* z,
            float* p, double* loss_sum) {
  const std::size_t d = m.inputs, classes = m.classes;
  float feature_bound = 1.0f;
  double sum = 0.0;
  for (std::size_t i = 0; i < data.count; ++i) {
    const float* x = data.features + i * data.stride;
    const std::size_t label = data.labels[i];
    if (label >= classes) return Status::invalid_label;
    float x_max = 0.0f;
    const Status s = detail::checked_logits(m, x, z, &x_max);
    if (s != Status::ok) return s;
    feature_bound = std::fmax(feature_bound, x_max);
    // The log-sum-exp form: no log of an underflowed probability, no cancellation.
    sum += static_cast<double>(kernels::cross_entropy(z, classes, label));
    kernels::softmax(z, p, classes);
    p[label] -= 1.0f;
    kernels::accumulate_outer(g.weights, g.stride, g.bias, p, x, d, classes);
  }
  *g.feature_bound = feature_bound;
  *g.count = data.count;
  *loss_sum = sum;
  return Status::ok;
}

}  // namespace

Status batch_gradient(const ConstModelView& m, const BatchView& data, const GradientView& g,
                      float* scratch, double* mean_loss) {
  if (scratch == nullptr || !detail::same_shape(m, g)) return Status::invalid_argument;
  Status s = detail::check_batch(data, m.inputs);
  if (s != Status::ok) return s;
  clear_gradient(g);
  double loss_sum = 0.0;
  s = fill(m, data, g, scratch, scratch + m.classes, &loss_sum);
  if (s != Status::ok) {
    clear_gradient(g);
    return s;
  }
  if (mean_loss != nullptr) *mean_loss = loss_sum / static_cast<double>(data.count);
  return Status::ok;
}

}  // namespace lastlayer
