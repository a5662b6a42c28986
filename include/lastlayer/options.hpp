// Options of the optimizers.
#pragma once

namespace lastlayer {

// Plain stochastic gradient descent: W -= learning_rate * (p - t) x^T, b -= learning_rate * (p -
// t). No momentum, no weight decay, no clipping: the step is exactly the gradient step.
struct SgdOptions {
  float learning_rate = 0.01f;  // must be finite and > 0

  // How a per-sample step (train_step, Classifier::train) picks its rate. `normalized` uses
  // eta = alpha / (0.5 * (|x|^2 + 1)), which never raises the loss of the sample it learns from
  // when 0 < alpha < 2 (docs/convexity.md); learning_rate is then not used. Mini-batch steps
  // always use learning_rate.
  enum class StepRule : unsigned char { constant, normalized };
  StepRule rule = StepRule::constant;
  float alpha = 1.0f;  // with StepRule::normalized: must be in (0, 2)
};

}  // namespace lastlayer
