// The public API as a user writes it: the snippet of the README compiles and behaves.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "lastlayer/lastlayer.hpp"

namespace {

using lastlayer::Classifier;
using lastlayer::SgdOptions;
using lastlayer::Status;

Classifier<64, 10> static_model;  // static storage: must start as the all-zero model

TEST(Api, StaticModelStartsAtZero) {
  for (std::size_t k = 0; k < 10; ++k) {
    EXPECT_EQ(static_model.bias(k), 0.0f);
    for (std::size_t j = 0; j < 64; ++j) EXPECT_EQ(static_model.weight(k, j), 0.0f);
  }
}

TEST(Api, SnippetCompilesAndRuns) {
  using namespace lastlayer;
  static Classifier<64, 10> model;
  float x[64], target[10] = {}, z[10];
  for (int j = 0; j < 64; ++j) x[j] = 0.1f * static_cast<float>(j % 7) - 0.3f;
  for (int k = 0; k < 10; ++k) z[k] = static_cast<float>(k);
  target[3] = 0.5f;
  target[4] = 0.5f;
  std::size_t label = 2, j = 5;
  SgdOptions opt;
  EXPECT_EQ(opt.learning_rate, 0.01f);
  opt.learning_rate = 0.05f;
  Status s = model.train(x, label, opt);
  EXPECT_EQ(s, Status::ok);
  s = model.train(x, target, opt);
  EXPECT_EQ(s, Status::ok);
  std::size_t k = model.predict(x);
  EXPECT_LT(k, 10u);
  float p[10];
  s = model.probabilities(x, p);
  EXPECT_EQ(s, Status::ok);
  float l = model.loss(x, label);
  EXPECT_NEAR(l, -std::log(p[label]), 1e-5f);
  float w = model.weight(k, j);
  float b = model.bias(k);
  EXPECT_EQ(model.set_weight(k, j, w), Status::ok);
  EXPECT_EQ(model.set_bias(k, b), Status::ok);
  s = model.train(x, 0, opt);
  bool ok = (s == Status::ok);
  EXPECT_TRUE(ok);
  float q[10];
  lastlayer::softmax(z, q, 10);
  EXPECT_NEAR(q[9], 1.0f / (1.0f + std::exp(-1.0f) / (1.0f - std::exp(-1.0f)) * (1.0f - std::exp(-9.0f))), 1e-5f);
  lastlayer::log_softmax(z, q, 10);
  EXPECT_NEAR(std::exp(q[9]), 1.0f / (1.0f + std::exp(-1.0f) / (1.0f - std::exp(-1.0f)) * (1.0f - std::exp(-9.0f))), 1e-5f);
}

}  // namespace
