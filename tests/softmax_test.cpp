// softmax, log_softmax, logsumexp and the model's loss against double precision, for every
// length 1..33 and 1000, in the regimes that break naive code: logits in [90, 100] (exp
// overflows without the max shift), in [-100, 0] (exp underflows), masked -Inf classes, and all
// logits equal.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "lastlayer/lastlayer.hpp"
#include "support/double_model.hpp"

namespace {

using lastlayer::testing::Vec;

enum class Regime { high, low, masked, equal };

std::vector<float> make_logits(Regime r, std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> high(90.0f, 100.0f), low(-100.0f, 0.0f);
  std::vector<float> z(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (r) {
      case Regime::high:
        z[i] = high(rng);
        break;
      case Regime::low:
        z[i] = low(rng);
        break;
      case Regime::masked:
        z[i] = (i % 3 == 1) ? -INFINITY : low(rng) + 50.0f;
        break;
      case Regime::equal:
        z[i] = 42.5f;
        break;
    }
  }
  return z;
}

Vec to_double(const std::vector<float>& z) {
  return Vec(z.begin(), z.end());
}

std::vector<std::size_t> lengths() {
  std::vector<std::size_t> n;
  for (std::size_t i = 1; i <= 33; ++i) n.push_back(i);
  n.push_back(1000);
  return n;
}

// Relative error per element, with an absolute floor at the bottom of the normal floats:
// probabilities below FLT_MIN (exp(-87.3)) may come out as 0 or as a denormal.
constexpr double kRelative = 1e-6;
constexpr double kFloor = 1.2e-38;

class SoftmaxRegimes : public ::testing::TestWithParam<Regime> {};

TEST_P(SoftmaxRegimes, SoftmaxMatchesDouble) {
  std::mt19937 rng(1);
  for (std::size_t n : lengths()) {
    const auto z = make_logits(GetParam(), n, rng);
    const Vec ref = lastlayer::testing::softmax(to_double(z));
    std::vector<float> q(n);
    lastlayer::softmax(z.data(), q.data(), n);
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_NEAR(q[i], ref[i], kRelative * ref[i] + kFloor) << "n " << n << " i " << i;
      sum += q[i];
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "n " << n;
  }
}

TEST_P(SoftmaxRegimes, SoftmaxInPlace) {
  std::mt19937 rng(2);
  auto z = make_logits(GetParam(), 17, rng);
  std::vector<float> q(17);
  lastlayer::softmax(z.data(), q.data(), 17);
  lastlayer::softmax(z.data(), z.data(), 17);
  EXPECT_EQ(q, z);
}

TEST_P(SoftmaxRegimes, LogSoftmaxMatchesDouble) {
  std::mt19937 rng(3);
  for (std::size_t n : lengths()) {
    const auto z = make_logits(GetParam(), n, rng);
    const Vec zd = to_double(z);
    const double lse = lastlayer::testing::logsumexp(zd);
    std::vector<float> q(n);
    lastlayer::log_softmax(z.data(), q.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const double ref = zd[i] - lse;
      if (std::isinf(ref)) {
        EXPECT_EQ(q[i], -INFINITY);
      } else {
        // Absolute error relative to the size of the logits involved (|z - m| + log n).
        ASSERT_NEAR(q[i], ref, 1e-6 * (1.0 + std::fabs(ref))) << "n " << n << " i " << i;
      }
    }
  }
}

TEST_P(SoftmaxRegimes, LogSumExpMatchesDouble) {
  std::mt19937 rng(4);
  for (std::size_t n : lengths()) {
    const auto z = make_logits(GetParam(), n, rng);
    const double ref = lastlayer::testing::logsumexp(to_double(z));
    EXPECT_NEAR(lastlayer::logsumexp(z.data(), n), ref, 1e-6 * (1.0 + std::fabs(ref))) << "n " << n;
  }
}

// The model's loss, with the logits placed in the biases (W = 0): -log p[label] in nats.
// A model's logits are finite, so the masked regime does not apply.
TEST(Softmax, ModelLossMatchesDouble) {
  std::mt19937 rng(5);
  for (Regime regime : {Regime::high, Regime::low, Regime::equal})
    for (std::size_t n : lengths()) {
      const auto z = make_logits(regime, n, rng);
      std::vector<float> w(n * lastlayer::kRowPadFloats, 0.0f), b(z), scratch(n);
      float bound = 100.0f;
      const lastlayer::ConstModelView m(w.data(), b.data(), &bound, 1, n, lastlayer::kRowPadFloats);
      const float x = 0.5f;
      const double lse = lastlayer::testing::logsumexp(to_double(z));
      for (std::size_t label = 0; label < n; label += 1 + n / 7) {
        const double ref = lse - z[label];
        EXPECT_NEAR(lastlayer::loss(m, &x, label, scratch.data()), ref, 1e-6 * (1.0 + ref))
            << "n " << n << " label " << label;
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Regimes, SoftmaxRegimes,
                         ::testing::Values(Regime::high, Regime::low, Regime::masked,
                                           Regime::equal));

TEST(Softmax, AllEqualLogitsGiveTheUniformDistribution) {
  for (std::size_t n : lengths()) {
    std::vector<float> z(n, -7.25f), q(n);
    lastlayer::softmax(z.data(), q.data(), n);
    for (float v : q) EXPECT_FLOAT_EQ(v, 1.0f / static_cast<float>(n));
    lastlayer::log_softmax(z.data(), q.data(), n);
    for (float v : q) EXPECT_NEAR(v, -std::log(double(n)), 1e-6 * (1 + std::log(double(n))));
  }
}

TEST(Softmax, MaskedClassesGetExactlyZero) {
  std::vector<float> z = {1.0f, -INFINITY, 2.0f, -INFINITY}, q(4);
  lastlayer::softmax(z.data(), q.data(), 4);
  EXPECT_EQ(q[1], 0.0f);
  EXPECT_EQ(q[3], 0.0f);
  EXPECT_NEAR(q[0] + q[2], 1.0f, 1e-7f);
}

TEST(Softmax, UndefinedInputsGiveNaNEverywhere) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const std::vector<float>& z :
       {std::vector<float>{-inf, -inf, -inf}, std::vector<float>{0.0f, nan, 1.0f},
        std::vector<float>{nan, 0.0f, 1.0f}, std::vector<float>{0.0f, inf, 1.0f}}) {
    std::vector<float> q(3);
    lastlayer::softmax(z.data(), q.data(), 3);
    for (float v : q) EXPECT_TRUE(std::isnan(v));
    lastlayer::log_softmax(z.data(), q.data(), 3);
    for (float v : q) EXPECT_TRUE(std::isnan(v));
  }
}

TEST(Softmax, SignedZerosAreOrdinaryLogits) {
  std::vector<float> z = {0.0f, -0.0f}, q(2);
  lastlayer::softmax(z.data(), q.data(), 2);
  EXPECT_EQ(q[0], 0.5f);
  EXPECT_EQ(q[1], 0.5f);
}

}  // namespace
