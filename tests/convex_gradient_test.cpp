// The batch gradient and the Hessian-vector product (MATH.md facts 1, 2, 3 and 5) on the iris
// training part, against per-sample accumulation and against double-precision finite
// differences.
#include <gtest/gtest.h>

#include <cmath>

#include "data/iris.hpp"
#include "lastlayer/batch_trainer.hpp"
#include "lastlayer/lastlayer.hpp"
#include "support/convex_data.hpp"

namespace {

using lastlayer::BatchView;
using lastlayer::Classifier;
using lastlayer::GradientAccumulator;
using lastlayer::Status;
using lastlayer::testing::TrainingSet;

constexpr std::size_t D = 4, K = 3, N = 150;
using Model = Classifier<D, K>;

const TrainingSet<D, K, N>& iris() {
  static const TrainingSet<D, K, N> set(lastlayer::data::iris);
  return set;
}

// A model with weights that are neither zero nor the optimum, and column sums that are not 0.
void fill(Model& m, float scale) {
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) {
      m.set_weight(k, j, scale * std::sin(1.7f * static_cast<float>(k * D + j) + 0.3f));
    }
    m.set_bias(k, scale * std::cos(2.1f * static_cast<float>(k) + 1.0f));
  }
}

// Summed loss and its gradient in double at weights w (K x (D + 1), bias last).
double loss_and_gradient(const BatchView& data, const double (&w)[K][D + 1], double (*g)[D + 1]) {
  for (std::size_t k = 0; g != nullptr && k < K; ++k) {
    for (std::size_t j = 0; j <= D; ++j) g[k][j] = 0.0;
  }
  double total = 0.0;
  for (std::size_t i = 0; i < data.count; ++i) {
    const float* x = data.features + i * data.stride;
    double z[K], mx = -1e300, s = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      z[k] = w[k][D];
      for (std::size_t j = 0; j < D; ++j) z[k] += w[k][j] * x[j];
      mx = z[k] > mx ? z[k] : mx;
    }
    for (std::size_t k = 0; k < K; ++k) s += std::exp(z[k] - mx);
    total += mx + std::log(s) - z[data.labels[i]];
    if (g == nullptr) continue;
    for (std::size_t k = 0; k < K; ++k) {
      const double r = std::exp(z[k] - mx) / s - (k == data.labels[i] ? 1.0 : 0.0);
      for (std::size_t j = 0; j < D; ++j) g[k][j] += r * x[j];
      g[k][D] += r;
    }
  }
  return total;
}

void to_double(const Model& m, double (&w)[K][D + 1]) {
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) w[k][j] = m.weight(k, j);
    w[k][D] = m.bias(k);
  }
}

TEST(ConvexGradient, EqualsPerSampleAccumulation) {
  Model m;
  fill(m, 0.4f);
  GradientAccumulator<D, K> batch, per_sample;
  double mean_loss = 0.0;
  ASSERT_EQ(lastlayer::batch_gradient(m, iris().view(), batch, &mean_loss), Status::ok);
  const BatchView data = iris().view();
  double loss_sum = 0.0;
  for (std::size_t i = 0; i < data.count; ++i) {
    ASSERT_EQ(per_sample.add(m, data.features + i * D, std::size_t{data.labels[i]}), Status::ok);
    loss_sum += m.loss(data.features + i * D, std::size_t{data.labels[i]});
  }
  EXPECT_EQ(batch.count(), data.count);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) {
      EXPECT_FLOAT_EQ(batch.weight_gradient(k, j), per_sample.weight_gradient(k, j));
    }
    EXPECT_FLOAT_EQ(batch.bias_gradient(k), per_sample.bias_gradient(k));
  }
  EXPECT_NEAR(mean_loss, loss_sum / static_cast<double>(data.count), 1e-6);
}

TEST(ConvexGradient, MatchesDoubleGradientAndColumnSumsVanish) {
  Model m;
  fill(m, 0.7f);
  GradientAccumulator<D, K> g;
  ASSERT_EQ(lastlayer::batch_gradient(m, iris().view(), g), Status::ok);
  double w[K][D + 1], ref[K][D + 1];
  to_double(m, w);
  loss_and_gradient(iris().view(), w, ref);
  for (std::size_t j = 0; j <= D; ++j) {
    double column = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      const double got = j < D ? g.weight_gradient(k, j) : g.bias_gradient(k);
      EXPECT_NEAR(got, ref[k][j], 1e-4 * (1.0 + std::fabs(ref[k][j])));
      column += got;
    }
    EXPECT_NEAR(column, 0.0, 1e-4) << "fact 2: 1^T grad = 0, column " << j;
  }
}

TEST(ConvexGradient, RefusesBadInputAndClearsTheGradient) {
  Model m;
  GradientAccumulator<D, K> g;
  BatchView bad = iris().view();
  std::uint16_t labels[2] = {0, 3};
  bad.labels = labels;
  bad.count = 2;
  EXPECT_EQ(lastlayer::batch_gradient(m, bad, g), Status::invalid_label);
  EXPECT_EQ(g.count(), 0u);
  float x[2 * D] = {1, 2, 3, 4, NAN, 0, 0, 0};
  std::uint16_t ok_labels[2] = {0, 1};
  const BatchView nan_batch{x, ok_labels, 2, D};
  EXPECT_EQ(lastlayer::batch_gradient(m, nan_batch, g), Status::non_finite);
  EXPECT_EQ(g.count(), 0u);
  const BatchView empty{x, ok_labels, 0, D};
  EXPECT_EQ(lastlayer::batch_gradient(m, empty, g), Status::empty_batch);
  const BatchView short_stride{x, ok_labels, 1, D - 1};
  EXPECT_EQ(lastlayer::batch_gradient(m, short_stride, g), Status::invalid_argument);
}

// H v against (grad(W + h V) - grad(W - h V)) / 2h in double.
TEST(ConvexHessian, VectorProductMatchesFiniteDifferences) {
  Model m, v;
  fill(m, 0.5f);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) {
      v.set_weight(k, j, std::cos(0.9f * static_cast<float>(k * 7 + j * 3)));
    }
    v.set_bias(k, 0.5f - 0.3f * static_cast<float>(k));
  }
  GradientAccumulator<D, K> hv;
  float scratch[2 * K];
  ASSERT_EQ(
      lastlayer::hessian_vector_product(m.view(), iris().view(), v.view(), hv.view(), scratch),
      Status::ok);
  double w[K][D + 1], dir[K][D + 1], plus[K][D + 1], minus[K][D + 1], gp[K][D + 1], gm[K][D + 1];
  to_double(m, w);
  to_double(v, dir);
  const double h = 1e-5;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j <= D; ++j) {
      plus[k][j] = w[k][j] + h * dir[k][j];
      minus[k][j] = w[k][j] - h * dir[k][j];
    }
  }
  loss_and_gradient(iris().view(), plus, gp);
  loss_and_gradient(iris().view(), minus, gm);
  double quadratic = 0.0;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j <= D; ++j) {
      const double fd = (gp[k][j] - gm[k][j]) / (2.0 * h);
      const double got = j < D ? hv.weight_gradient(k, j) : hv.bias_gradient(k);
      EXPECT_NEAR(got, fd, 1e-4 * (1.0 + std::fabs(fd))) << "k " << k << " j " << j;
      quadratic += got * dir[k][j];
    }
  }
  EXPECT_GT(quadratic, 0.0) << "fact 5: v^T H v >= 0 (and > 0 off the kernel)";
}

// Fact 3 and 5: every 1 u^T (with the bias, 1 u~^T) is in the kernel of H.
TEST(ConvexHessian, ShiftDirectionsAreInTheKernel) {
  Model m, v;
  fill(m, 0.5f);
  const float u[D + 1] = {0.3f, -1.2f, 0.8f, 2.0f, -0.7f};
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) v.set_weight(k, j, u[j]);
    v.set_bias(k, u[D]);
  }
  GradientAccumulator<D, K> hv;
  float scratch[2 * K];
  ASSERT_EQ(
      lastlayer::hessian_vector_product(m.view(), iris().view(), v.view(), hv.view(), scratch),
      Status::ok);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < D; ++j) EXPECT_NEAR(hv.weight_gradient(k, j), 0.0f, 1e-4f);
    EXPECT_NEAR(hv.bias_gradient(k), 0.0f, 1e-4f);
  }
}

}  // namespace
