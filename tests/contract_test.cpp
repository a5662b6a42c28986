// The bad-input contract of the training calls: each kind of bad input gets its status, and the
// model (and a gradient accumulator) stays byte-for-byte unchanged. No step writes a non-finite
// weight, whatever the learning rate and the features.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "lastlayer/lastlayer.hpp"

namespace {

using lastlayer::SgdOptions;
using lastlayer::Status;

constexpr std::size_t kD = 7, kK = 3;
using Model = lastlayer::Classifier<kD, kK>;
using Accumulator = lastlayer::GradientAccumulator<kD, kK>;

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

template <typename T>
std::vector<unsigned char> bytes(const T& object) {
  std::vector<unsigned char> b(sizeof(T));
  std::memcpy(b.data(), &object, sizeof(T));
  return b;
}

// A model that has learned something, so "unchanged" is not just "still zero".
Model& trained_model() {
  static Model model;
  model.reset();
  const float x[kD] = {0.5f, -1.0f, 2.0f, 0.0f, 1.5f, -0.25f, 3.0f};
  for (std::size_t i = 0; i < 20; ++i) EXPECT_EQ(model.train(x, i % kK), Status::ok);
  return model;
}

bool all_finite(const Model& m) {
  for (std::size_t k = 0; k < kK; ++k) {
    if (!std::isfinite(m.bias(k))) return false;
    for (std::size_t j = 0; j < kD; ++j)
      if (!std::isfinite(m.weight(k, j))) return false;
  }
  return true;
}

const float kGood[kD] = {1.0f, 2.0f, -1.0f, 0.5f, 0.0f, -2.0f, 1.0f};

TEST(Contract, LabelOutOfRange) {
  Model& m = trained_model();
  const auto before = bytes(m);
  EXPECT_EQ(m.train(kGood, kK), Status::invalid_label);
  // The top bit: far out of range on 32- and 64-bit targets alike.
  EXPECT_EQ(m.train(kGood, std::size_t{1} << (8 * sizeof(std::size_t) - 1)), Status::invalid_label);
  EXPECT_EQ(m.train(kGood, -1), Status::invalid_label);
  EXPECT_EQ(bytes(m), before);
  EXPECT_TRUE(std::isnan(m.loss(kGood, kK)));
  EXPECT_TRUE(std::isnan(m.loss(kGood, -1)));
}

TEST(Contract, NonFiniteFeatureAnywhere) {
  Model& m = trained_model();
  const auto before = bytes(m);
  for (float bad : {kNaN, kInf, -kInf}) {
    for (std::size_t j = 0; j < kD; ++j) {
      float x[kD];
      std::memcpy(x, kGood, sizeof x);
      x[j] = bad;
      EXPECT_EQ(m.train(x, 1), Status::non_finite);
      const float t[kK] = {0.2f, 0.3f, 0.5f};
      EXPECT_EQ(m.train(x, t), Status::non_finite);
      float p[kK] = {};
      EXPECT_EQ(m.probabilities(x, p), Status::non_finite);
      EXPECT_EQ(m.predict(x), kK);
      EXPECT_TRUE(std::isnan(m.loss(x, 0)));
    }
  }
  EXPECT_EQ(bytes(m), before);
}

TEST(Contract, BadLearningRate) {
  Model& m = trained_model();
  const auto before = bytes(m);
  for (float lr : {0.0f, -0.0f, -0.01f, kNaN, kInf, -kInf}) {
    SgdOptions opt;
    opt.learning_rate = lr;
    EXPECT_EQ(m.train(kGood, 0, opt), Status::invalid_argument) << lr;
    const float t[kK] = {1.0f, 0.0f, 0.0f};
    EXPECT_EQ(m.train(kGood, t, opt), Status::invalid_argument) << lr;
  }
  EXPECT_EQ(bytes(m), before);
}

TEST(Contract, BadSoftTarget) {
  Model& m = trained_model();
  const auto before = bytes(m);
  const float broken[][kK] = {
      {-0.1f, 0.6f, 0.5f},    // negative entry
      {kNaN, 0.5f, 0.5f},     // NaN
      {kInf, 0.0f, 0.0f},     // Inf
      {0.3f, 0.3f, 0.3f},     // sums to 0.9
      {0.5f, 0.5f, 0.0021f},  // sums to 1.0021: off by more than 1e-3
      {0.0f, 0.0f, 0.0f},     // no mass
  };
  for (const auto& t : broken) {
    EXPECT_EQ(m.train(kGood, t), Status::invalid_argument);
    EXPECT_TRUE(std::isnan(m.loss(kGood, t)));
  }
  EXPECT_EQ(m.train(kGood, static_cast<const float*>(nullptr)), Status::invalid_argument);
  EXPECT_EQ(bytes(m), before);
  // Within the tolerance the target is accepted as it is.
  const float close[kK] = {0.5f, 0.4995f, 0.0f};
  EXPECT_EQ(m.train(kGood, close), Status::ok);
}

TEST(Contract, NullPointers) {
  Model& m = trained_model();
  const auto before = bytes(m);
  EXPECT_EQ(m.train(nullptr, 0), Status::invalid_argument);
  EXPECT_EQ(m.probabilities(kGood, nullptr), Status::invalid_argument);
  EXPECT_EQ(m.predict(nullptr), kK);
  EXPECT_EQ(bytes(m), before);
}

TEST(Contract, SetWeightChecksIndexAndValue) {
  Model& m = trained_model();
  const auto before = bytes(m);
  EXPECT_EQ(m.set_weight(kK, 0, 1.0f), Status::invalid_argument);
  EXPECT_EQ(m.set_weight(0, kD, 1.0f), Status::invalid_argument);
  EXPECT_EQ(m.set_bias(kK, 1.0f), Status::invalid_argument);
  EXPECT_EQ(m.set_weight(0, 0, kNaN), Status::non_finite);
  EXPECT_EQ(m.set_bias(0, kInf), Status::non_finite);
  EXPECT_EQ(bytes(m), before);
  EXPECT_TRUE(std::isnan(m.weight(kK, 0)));
  EXPECT_TRUE(std::isnan(m.bias(kK)));
}

TEST(Contract, AccumulatorRejectsBadInputUnchanged) {
  Model& m = trained_model();
  static Accumulator acc;
  acc.clear();
  ASSERT_EQ(acc.add(m, kGood, 2), Status::ok);
  const auto model_before = bytes(m);
  const auto acc_before = bytes(acc);
  float x[kD];
  std::memcpy(x, kGood, sizeof x);
  x[3] = kNaN;
  EXPECT_EQ(acc.add(m, x, 0), Status::non_finite);
  EXPECT_EQ(acc.add(m, kGood, kK), Status::invalid_label);
  const float t[kK] = {0.5f, 0.6f, 0.0f};
  EXPECT_EQ(acc.add(m, kGood, t), Status::invalid_argument);
  SgdOptions bad;
  bad.learning_rate = -1.0f;
  EXPECT_EQ(acc.step(m, bad), Status::invalid_argument);
  EXPECT_EQ(bytes(m), model_before);
  EXPECT_EQ(bytes(acc), acc_before);
  acc.clear();
  EXPECT_EQ(acc.step(m), Status::empty_batch);
  EXPECT_EQ(bytes(m), model_before);
}

TEST(Divergence, AbsurdLearningRateNeverWritesANonFiniteWeight) {
  Model& m = trained_model();
  SgdOptions opt;
  opt.learning_rate = 1e30f;
  float x[kD];
  std::memcpy(x, kGood, sizeof x);
  int refused = 0;
  for (int i = 0; i < 200; ++i) {
    x[i % kD] *= 1e3f;  // features grow too
    if (!std::isfinite(x[i % kD])) x[i % kD] = 1e30f;
    const auto before = bytes(m);
    const Status s = m.train(x, static_cast<std::size_t>(i) % kK, opt);
    ASSERT_TRUE(s == Status::ok || s == Status::diverged || s == Status::non_finite)
        << lastlayer::to_string(s);
    if (s != Status::ok) {
      ++refused;
      EXPECT_EQ(bytes(m), before);
    }
    ASSERT_TRUE(all_finite(m)) << "step " << i;
  }
  EXPECT_GT(refused, 0);  // the guard did fire
}

TEST(Divergence, HugeFeaturesWithANormalRate) {
  // Each step may move a weight by lr * max|x| = 3e36: allowed until the weights near the
  // limit (or the logits overflow); from then on refused, and nothing ever becomes non-finite.
  Model& m = trained_model();
  const float big = 3e38f;
  const float x[kD] = {big, -big, big, big, -big, big, big};
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    const auto before = bytes(m);
    const Status s = m.train(x, static_cast<std::size_t>(i) % kK);
    ASSERT_TRUE(s == Status::ok || s == Status::diverged || s == Status::non_finite);
    if (s != Status::ok) {
      ++refused;
      EXPECT_EQ(bytes(m), before);
    }
    ASSERT_TRUE(all_finite(m)) << "step " << i;
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
