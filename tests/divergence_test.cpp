// The overflow guard under attack: absurd learning rates, huge features, soft targets at the
// edge of the tolerance, weights at the limit, and a long randomized stream of every public call.
// No weight may become non-finite or exceed the model's bound (the bound is what lets a step
// prove in O(1) that it stays finite), and a refused step leaves the model unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "lastlayer/lastlayer.hpp"
#include "support/api_driver.hpp"
#include "support/model_bytes.hpp"

namespace {

using lastlayer::SgdOptions;
using lastlayer::Status;
using lastlayer_test::Snapshot;

using Model = lastlayer::Classifier<2, 3>;

float max_abs(const Model& m) {
  float mx = 0.0f;
  for (std::size_t k = 0; k < 3; ++k) {
    mx = std::fmax(mx, std::fabs(m.bias(k)));
    for (std::size_t j = 0; j < 2; ++j) mx = std::fmax(mx, std::fabs(m.weight(k, j)));
  }
  return mx;
}

bool within_bound(const Model& m) {
  return max_abs(m) <= *m.view().bound;
}

TEST(Divergence, LearningRateAtFloatMaxIsRefused) {
  Model m;
  const float x[2] = {1.0f, -1.0f};
  const Snapshot<Model> before(m);
  EXPECT_EQ(m.train(x, 0, {std::numeric_limits<float>::max()}), Status::diverged);
  EXPECT_EQ(m.train(x, 0, {3e38f}), Status::diverged);
  EXPECT_TRUE(before.unchanged());
}

TEST(Divergence, LearningRate1e30RunsUntilTheLimitThenRefuses) {
  Model m;
  const float x[2] = {1e6f, -1.0f};  // up to 1e36 per step: the limit is a hundred steps away
  int ok = 0, refused = 0;
  for (int i = 0; i < 400; ++i) {
    const Snapshot<Model> before(m);
    const Status s = m.train(x, i % 3, {1e30f});
    ASSERT_TRUE(s == Status::ok || s == Status::diverged || s == Status::non_finite)
        << lastlayer::to_string(s);
    if (s == Status::ok) {
      ++ok;
    } else {
      ++refused;
      EXPECT_TRUE(before.unchanged());
    }
    ASSERT_TRUE(std::isfinite(max_abs(m)));
    ASSERT_TRUE(within_bound(m)) << i;
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(refused, 0);
}

TEST(Divergence, HugeFeaturesAreRefusedBeforeAnyWrite) {
  Model m;
  const float x[2] = {3e38f, 1.0f};
  const Snapshot<Model> before(m);
  EXPECT_EQ(m.train(x, 1, {1.0f}), Status::diverged);  // one step could move a weight by 2e38
  EXPECT_TRUE(before.unchanged());
  lastlayer::GradientAccumulator<2, 3> acc;
  EXPECT_EQ(acc.add(m, x, 1), Status::diverged);  // the sum itself could overflow
  const float y[2] = {5e37f, 1.0f};
  ASSERT_EQ(acc.add(m, y, 1), Status::ok);
  const Snapshot<lastlayer::GradientAccumulator<2, 3>> acc_before(acc);
  EXPECT_EQ(acc.step(m, {10.0f}), Status::diverged);
  EXPECT_TRUE(before.unchanged());
  EXPECT_TRUE(acc_before.unchanged());  // kept, so the caller can retry with a smaller rate
}

// A soft target may sum to 1 + 1e-3, so one entry of p - t can reach -1.001: a step then moves
// a weight by more than lr * max|x|. The bound must still hold.
TEST(Divergence, SoftTargetAtTheToleranceKeepsTheBound) {
  Model m;
  ASSERT_EQ(m.set_weight(0, 0, 50.0f), Status::ok);
  ASSERT_EQ(m.set_weight(1, 0, 50.0f), Status::ok);
  ASSERT_EQ(m.set_weight(1, 1, 50.0f), Status::ok);
  const float x[2] = {2.0f, 2.0f};               // logits 100, 200, 0: p0 is about 0
  const float t[3] = {1.0009f, 0.0f, 0.0f};      // accepted: within 1e-3 of a probability vector
  ASSERT_EQ(m.train(x, t, {1.0f}), Status::ok);  // w00 becomes 50 + 2 * 1.0009
  EXPECT_TRUE(within_bound(m)) << max_abs(m) << " > bound " << *m.view().bound;
}

// Many small steps with weights at the limit: rounding must not carry a weight past the bound.
TEST(Divergence, StepsAtTheWeightLimit) {
  Model m;
  ASSERT_EQ(m.set_weight(0, 0, 9.9e37f), Status::ok);
  ASSERT_EQ(m.set_weight(2, 1, -9.9e37f), Status::ok);
  const float x[2] = {1e35f, -3e34f};
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    const Snapshot<Model> before(m);
    const Status s = m.train(x, i % 2 ? 1 : 2, {3.0f});
    if (s != Status::ok) {
      ++refused;
      EXPECT_TRUE(before.unchanged());
    }
    ASSERT_TRUE(std::isfinite(max_abs(m)));
    ASSERT_TRUE(within_bound(m)) << i;
    ASSERT_LE(max_abs(m), 1e38f);
  }
  EXPECT_GT(refused, 0);
}

// A long pseudo-random stream of every call with every kind of argument (the API fuzzer's
// driver, with bytes from a fixed generator so the test is reproducible on every target).
TEST(Divergence, RandomizedCallStreamKeepsEveryInvariant) {
  static std::uint8_t bytes[1 << 16];
  std::uint32_t state = 12345u;
  for (std::uint8_t& b : bytes) {
    state = state * 1664525u + 1013904223u;
    b = static_cast<std::uint8_t>(state >> 24);
  }
  static lastlayer_test::ApiDriver<5, 3> driver;
  lastlayer_test::ByteSource in(bytes, sizeof bytes);
  int calls = 0;
  while (!in.empty()) {
    const char* broken = driver.step(in);
    ASSERT_EQ(broken, nullptr) << broken << " at call " << calls;
    ++calls;
  }
  EXPECT_GT(calls, 1000);
}

}  // namespace
