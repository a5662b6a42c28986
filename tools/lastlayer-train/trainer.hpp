// Per-sample SGD epochs in NumPy's visiting order, and the metrics of a model on a sample set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lastlayer/options.hpp"
#include "lastlayer/status.hpp"
#include "model.hpp"
#include "progress.hpp"

namespace lastlayer_train {

// Samples ready for the model: float features (standardized or not), one label each.
struct Samples {
  std::size_t count = 0;
  std::size_t inputs = 0;
  std::vector<float> x;  // count x inputs
  std::vector<std::uint32_t> labels;

  const float* row(std::size_t i) const { return x.data() + i * inputs; }
};

struct Metrics {
  double loss = 0.0;  // mean cross-entropy in nats
  double accuracy = 0.0;
  std::vector<std::size_t> confusion;  // K x K, row = true class, column = predicted class
};

Metrics evaluate(const RuntimeModel& model, const Samples& samples);

struct TrainResult {
  lastlayer::Status status = lastlayer::Status::ok;
  std::size_t epoch = 0;   // of the refused step (from 1)
  std::size_t sample = 0;  // index into the training samples of the refused step
};

// `epochs` passes; each visits the samples in the order of the next permutation drawn from one
// numpy.random.RandomState(seed). Stops at the first refused step.
TrainResult train(RuntimeModel& model, const Samples& samples, std::uint32_t epochs,
                  std::uint32_t seed, const lastlayer::SgdOptions& opt, Progress& progress);

}  // namespace lastlayer_train
