// Fixed-size owners of the full-batch tools of convex.hpp, for a Classifier<D, K> and a data set
// held in memory: GradientDescent<D, K> (step 1 / L_s) and BohningTrainer<D, K> (majorize-
// minimize, no step size). Both keep all their storage inline, so they can be static variables.
#pragma once

#include <cstddef>

#include "lastlayer/classifier.hpp"
#include "lastlayer/convex.hpp"
#include "lastlayer/gradient_accumulator.hpp"

namespace lastlayer {

// The gradient of the summed loss over `data` into `g` (mean: divide by g.count()).
template <std::size_t D, std::size_t K>
Status batch_gradient(const Classifier<D, K>& model, const BatchView& data,
                      GradientAccumulator<D, K>& g, double* mean_loss = nullptr) {
  float scratch[2 * K];
  return batch_gradient(model.view(), data, g.view(), scratch, mean_loss);
}

// Gradient descent at the certified step: prepare() once per data set, then step().
template <std::size_t D, std::size_t K>
class GradientDescent {
 public:
  using Model = Classifier<D, K>;

  // Estimates L_s of `data` (a few dozen passes over it).
  Status prepare(const BatchView& data) {
    float work[2 * (D + 1)];
    return lastlayer::smoothness(data, D, work, &bound_);
  }
  Status step(Model& model, const BatchView& data, StepReport* report = nullptr) {
    float scratch[2 * K];
    return gradient_descent_step(model.view(), data, bound_.lipschitz, gradient_.view(), scratch,
                                 report);
  }
  const Smoothness& smoothness() const { return bound_; }

 private:
  GradientAccumulator<D, K> gradient_;
  Smoothness bound_{};
};

// Majorize-minimize with Bohning's bound: prepare() factors X~^T X~ / n once (O(n D^2 + D^3)),
// then each step costs one gradient pass plus K triangular solves of size D + 1 (and a loss pass
// when accelerated). Storage: (D + 1)(D + 2) / 2 floats for the factor, one gradient, and two
// model-sized buffers for the momentum.
template <std::size_t D, std::size_t K>
class BohningTrainer {
 public:
  using Model = Classifier<D, K>;
  static constexpr std::size_t factor_floats = bohning_factor_size(D);

  Status prepare(const BatchView& data) {
    restart();
    const Status s = bohning_factor(data, D, factor_);
    prepared_ = (s == Status::ok);
    return s;
  }
  // With momentum (the default) or the plain step; either way the loss never goes up.
  bool accelerated = true;

  Status step(Model& model, const BatchView& data, StepReport* report = nullptr) {
    if (!prepared_) return Status::invalid_argument;
    float scratch[2 * K + D + 1];
    if (!accelerated) {
      return bohning_step(model.view(), data, factor_, gradient_.view(), scratch, report);
    }
    const MomentumView state{previous_, point_, &t_, &loss_};
    return bohning_accelerated_step(model.view(), data, factor_, state, gradient_.view(), scratch,
                                    report);
  }
  // Drops the momentum (call it after changing the model by other means).
  void restart() { t_ = 0.0; }

 private:
  static constexpr std::size_t model_floats = K * Model::stride + K;
  GradientAccumulator<D, K> gradient_;
  float factor_[factor_floats] = {};
  // Model layouts, aligned as a Classifier's rows: the kernels read them as model rows.
  alignas(kRowAlignBytes) float previous_[model_floats] = {};
  alignas(kRowAlignBytes) float point_[model_floats] = {};
  double t_ = 0.0;
  double loss_ = 0.0;
  bool prepared_ = false;
};

// Where a run of steps ended.
struct BatchResult {
  std::size_t steps;  // steps taken
  StepReport last;    // loss and mean gradient norm at the weights the last step started from
  bool converged;     // the last step started from a mean gradient norm <= the tolerance
};

// Steps until one starts from a mean gradient norm <= tolerance (that step is still taken: it
// only lowers the loss further) or max_steps steps were taken, or a step fails.
template <typename Trainer, std::size_t D, std::size_t K>
Status minimize(Trainer& trainer, Classifier<D, K>& model, const BatchView& data,
                std::size_t max_steps, double tolerance, BatchResult* result) {
  BatchResult r{0, {0.0, 0.0}, false};
  Status s = Status::ok;
  while (r.steps < max_steps) {
    s = trainer.step(model, data, &r.last);
    if (s != Status::ok) break;
    ++r.steps;
    if (r.last.gradient_norm <= tolerance) {
      r.converged = true;
      break;
    }
  }
  if (result != nullptr) *result = r;
  return s;
}

}  // namespace lastlayer
