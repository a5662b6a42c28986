// Full-batch tools that rest on the convexity of the cross-entropy (docs/convexity.md): the batch
// gradient, Hessian-vector products, the smoothness bound that certifies a step size, gradient
// descent at that step, and the Bohning majorize-minimize step that needs no step size at all.
// Runtime sizes over views with caller-provided storage, like algorithms.hpp; the fixed-size
// owners are in batch_trainer.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer/model_view.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer {

// A labelled data set held in memory: `count` rows of the model's D features, row i starting at
// features + i * stride (stride >= D), and one class label per row.
struct BatchView {
  const float* features;
  const std::uint16_t* labels;
  std::size_t count;
  std::size_t stride;
};

// What one batch step saw at the weights it started from.
struct StepReport {
  double loss;           // mean cross-entropy in nats
  double gradient_norm;  // Frobenius norm of the mean gradient, weights and bias together
};

// Estimates of lambda_max(A), A = X~^T X~ / n with x~ = (x, 1): the curvature of the mean loss is
// at most L_s = lambda_max(A) / 2 (MATH.md fact 6).
struct Smoothness {
  float power;      // power-iteration Rayleigh quotient: <= lambda_max(A), close to it
  float trace;      // trace(A) = mean |x~|^2: >= lambda_max(A), certified
  float frobenius;  // |A|_F = trace(A^2)^(1/2): >= lambda_max(A), certified, tighter
  // The L of the steps 1 / L: power / 2 when power >= min(trace, frobenius) / 2 (then the step
  // is below 2 / L_s, which is all descent needs), else min(trace, frobenius) / 2.
  float lipschitz;
};

// g = the gradient of the summed loss, (Y - T) X~^T: g.weights = sum (p - t) x^T, g.bias =
// sum (p - t), *g.count = n (so g holds what accumulate_gradient would after every sample, and
// apply_mean_gradient takes the mean step). *mean_loss (may be null) = the mean cross-entropy.
// `scratch`: 2K floats. On failure g is cleared and the status says why (invalid_label,
// non_finite features or logits, invalid_argument for null pointers or mismatched shapes,
// empty_batch for count 0).
Status batch_gradient(const ConstModelView& m, const BatchView& data, const GradientView& g,
                      float* scratch, double* mean_loss);

// *mean_loss = the mean cross-entropy over data (the forward half of batch_gradient).
// `scratch`: K floats.
Status batch_loss(const ConstModelView& m, const BatchView& data, float* scratch,
                  double* mean_loss);

// out = H v, H the Hessian of the summed loss at m (fact 5), v a direction in the model's layout
// (same stride, zero padding: another Classifier's view does; v.bound is not read), without forming
// H: per sample, u = V x~ and r = (diag(p) - p p^T) u, out += r x~^T. *out.count = n. `scratch`: 2K
// floats.
Status hessian_vector_product(const ConstModelView& m, const BatchView& data,
                              const ConstModelView& v, const GradientView& out, float* scratch);

// Fills *s for data with `inputs` features. `work`: 2 (D + 1) floats. A is never stored: |A|_F
// takes one pass over the data per row of A (D + 1 passes), the power iteration one pass per
// iteration, stopping after `max_iterations` or when the Rayleigh quotient changes by less than
// 1e-6 relative.
Status smoothness(const BatchView& data, std::size_t inputs, float* work, Smoothness* s,
                  std::size_t max_iterations = 100);

// One gradient-descent step W -= (1 / lipschitz) * mean gradient, using g as storage (cleared
// after). With lipschitz from smoothness() the mean loss does not go up (fact 7). *report (may
// be null) describes the weights before the step.
Status gradient_descent_step(const ModelView& m, const BatchView& data, float lipschitz,
                             const GradientView& g, float* scratch, StepReport* report);

// Floats of the packed lower-triangular factor of the (D + 1) x (D + 1) matrix A.
constexpr std::size_t bohning_factor_size(std::size_t inputs) {
  return (inputs + 1) * (inputs + 2) / 2;
}

// Cholesky factor of A + r I into `factor` (bohning_factor_size(D) floats), r = 1e-5 trace(A) /
// (D + 1), a ridge that keeps the factor defined when features are constant or collinear (a
// larger majorizer, so steps still lower the loss). Done once per data set.
// invalid_argument when the factor breaks down (A not positive definite even with the ridge).
Status bohning_factor(const BatchView& data, std::size_t inputs, float* factor);

// One majorize-minimize step W~ <- W~ - 2 P G~ (A + r I)^{-1}, with G~ the mean gradient of the
// weights and bias together and P = I - 1 1^T / K: the minimizer of Bohning's quadratic upper
// bound of the loss, so the mean loss does not go up. g is storage (cleared after);
// `scratch`: 2K + D + 1 floats.
Status bohning_step(const ModelView& m, const BatchView& data, const float* factor,
                    const GradientView& g, float* scratch, StepReport* report);

// State of the accelerated trainer, in caller storage. `previous` and `point` each hold a model's
// K * stride weights followed by its K biases. Start (or restart) with *t = 0.
struct MomentumView {
  float* previous;  // the weights before the last accepted step
  float* point;     // the extrapolated point, then the candidate
  double* t;        // Nesterov's sequence; 0 means no momentum
  double* loss;     // mean loss at the model's weights (valid when *t > 0)
};

// One accelerated majorize-minimize step (src/convex/bohning_accelerated.cpp): the Bohning step
// taken from y = x + beta (x - x_prev), kept when its mean loss is not above the current one,
// otherwise replaced by the plain step from x with the momentum reset. The loss never goes up.
// Costs one gradient pass and one loss pass (two gradient passes and a loss pass on a restart).
// report->loss is at the weights before the step, report->gradient_norm at the point whose
// gradient was taken (y, or x after a restart). `scratch`: 2K + D + 1 floats.
Status bohning_accelerated_step(const ModelView& m, const BatchView& data, const float* factor,
                                const MomentumView& state, const GradientView& g, float* scratch,
                                StepReport* report);

}  // namespace lastlayer
