// The training part of a bundled data set, split and standardized by the reference protocol and
// held in memory as the BatchView the batch trainers take (include/lastlayer/convex.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer/convex.hpp"
#include "lastlayer_protocol/experiment.hpp"

namespace lastlayer::protocol {

template <std::size_t D, std::size_t K, std::size_t N>
struct TrainingSet {
  Experiment<D, K, N> experiment;
  float features[N * D] = {};
  std::uint16_t labels[N] = {};
  std::size_t count = 0;

  explicit TrainingSet(const data::Dataset& set) : experiment(set) {
    count = experiment.split().train_count;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t row = experiment.train_rows()[i];
      experiment.features(row, features + i * D);
      labels[i] = set.labels[row];
    }
  }
  BatchView view() const { return {features, labels, count, D}; }
};

}  // namespace lastlayer::protocol
