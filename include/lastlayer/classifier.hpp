// Classifier<D, K>: a soft-max layer with D inputs and K classes that owns its storage inline.
// No heap: it can live in a static variable, and zero-initialized (as a static is) it is the
// all-zero model. Every method hands a view of the storage to the algorithms in src/.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "lastlayer/algorithms.hpp"
#include "lastlayer/checkpoint.hpp"
#include "lastlayer/layout.hpp"

namespace lastlayer {

template <std::size_t D, std::size_t K>
class Classifier {
  static_assert(D > 0 && K > 0, "a classifier needs at least one input and one class");

 public:
  static constexpr std::size_t inputs = D;
  static constexpr std::size_t classes = K;
  static constexpr std::size_t stride = padded_stride(D);
  // Bytes of this model's checkpoint (docs/checkpoint-format.md).
  static constexpr std::size_t checkpoint_size = lastlayer::checkpoint_size(D, K);
  static_assert(checkpoint_size != 0, "this shape is too large for a checkpoint");

  // One SGD step on (x, label). Any integer type: a literal `0` means class 0, not a null target.
  template <typename Label, std::enable_if_t<std::is_integral_v<Label>, int> = 0>
  Status train(const float* x, Label label, const SgdOptions& opt = {}) {
    if constexpr (std::is_signed_v<Label>) {
      if (label < 0) return Status::invalid_label;
    }
    float scratch[K];
    return train_step(view(), x, static_cast<std::size_t>(label), opt, scratch);
  }

  // One SGD step on (x, target), target a probability vector of K entries.
  Status train(const float* x, const float* target, const SgdOptions& opt = {}) {
    float scratch[K];
    return train_step(view(), x, target, opt, scratch);
  }

  // SGD steps on `count` samples in order (rows[i] with labels[i]): the same result as calling
  // train(rows[i], labels[i], opt) for each, faster (see train_steps); on a refused sample it
  // stops there, with *done its index. The rows may be a shuffled order of a data set.
  Status train(const float* const* rows, const std::size_t* labels, std::size_t count,
               const SgdOptions& opt = {}, std::size_t* done = nullptr) {
    float scratch[2 * K];
    return train_steps(view(), rows, labels, count, opt, scratch, done);
  }

  // The most probable class, or K when x holds a NaN or Inf.
  std::size_t predict(const float* x) const {
    float scratch[K];
    return lastlayer::predict(view(), x, scratch);
  }

  // p (K values) = softmax(W x + b).
  Status probabilities(const float* x, float* p) const {
    return lastlayer::probabilities(view(), x, p);
  }

  // Cross-entropy -log p[label] in nats; NaN for a bad label or a non-finite x.
  template <typename Label, std::enable_if_t<std::is_integral_v<Label>, int> = 0>
  float loss(const float* x, Label label) const {
    if constexpr (std::is_signed_v<Label>) {
      if (label < 0) return NAN;
    }
    float scratch[K];
    return lastlayer::loss(view(), x, static_cast<std::size_t>(label), scratch);
  }
  float loss(const float* x, const float* target) const {
    float scratch[K];
    return lastlayer::loss(view(), x, target, scratch);
  }

  // Weight of input j for class k, bias of class k (NaN when out of range).
  float weight(std::size_t k, std::size_t j) const {
    return (k < K && j < D) ? weights_[k * stride + j] : NAN;
  }
  float bias(std::size_t k) const { return k < K ? bias_[k] : NAN; }

  Status set_weight(std::size_t k, std::size_t j, float w) {
    return lastlayer::set_weight(view(), k, j, w);
  }
  Status set_bias(std::size_t k, float b) { return lastlayer::set_bias(view(), k, b); }

  // Writes the checkpoint (checkpoint_size bytes) to out; *written gets its length.
  Status save(std::uint8_t* out, std::size_t capacity, std::size_t* written) const {
    return save_checkpoint(view(), out, capacity, written);
  }
  // Replaces the model with a checkpoint; on any error the model is unchanged.
  Status load(const std::uint8_t* in, std::size_t size) {
    return load_checkpoint(view(), in, size);
  }

  // Back to the all-zero model.
  void reset() { *this = Classifier(); }

  ModelView view() { return {weights_, bias_, &bound_, D, K, stride}; }
  ConstModelView view() const { return {weights_, bias_, &bound_, D, K, stride}; }

 private:
  alignas(kRowAlignBytes) float weights_[K * stride] = {};
  float bias_[K] = {};
  float bound_ = 0.0f;
};

}  // namespace lastlayer
