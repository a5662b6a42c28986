#include "trainer.hpp"

#include "lastlayer/algorithms.hpp"
#include "lastlayer_protocol/numpy_random.hpp"

namespace lastlayer_train {

Metrics evaluate(const RuntimeModel& model, const Samples& samples) {
  const std::size_t k_count = model.classes();
  Metrics m;
  m.confusion.assign(k_count * k_count, 0);
  if (samples.count == 0) return m;
  double loss = 0.0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < samples.count; ++i) {
    const std::uint32_t label = samples.labels[i];
    loss += lastlayer::loss(model.view(), samples.row(i), label, model.scratch());
    const std::size_t k = lastlayer::predict(model.view(), samples.row(i), model.scratch());
    correct += (k == label);
    if (k < k_count) ++m.confusion[label * k_count + k];
  }
  m.loss = loss / static_cast<double>(samples.count);
  m.accuracy = static_cast<double>(correct) / static_cast<double>(samples.count);
  return m;
}

TrainResult train(RuntimeModel& model, const Samples& samples, std::uint32_t epochs,
                  std::uint32_t seed, const lastlayer::SgdOptions& opt, Progress& progress) {
  lastlayer::protocol::NumpyRandom rng(seed);
  std::vector<std::uint32_t> order(samples.count);
  for (std::size_t e = 1; e <= epochs; ++e) {
    rng.permutation(order.data(), samples.count);
    for (std::size_t i = 0; i < samples.count; ++i) {
      const std::uint32_t row = order[i];
      const lastlayer::Status s = lastlayer::train_step(model.view(), samples.row(row),
                                                        samples.labels[row], opt, model.scratch());
      if (s != lastlayer::Status::ok) return {s, e, row};
      progress.step(e, i + 1);
    }
    const Metrics m = evaluate(model, samples);
    progress.epoch_done(e, m.loss, m.accuracy);
  }
  return {};
}

}  // namespace lastlayer_train
