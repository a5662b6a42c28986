// The bad-input contract (docs/contract.md) for the calls outside training: inference, the
// accessors, hand edits, the span kernels, and the view-level checkpoint functions. Bad input
// gets its status or out-of-band value, and the model's bytes do not change.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lastlayer/lastlayer.hpp"
#include "support/model_bytes.hpp"

namespace {

using lastlayer::Status;
using lastlayer_test::Snapshot;

constexpr std::size_t kD = 5, kK = 4;
using Model = lastlayer::Classifier<kD, kK>;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

Model& trained() {
  static Model m;
  m.reset();
  const float x[kD] = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(m.train(x, i % 4, {0.3f}), Status::ok);
  return m;
}

TEST(ContractApi, InferenceOnBadFeatures) {
  Model& m = trained();
  const Snapshot<Model> before(m);
  float p[kK];
  for (float bad : {kNaN, kInf, -kInf}) {
    float x[kD] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f};
    x[kD - 1] = bad;
    EXPECT_EQ(m.predict(x), kK);
    EXPECT_EQ(m.probabilities(x, p), Status::non_finite);
    EXPECT_TRUE(std::isnan(m.loss(x, 1)));
  }
  const float ok[kD] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(m.predict(nullptr), kK);
  EXPECT_EQ(m.probabilities(nullptr, p), Status::invalid_argument);
  EXPECT_EQ(m.probabilities(ok, nullptr), Status::invalid_argument);
  EXPECT_TRUE(std::isnan(m.loss(nullptr, 1)));
  EXPECT_TRUE(std::isnan(m.loss(ok, kK)));
  EXPECT_TRUE(std::isnan(m.loss(ok, static_cast<const float*>(nullptr))));
  EXPECT_TRUE(before.unchanged());
}

TEST(ContractApi, LogitOverflowFromFiniteFeatures) {
  Model m;
  ASSERT_EQ(m.set_weight(2, 0, 1e38f), Status::ok);
  const float x[kD] = {1e30f, 0.0f, 0.0f, 0.0f, 0.0f};
  float p[kK];
  const Snapshot<Model> before(m);
  EXPECT_EQ(m.predict(x), kK);
  EXPECT_EQ(m.probabilities(x, p), Status::non_finite);
  EXPECT_EQ(m.train(x, 0), Status::non_finite);
  EXPECT_TRUE(before.unchanged());
}

TEST(ContractApi, AccessorsOutOfRangeAreNaN) {
  Model& m = trained();
  EXPECT_TRUE(std::isnan(m.weight(kK, 0)));
  EXPECT_TRUE(std::isnan(m.weight(0, kD)));
  EXPECT_TRUE(std::isnan(m.bias(kK)));
  lastlayer::GradientAccumulator<kD, kK> acc;
  EXPECT_TRUE(std::isnan(acc.weight_gradient(kK, 0)));
  EXPECT_TRUE(std::isnan(acc.weight_gradient(0, kD)));
  EXPECT_TRUE(std::isnan(acc.bias_gradient(kK)));
  EXPECT_EQ(acc.weight_gradient(kK - 1, kD - 1), 0.0f);
}

TEST(ContractApi, HandEditsRefuseBadIndicesAndValues) {
  Model& m = trained();
  const Snapshot<Model> before(m);
  EXPECT_EQ(m.set_weight(kK, 0, 1.0f), Status::invalid_argument);
  EXPECT_EQ(m.set_weight(0, kD, 1.0f), Status::invalid_argument);
  EXPECT_EQ(m.set_bias(kK, 1.0f), Status::invalid_argument);
  for (float bad : {kNaN, kInf, -kInf, 2e38f, -std::numeric_limits<float>::max()}) {
    EXPECT_EQ(m.set_weight(1, 1, bad), Status::non_finite);
    EXPECT_EQ(m.set_bias(1, bad), Status::non_finite);
  }
  EXPECT_TRUE(before.unchanged());
}

TEST(ContractApi, SpanKernelsWithNullOrEmptyInput) {
  float q[3] = {7.0f, 7.0f, 7.0f};
  const float z[3] = {1.0f, 2.0f, 3.0f};
  lastlayer::softmax(nullptr, q, 3);
  lastlayer::log_softmax(nullptr, q, 3);
  lastlayer::softmax(z, nullptr, 3);
  lastlayer::log_softmax(z, nullptr, 3);
  lastlayer::softmax(z, q, 0);
  lastlayer::log_softmax(z, q, 0);
  for (float v : q) EXPECT_EQ(v, 7.0f);
  EXPECT_TRUE(std::isnan(lastlayer::logsumexp(nullptr, 3)));
  EXPECT_EQ(lastlayer::logsumexp(z, 0), -kInf);
}

// softmax.hpp promises all-NaN output for a NaN input, which is what the training calls rely on
// only indirectly (they check x and the logits first), but a caller of the span kernel may not.
TEST(ContractApi, SpanKernelPropagatesNaN) {
  float q[3];
  const float nan_entry[3] = {1.0f, kNaN, 0.0f};
  const float inf_entry[3] = {1.0f, kInf, 0.0f};
  const float all_masked[3] = {-kInf, -kInf, -kInf};
  for (const float* bad : {nan_entry, inf_entry, all_masked}) {
    lastlayer::softmax(bad, q, 3);
    for (float v : q) EXPECT_TRUE(std::isnan(v));
    lastlayer::log_softmax(bad, q, 3);
    for (float v : q) EXPECT_TRUE(std::isnan(v));
    EXPECT_TRUE(std::isnan(lastlayer::logsumexp(bad, 3)));
  }
}

TEST(ContractApi, ViewLevelCheckpointCallsRefuseBrokenViews) {
  Model& m = trained();
  std::uint8_t buf[Model::checkpoint_size];
  std::size_t n = 0;
  ASSERT_EQ(m.save(buf, sizeof buf, &n), Status::ok);
  lastlayer::ModelView v = m.view();
  const Snapshot<Model> before(m);
  lastlayer::ModelView broken = v;
  broken.weights = nullptr;
  EXPECT_EQ(lastlayer::load_checkpoint(broken, buf, n), Status::invalid_argument);
  EXPECT_EQ(lastlayer::save_checkpoint(broken, buf, sizeof buf, &n), Status::invalid_argument);
  broken = v;
  broken.bound = nullptr;
  EXPECT_EQ(lastlayer::load_checkpoint(broken, buf, n), Status::invalid_argument);
  broken = v;
  broken.stride = kD - 1;  // rows would overlap
  EXPECT_EQ(lastlayer::load_checkpoint(broken, buf, n), Status::invalid_argument);
  broken = v;
  broken.classes = 0;
  EXPECT_EQ(lastlayer::load_checkpoint(broken, buf, n), Status::invalid_argument);
  EXPECT_TRUE(before.unchanged());
  EXPECT_EQ(lastlayer::verify_checkpoint(nullptr, n, kD, kK), Status::invalid_argument);
  std::size_t d = 0, k = 0;
  EXPECT_EQ(lastlayer::checkpoint_shape(nullptr, n, &d, &k), Status::invalid_argument);
}

TEST(ContractApi, EveryStatusHasADistinctName) {
  const char* names[32] = {};
  const int last = static_cast<int>(Status::no_checkpoint);
  for (int i = 0; i <= last; ++i) {
    names[i] = lastlayer::to_string(static_cast<Status>(i));
    ASSERT_NE(names[i], nullptr);
    EXPECT_STRNE(names[i], "unknown");
    for (int j = 0; j < i; ++j) EXPECT_STRNE(names[i], names[j]);
  }
}

}  // namespace
