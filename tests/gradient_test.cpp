// The float library's steps against the double-precision formulas: one SGD step is exactly
// W -= lr (p - t) x^T, b -= lr (p - t); the accumulator sums (Y - T) X^T; the mini-batch step
// applies the mean of that sum.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "lastlayer/lastlayer.hpp"
#include "support/double_model.hpp"

namespace {

using namespace lastlayer::testing;
using lastlayer::Status;

constexpr std::size_t kD = 19, kK = 5, kN = 12;  // D not a multiple of any vector width
using Model = lastlayer::Classifier<kD, kK>;

// A random float model and its exact double copy.
DoubleModel randomize(Model& model, std::mt19937& rng) {
  DoubleModel m(kD, kK);
  const Vec w = normal_vector(rng, kD * kK, 0.5), b = normal_vector(rng, kK, 0.5);
  for (std::size_t c = 0; c < kK; ++c) {
    for (std::size_t j = 0; j < kD; ++j) {
      EXPECT_EQ(model.set_weight(c, j, static_cast<float>(w[c * kD + j])), Status::ok);
      m.w[c * kD + j] = model.weight(c, j);
    }
    EXPECT_EQ(model.set_bias(c, static_cast<float>(b[c])), Status::ok);
    m.b[c] = model.bias(c);
  }
  return m;
}

// Float samples and their double copies.
struct Samples {
  float x[kN][kD];
  float t[kN][kK];
  std::size_t label[kN];
  Vec X, T;
};

Samples make_samples(std::mt19937& rng) {
  Samples s;
  for (std::size_t i = 0; i < kN; ++i) {
    const Vec x = normal_vector(rng, kD, 1.5);
    const Vec t = random_target(rng, kK);
    s.label[i] = i % kK;
    for (std::size_t j = 0; j < kD; ++j) {
      s.x[i][j] = static_cast<float>(x[j]);
      s.X.push_back(s.x[i][j]);
    }
    for (std::size_t c = 0; c < kK; ++c) {
      s.t[i][c] = static_cast<float>(t[c]);
      s.T.push_back(s.t[i][c]);
    }
  }
  return s;
}

void expect_model_near(const Model& model, const DoubleModel& ref, double tol) {
  for (std::size_t c = 0; c < kK; ++c) {
    for (std::size_t j = 0; j < kD; ++j) {
      EXPECT_NEAR(model.weight(c, j), ref.w[c * kD + j], tol * (1 + std::fabs(ref.w[c * kD + j])));
    }
    EXPECT_NEAR(model.bias(c), ref.b[c], tol * (1 + std::fabs(ref.b[c])));
  }
}

TEST(SgdStep, IsTheGradientStepWithLabelsAndSoftTargets) {
  std::mt19937 rng(41);
  static Model model;
  for (int trial = 0; trial < 20; ++trial) {
    DoubleModel ref = randomize(model, rng);
    const Samples s = make_samples(rng);
    const double lr = 0.05;
    lastlayer::SgdOptions opt;
    opt.learning_rate = static_cast<float>(lr);
    for (std::size_t i = 0; i < kN; ++i) {
      Vec t(kK, 0.0);
      Status st;
      if (i % 2 == 0) {
        t[s.label[i]] = 1.0;
        st = model.train(s.x[i], s.label[i], opt);
      } else {
        t.assign(s.T.begin() + i * kK, s.T.begin() + (i + 1) * kK);
        st = model.train(s.x[i], s.t[i], opt);
      }
      ASSERT_EQ(st, Status::ok);
      const Vec X(s.X.begin() + i * kD, s.X.begin() + (i + 1) * kD);
      const Vec g = gradient(ref, X, t, 1);
      Vec theta = parameters(ref);
      for (std::size_t p = 0; p < theta.size(); ++p) theta[p] -= lr * g[p];
      set_parameters(ref, theta);
    }
    expect_model_near(model, ref, 2e-6);
  }
}

TEST(GradientAccumulator, SumsTheVectorizedGradient) {
  std::mt19937 rng(43);
  static Model model;
  static lastlayer::GradientAccumulator<kD, kK> acc;
  const DoubleModel ref = randomize(model, rng);
  const Samples s = make_samples(rng);
  acc.clear();
  for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(acc.add(model, s.x[i], s.t[i]), Status::ok);
  EXPECT_EQ(acc.count(), kN);
  const Vec g = gradient(ref, s.X, s.T, kN);  // (Y - T) X^T
  for (std::size_t c = 0; c < kK; ++c) {
    for (std::size_t j = 0; j < kD; ++j) {
      EXPECT_NEAR(acc.weight_gradient(c, j), g[c * kD + j], 1e-5 * (1 + std::fabs(g[c * kD + j])));
    }
    EXPECT_NEAR(acc.bias_gradient(c), g[kK * kD + c], 1e-5);
  }
}

TEST(GradientAccumulator, StepAppliesTheMeanGradientAndClears) {
  std::mt19937 rng(47);
  static Model model;
  static lastlayer::GradientAccumulator<kD, kK> acc;
  DoubleModel ref = randomize(model, rng);
  const Samples s = make_samples(rng);
  acc.clear();
  for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(acc.add(model, s.x[i], s.label[i]), Status::ok);
  Vec T(kN * kK, 0.0);
  for (std::size_t i = 0; i < kN; ++i) T[i * kK + s.label[i]] = 1.0;
  const Vec g = gradient(ref, s.X, T, kN);
  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.3f;
  ASSERT_EQ(acc.step(model, opt), Status::ok);
  EXPECT_EQ(acc.count(), 0u);
  Vec theta = parameters(ref);
  for (std::size_t p = 0; p < theta.size(); ++p) theta[p] -= 0.3 * g[p] / double(kN);
  set_parameters(ref, theta);
  expect_model_near(model, ref, 2e-6);
  for (std::size_t c = 0; c < kK; ++c) EXPECT_EQ(acc.bias_gradient(c), 0.0f);
}

}  // namespace
