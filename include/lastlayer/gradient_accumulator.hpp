// GradientAccumulator<D, K>: the sum of per-sample gradients for mini-batch training. A separate
// object, so a Classifier that only trains per sample pays no memory for it.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "lastlayer/classifier.hpp"

namespace lastlayer {

template <std::size_t D, std::size_t K>
class GradientAccumulator {
 public:
  using Model = Classifier<D, K>;

  // Adds the gradient of one sample's loss at the model's current weights.
  template <typename Label, std::enable_if_t<std::is_integral_v<Label>, int> = 0>
  Status add(const Model& model, const float* x, Label label) {
    if constexpr (std::is_signed_v<Label>) {
      if (label < 0) return Status::invalid_label;
    }
    float scratch[K];
    return accumulate_gradient(model.view(), view(), x, static_cast<std::size_t>(label), scratch);
  }
  Status add(const Model& model, const float* x, const float* target) {
    float scratch[K];
    return accumulate_gradient(model.view(), view(), x, target, scratch);
  }

  // One step with the mean gradient of the samples added since the last step; then clears.
  Status step(Model& model, const SgdOptions& opt = {}) {
    return apply_mean_gradient(model.view(), view(), opt);
  }

  std::size_t count() const { return count_; }
  // d(sum of losses)/dW[k][j] and /db[k] over the samples added so far (NaN when out of range).
  float weight_gradient(std::size_t k, std::size_t j) const {
    return (k < K && j < D) ? weights_[k * Model::stride + j] : NAN;
  }
  float bias_gradient(std::size_t k) const { return k < K ? bias_[k] : NAN; }
  void clear() { clear_gradient(view()); }

  GradientView view() { return {weights_, bias_, &feature_bound_, &count_, D, K, Model::stride}; }

 private:
  alignas(kRowAlignBytes) float weights_[K * Model::stride] = {};
  float bias_[K] = {};
  float feature_bound_ = 0.0f;
  std::size_t count_ = 0;
};

}  // namespace lastlayer
