// One majorize-minimize step with Bohning's bound (MATH.md fact 6) as a fixed preconditioner.
// Write W~ = [W b] (K x (D + 1)) and G~ for the mean gradient. The loss is at most the quadratic
//   Q(W~') = L + <G~, W~' - W~> + 1/2 <W~' - W~, (1/2) P (W~' - W~) A>,  P = I - 1 1^T / K,
// which touches L at W~; its minimizer lowers L. On the subspace {1^T W~ = 0}, where P acts as
// the identity, the K factor (1/2) P inverts in closed form to 2 P, so the minimizer is
//   W~' = W~ - 2 P G~ A^{-1}
// and one Cholesky factor of A serves every step. 1^T G~ = 0 already (fact 2); applying P
// anyway removes the rounding that would otherwise let the column sums drift.
#include <cmath>

#include "batch_checks.hpp"
#include "checks.hpp"
#include "cholesky.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/algorithms.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {
namespace {

// Subtracts from every column of the K x (D + 1) gradient its mean over the classes.
void project_class_sums(const GradientView& g) {
  const float inv_k = 1.0f / static_cast<float>(g.classes);
  for (std::size_t j = 0; j <= g.inputs; ++j) {
    float* col = j < g.inputs ? g.weights + j : g.bias;
    const std::size_t step = j < g.inputs ? g.stride : 1;
    float mean = 0.0f;
    for (std::size_t k = 0; k < g.classes; ++k) mean += col[k * step];
    mean *= inv_k;
    for (std::size_t k = 0; k < g.classes; ++k) col[k * step] -= mean;
  }
}

// Replaces every row (g_k, gb_k) by A^{-1} (g_k, gb_k); returns the largest |entry|, NaN-safe
// (a NaN makes it NaN).
float solve_rows(const GradientView& g, const float* factor, float* row) {
  const std::size_t d = g.inputs;
  float largest = 0.0f;
  for (std::size_t k = 0; k < g.classes; ++k) {
    float* w = g.weights + k * g.stride;
    for (std::size_t j = 0; j < d; ++j) row[j] = w[j];
    row[d] = g.bias[k];
    detail::cholesky_solve(factor, d + 1, row);
    for (std::size_t j = 0; j <= d; ++j) {
      const float a = std::fabs(row[j]);
      if (!(a <= largest)) largest = a;
    }
    for (std::size_t j = 0; j < d; ++j) w[j] = row[j];
    g.bias[k] = row[d];
  }
  return largest;
}

}  // namespace

Status bohning_step(const ModelView& m, const BatchView& data, const float* factor,
                    const GradientView& g, float* scratch, StepReport* report) {
  if (factor == nullptr) return Status::invalid_argument;
  double loss = 0.0;
  Status s = batch_gradient(m, data, g, scratch, &loss);
  if (s != Status::ok) return s;
  if (report != nullptr) *report = {loss, detail::mean_gradient_norm(g, data.count)};
  project_class_sums(g);
  const float largest = solve_rows(g, factor, scratch + 2 * m.classes);
  // g now holds P G_sum A^{-1}; the step is 2 / n times it (G_sum / n is the mean gradient).
  const float c = 2.0f / static_cast<float>(data.count);
  float new_bound = 0.0f;
  if (!(largest <= detail::kWeightLimit)) {
    s = Status::non_finite;
  } else if (!detail::bound_after_step(m, detail::with_rounding_slack(c * largest), &new_bound)) {
    s = Status::diverged;
  }
  if (s == Status::ok) {
    kernels::subtract_scaled(m.weights, m.bias, g.weights, g.bias, c, m.stride, m.inputs,
                             m.classes);
    *m.bound = new_bound;
  }
  clear_gradient(g);
  return s;
}

}  // namespace lastlayer
