// Options of the optimizers.
#pragma once

namespace lastlayer {

// Plain stochastic gradient descent: W -= learning_rate * (p - t) x^T, b -= learning_rate * (p - t).
// No momentum, no weight decay, no clipping: the step is exactly the gradient step.
struct SgdOptions {
  float learning_rate = 0.01f;  // must be finite and > 0
};

}  // namespace lastlayer
