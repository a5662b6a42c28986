// One run of the reference protocol on a bundled data set: the stratified split, the
// standardization fitted on the training part, epochs of per-sample SGD in NumPy's visiting
// order (one RandomState(seed) for all epochs), and the metrics. All storage is inline: in a
// static variable it runs on a microcontroller as on the host.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/protocol.hpp"

namespace lastlayer::protocol {

struct Metrics {
  double cross_entropy;  // mean, in nats
  double accuracy;
};

template <std::size_t D, std::size_t K, std::size_t N>
class Experiment {
 public:
  using Model = Classifier<D, K>;

  // Splits `set` (which must have D inputs, K classes and N samples) and fits the scaler.
  explicit Experiment(const data::Dataset& set, std::uint32_t seed = 0)
      : set_(set), seed_(seed), order_rng_(seed) {
    split_ = stratified_split(set.labels, N, K, 0.2, seed, train_, test_);
    fit_standardizer(set, train_, split_.train_count, mean_, scale_);
  }

  bool shape_matches() const { return set_.inputs == D && set_.classes == K && set_.samples == N; }
  const Split& split() const { return split_; }

  // Starts the visiting orders over (the next epoch is the first permutation again).
  void restart() { order_rng_ = NumpyRandom(seed_); }

  // One epoch: the training samples in the order of the next permutation. Stops at the first
  // refused step and returns its status.
  Status epoch(Model& model, const SgdOptions& opt) {
    order_rng_.permutation(order_, split_.train_count);
    float x[D];
    for (std::size_t i = 0; i < split_.train_count; ++i) {
      const std::uint32_t row = train_[order_[i]];
      standardize(set_, row, mean_, scale_, x);
      const Status s = model.train(x, std::size_t{set_.labels[row]}, opt);
      if (s != Status::ok) return s;
    }
    return Status::ok;
  }

  // Mean cross-entropy and accuracy on the training or the test part; with `confusion`
  // (K x K, rows = true class) also the confusion counts.
  Metrics evaluate(const Model& model, bool test, unsigned (*confusion)[K] = nullptr) const {
    const std::uint32_t* rows = test ? test_ : train_;
    const std::size_t n = test ? split_.test_count : split_.train_count;
    if (confusion != nullptr) {
      for (std::size_t a = 0; a < K; ++a)
        for (std::size_t b = 0; b < K; ++b) confusion[a][b] = 0;
    }
    double ce = 0.0;
    std::size_t correct = 0;
    float x[D];
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t label = set_.labels[rows[i]];
      standardize(set_, rows[i], mean_, scale_, x);
      ce += model.loss(x, label);
      const std::size_t k = model.predict(x);
      correct += (k == label);
      if (confusion != nullptr && k < K) ++confusion[label][k];
    }
    return {ce / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n)};
  }

  // Standardized features of sample `row` of the data set.
  void features(std::size_t row, float* x) const { standardize(set_, row, mean_, scale_, x); }
  const std::uint32_t* train_rows() const { return train_; }
  const std::uint32_t* test_rows() const { return test_; }

 private:
  const data::Dataset& set_;
  std::uint32_t seed_;
  NumpyRandom order_rng_;
  Split split_{};
  std::uint32_t train_[N] = {};
  std::uint32_t test_[N] = {};
  std::uint32_t order_[N] = {};
  double mean_[D] = {};
  double scale_[D] = {};
};

}  // namespace lastlayer::protocol
