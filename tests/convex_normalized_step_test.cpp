// The normalized per-sample step of MATH.md fact 8: eta = alpha / (|x~|^2 / 2) with
// 0 < alpha < 2 never raises the loss of the sample it learns from, whatever the weights and
// however large the input. Losses are compared in double, from the float weights.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "data/iris.hpp"
#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/experiment.hpp"
#include "support/convex_data.hpp"

namespace {

using lastlayer::Classifier;
using lastlayer::SgdOptions;
using lastlayer::Status;

constexpr std::size_t D = 8, K = 5;
using Model = Classifier<D, K>;

// Deterministic values in [-1, 1).
struct Lcg {
  unsigned state;
  float next() {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 8388608.0f - 1.0f;
  }
};

double sample_loss(const Model& m, const float* x, std::size_t label) {
  double z[K];
  lastlayer::testing::logits_double(m.view(), x, z);
  double mx = z[0], s = 0.0;
  for (double v : z) mx = v > mx ? v : mx;
  for (double v : z) s += std::exp(v - mx);
  return mx + std::log(s) - z[label];
}

SgdOptions normalized(float alpha) {
  SgdOptions opt;
  opt.rule = SgdOptions::StepRule::normalized;
  opt.alpha = alpha;
  return opt;
}

TEST(NormalizedStep, DefaultsAreTheConstantStep) {
  const SgdOptions opt;
  EXPECT_EQ(opt.rule, SgdOptions::StepRule::constant);
  EXPECT_EQ(opt.learning_rate, 0.01f);
}

TEST(NormalizedStep, NeverRaisesTheSampleLoss) {
  Lcg rng{12345u};
  const float alphas[] = {0.05f, 0.5f, 1.0f, 1.5f, 1.99f};
  const float scales[] = {0.1f, 1.0f, 10.0f, 100.0f};  // inputs far beyond any tuned rate
  int trials = 0;
  for (float alpha : alphas) {
    for (float scale : scales) {
      for (int t = 0; t < 40; ++t) {
        Model m;
        for (std::size_t k = 0; k < K; ++k) {
          for (std::size_t j = 0; j < D; ++j) m.set_weight(k, j, 3.0f * rng.next());
          m.set_bias(k, 3.0f * rng.next());
        }
        float x[D];
        for (float& v : x) v = scale * rng.next();
        const std::size_t label = static_cast<std::size_t>(t) % K;
        const double before = sample_loss(m, x, label);
        ASSERT_EQ(m.train(x, label, normalized(alpha)), Status::ok);
        const double after = sample_loss(m, x, label);
        // Relative slack for the rounding of float weights around large logits.
        ASSERT_LE(after, before + 1e-6 * (1.0 + before))
            << "alpha " << alpha << " scale " << scale << " trial " << t;
        ++trials;
      }
    }
  }
  EXPECT_EQ(trials, 5 * 4 * 40);
}

TEST(NormalizedStep, SoftTargetsToo) {
  Lcg rng{777u};
  for (int t = 0; t < 100; ++t) {
    Model m;
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t j = 0; j < D; ++j) m.set_weight(k, j, 2.0f * rng.next());
    }
    float x[D], target[K] = {};
    for (float& v : x) v = 5.0f * rng.next();
    target[t % K] = 0.7f;
    target[(t + 1) % K] = 0.3f;
    const float before = m.loss(x, target);
    ASSERT_EQ(m.train(x, target, normalized(1.9f)), Status::ok);
    EXPECT_LE(m.loss(x, target), before + 1e-5f * (1.0f + before)) << "trial " << t;
  }
}

TEST(NormalizedStep, RejectsAlphaOutsideTheCertifiedRange) {
  Model m;
  const float x[D] = {1, 2, 3, 4, 5, 6, 7, 8};
  const float bad[] = {0.0f, -1.0f, 2.0f, 3.0f, NAN, INFINITY};
  for (float alpha : bad) {
    EXPECT_EQ(m.train(x, 1, normalized(alpha)), Status::invalid_argument) << alpha;
  }
  for (std::size_t k = 0; k < K; ++k) EXPECT_EQ(m.bias(k), 0.0f);
}

// A whole epoch of iris in the protocol's order with no tuned rate: every step lowers the loss
// of the sample it learns from, and the epoch learns.
TEST(NormalizedStep, IrisEpochLearnsWithoutATunedRate) {
  static lastlayer::protocol::Experiment<4, 3, 150> experiment(lastlayer::data::iris);
  static Classifier<4, 3> model;
  const SgdOptions opt = normalized(1.0f);
  const auto& split = experiment.split();
  for (int epoch = 0; epoch < 3; ++epoch) {
    for (std::size_t i = 0; i < split.train_count; ++i) {
      const std::uint32_t row = experiment.train_rows()[i];
      float x[4];
      experiment.features(row, x);
      const std::size_t label = lastlayer::data::iris.labels[row];
      const float before = model.loss(x, label);
      ASSERT_EQ(model.train(x, label, opt), Status::ok);
      ASSERT_LE(model.loss(x, label), before * (1.0f + 1e-5f) + 1e-6f);
    }
  }
  EXPECT_LT(experiment.evaluate(model, false).cross_entropy, 0.3);
}

}  // namespace
