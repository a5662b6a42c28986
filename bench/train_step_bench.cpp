// One per-sample SGD step (validate, logits, soft-max, gradient, update): the library's
// Classifier<D, K>::train, and the same step composed of the scalar reference kernels.
#include <cmath>
#include <limits>
#include <memory>

#include "bench.hpp"
#include "kernels/kernels.hpp"
#include "kernels/reference.hpp"
#include "lastlayer/classifier.hpp"

namespace lastlayer::bench {
namespace {

// With bias = 0 at the start, the logits' max stays in [0, 64] and the soft-max takes the exps
// of the logits themselves (softmax_shift in src/kernels/exp.hpp); a bias of -100 on every class
// keeps every logit negative (SGD moves the biases by a total of 0 per step), so the soft-max
// takes the form shifted by the max, as the peers compute it.
template <std::size_t D, std::size_t K>
void set_biases(Classifier<D, K>& model, float bias) {
  for (std::size_t k = 0; k < K; ++k) (void)model.set_bias(k, bias);
}

template <std::size_t D, std::size_t K>
void BM_Library(benchmark::State& state, float bias) {
  auto model = std::make_unique<Classifier<D, K>>();
  set_biases(*model, bias);
  const Samples data(D, K);
  SgdOptions opt;
  opt.learning_rate = 0.01f;
  time_steps(state, data, D, K, [&](const float* x, std::size_t label) {
    return model->train(x, label, opt) == Status::ok;
  });
}

// The same steps on all the stream's samples in one call (Classifier::train over rows): each
// step's update shares a pass over the weights with the next sample's logits. Timed per sample.
template <std::size_t D, std::size_t K>
void BM_LibrarySteps(benchmark::State& state, float bias) {
  auto model = std::make_unique<Classifier<D, K>>();
  set_biases(*model, bias);
  const Samples data(D, K);
  const float* rows[Samples::kCount];
  for (std::size_t i = 0; i < Samples::kCount; ++i) rows[i] = &data.x[i * D];
  SgdOptions opt;
  opt.learning_rate = 0.01f;
  Status last = Status::ok;
  for (auto _ : state) last = model->train(rows, data.label.data(), Samples::kCount, opt);
  if (last != Status::ok) state.SkipWithError("a training step failed");
  state.counters["samples"] = static_cast<double>(Samples::kCount);
  state.counters["FLOP/s"] = benchmark::Counter(4.0 * static_cast<double>(D * K * Samples::kCount),
                                                benchmark::Counter::kIsIterationInvariantRate);
}

// The same step from the reference kernels: plain loops in the order of the mathematics.
template <std::size_t D, std::size_t K>
void BM_Reference(benchmark::State& state) {
  constexpr std::size_t S = padded_stride(D);
  Floats w(K * S, 0.0f), b(K, 0.0f), g(K);
  const Samples data(D, K);
  const float lr = 0.01f;
  std::size_t i = 0;
  for (auto _ : state) {
    const float* x = &data.x[i * D];
    bool finite = true;
    for (std::size_t j = 0; j < D; ++j) finite &= std::fabs(x[j]) <= 3e38f;
    reference::logits(w.data(), S, b.data(), x, D, K, g.data());
    for (std::size_t k = 0; k < K; ++k) finite &= std::fabs(g[k]) <= 3e38f;
    if (!finite) break;
    reference::softmax(g.data(), g.data(), K);
    g[data.label[i]] -= 1.0f;
    reference::rank_one_update(w.data(), S, b.data(), g.data(), lr, x, D, K);
    i = (i + 1) % Samples::kCount;
  }
  benchmark::DoNotOptimize(w.data());
  set_step_flops(state, D, K);
}

// The step's phases, each timed alone with the library's kernels (independent iterations: the
// weights stay fixed, so no phase waits for another): logits with max |x|, the fused soft-max
// residual on stored logits, and the rank-one update. Their sum against the step shows how much
// of it is the chain from one phase to the next rather than the phases' own work.
template <std::size_t D, std::size_t K>
void BM_Phase(benchmark::State& state, int phase) {
  constexpr std::size_t S = padded_stride(D);
  Floats w(K * S, 0.0f), b(K, 0.0f), z(K), g(K);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) w[k * S + j] = 0.01f * static_cast<float>((j + k) % 7);
  }
  const Samples data(D, K);
  kernels::logits(w.data(), S, b.data(), data.x.data(), D, K, z.data());
  std::size_t i = 0;
  float x_max = 0.0f;
  for (auto _ : state) {
    const float* x = &data.x[i * D];
    if (phase == 0) {
      kernels::logits(w.data(), S, b.data(), x, D, K, g.data(), &x_max);
    } else if (phase == 1) {
      g = z;
      benchmark::DoNotOptimize(kernels::softmax_residual(g.data(), K, data.label[i], nullptr));
    } else {
      // A residual that keeps the weights small: p - t for a uniform p.
      for (std::size_t k = 0; k < K; ++k) g[k] = 1.0f / K - (k == data.label[i] ? 1.0f : 0.0f);
      kernels::rank_one_update(w.data(), S, b.data(), g.data(), 1e-3f, x, D, K);
    }
    benchmark::ClobberMemory();
    i = (i + 1) % Samples::kCount;
  }
  benchmark::DoNotOptimize(x_max);
}

template <std::size_t D, std::size_t K>
void register_shape() {
  static const char* const kPhases[] = {"logits", "residual", "update"};
  for (int p = 0; p < 3; ++p) {
    const std::string name =
        "phase/" + std::string(kPhases[p]) + "/" + std::to_string(D) + "x" + std::to_string(K);
    benchmark::RegisterBenchmark(name.c_str(), [p](benchmark::State& s) { BM_Phase<D, K>(s, p); });
  }
  for (const float bias : {0.0f, -100.0f}) {
    const std::string suffix = bias == 0.0f ? "" : "-negative";
    benchmark::RegisterBenchmark(step_name("lastlayer" + suffix, D, K).c_str(),
                                 [bias](benchmark::State& s) { BM_Library<D, K>(s, bias); });
    benchmark::RegisterBenchmark(step_name("lastlayer-seq" + suffix, D, K).c_str(),
                                 [bias](benchmark::State& s) { BM_LibrarySteps<D, K>(s, bias); });
  }
  benchmark::RegisterBenchmark(step_name("reference", D, K).c_str(), &BM_Reference<D, K>);
}

const bool kRegistered = [] {
  register_shape<64, 10>();
  register_shape<128, 10>();
  register_shape<256, 32>();
  register_shape<784, 10>();
  return true;
}();

}  // namespace
}  // namespace lastlayer::bench
