// Trains a 64-input, 10-class soft-max layer on the bundled handwritten digits (UCI, CC BY 4.0)
// with the reference protocol: stratified 80/20 split, standardization from the training part,
// per-sample SGD for 10 epochs at learning rate 0.01. Prints one line per epoch, the confusion
// matrix of the test part, and last its accuracy.
#include <chrono>
#include <cstdio>

#include "data/digits.hpp"
#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/experiment.hpp"

namespace {

constexpr std::size_t kInputs = 64, kClasses = 10, kSamples = 1797;
constexpr int kEpochs = 10;

lastlayer::Classifier<kInputs, kClasses> model;  // static storage: zero weights, no heap
lastlayer::protocol::Experiment<kInputs, kClasses, kSamples> experiment(lastlayer::data::digits);

}  // namespace

int main() {
  using Clock = std::chrono::steady_clock;
  if (!experiment.shape_matches()) {
    std::fprintf(stderr, "digits data set has an unexpected shape\n");
    return 1;
  }
  const auto& split = experiment.split();
  std::printf("digits: %zu training and %zu test samples, %zu features, %zu classes\n",
              split.train_count, split.test_count, kInputs, kClasses);

  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.01f;
  for (int e = 1; e <= kEpochs; ++e) {
    const auto start = Clock::now();
    const lastlayer::Status s = experiment.epoch(model, opt);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (s != lastlayer::Status::ok) {
      std::fprintf(stderr, "epoch %d: training step refused: %s\n", e, lastlayer::to_string(s));
      return 1;
    }
    const auto m = experiment.evaluate(model, false);
    std::printf("epoch %2d/%d  mean loss %.4f  train accuracy %.4f  time %.2f ms\n", e, kEpochs,
                m.cross_entropy, m.accuracy, ms);
  }

  unsigned confusion[kClasses][kClasses];
  const auto test = experiment.evaluate(model, true, confusion);
  std::printf("\nconfusion matrix of the test part (rows: true digit, columns: predicted)\n    ");
  for (std::size_t b = 0; b < kClasses; ++b) std::printf("%4zu", b);
  std::printf("\n");
  for (std::size_t a = 0; a < kClasses; ++a) {
    std::printf("%4zu", a);
    for (std::size_t b = 0; b < kClasses; ++b) std::printf("%4u", confusion[a][b]);
    std::printf("\n");
  }
  std::printf("test loss: %.4f\n", test.cross_entropy);
  std::printf("test accuracy: %.4f\n", test.accuracy);
  return test.accuracy >= 0.95 ? 0 : 2;
}
