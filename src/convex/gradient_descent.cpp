// Full-batch gradient descent at the certified step 1 / L_s (MATH.md facts 6 and 7). The step
// itself is the mini-batch mean step, so it shares that step's overflow guard.
#include <cmath>

#include "batch_checks.hpp"
#include "lastlayer/algorithms.hpp"
#include "lastlayer/convex.hpp"
#include "lastlayer/options.hpp"

namespace lastlayer {

Status gradient_descent_step(const ModelView& m, const BatchView& data, float lipschitz,
                             const GradientView& g, float* scratch, StepReport* report) {
  if (!(lipschitz > 0.0f && std::isfinite(1.0f / lipschitz))) return Status::invalid_argument;
  double loss = 0.0;
  const Status s = batch_gradient(m, data, g, scratch, &loss);
  if (s != Status::ok) return s;
  if (report != nullptr) *report = {loss, detail::mean_gradient_norm(g, data.count)};
  SgdOptions opt;
  opt.learning_rate = 1.0f / lipschitz;
  return apply_mean_gradient(m, g, opt);
}

}  // namespace lastlayer
