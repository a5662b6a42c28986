// Firmware for counting the instructions of one training step on an emulated Cortex-M board:
// it runs LASTLAYER_STEPS steps of Classifier<D, K>::train and exits. Two builds that differ only
// in the step count, run under QEMU with the instruction-counting plugin, give the exact count
// of one step (everything it calls included) as the difference of their totals divided by the
// difference of their step counts (tools/m55_step_count). With LASTLAYER_MANY the steps are one
// call of train(rows, labels, count): the count per sample of that form.
#include "lastlayer/classifier.hpp"

namespace {

constexpr std::size_t D = LASTLAYER_D, K = LASTLAYER_K;
lastlayer::Classifier<D, K> model;
float features[4][D];

}  // namespace

int main() {
  // Deterministic, varied inputs and non-zero weights, so every step does the full work.
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < D; ++j) {
      features[i][j] = static_cast<float>((i * 7 + j * 13) % 17) * 0.0625f - 0.5f;
    }
  }
  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.01f;
  int failures = 0;
#if defined(LASTLAYER_MANY)
  const float* rows[LASTLAYER_STEPS];
  std::size_t labels[LASTLAYER_STEPS];
  for (std::size_t s = 0; s < LASTLAYER_STEPS; ++s) {
    rows[s] = features[s % 4];
    labels[s] = (s % 4 * 3) % K;
  }
  failures += model.train(rows, labels, LASTLAYER_STEPS, opt) != lastlayer::Status::ok;
#else
  for (int s = 0; s < LASTLAYER_STEPS; ++s) {
    const std::size_t i = static_cast<std::size_t>(s) % 4;
    failures += model.train(features[i], (i * 3) % K, opt) != lastlayer::Status::ok;
  }
#endif
  return failures;
}
