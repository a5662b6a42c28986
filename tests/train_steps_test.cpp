// train_steps (and Classifier::train over many samples) against one train_step per sample: the
// fused pass must give the same bytes, in every state the model passes through, and stop at a
// refused sample exactly where the single steps would.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "lastlayer/lastlayer.hpp"

namespace {

using lastlayer::Classifier;
using lastlayer::SgdOptions;
using lastlayer::Status;

template <std::size_t D, std::size_t K>
struct Data {
  std::vector<float> x;
  std::vector<std::size_t> labels;
  std::vector<const float*> rows;  // a shuffled visiting order, as an epoch of SGD has
  explicit Data(std::size_t n, unsigned seed) : x(n * D), labels(n), rows(n) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-2.0f, 2.0f);
    for (float& v : x) v = u(rng);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = (i * 7919) % n;
    for (std::size_t i = 0; i < n; ++i) {
      rows[i] = &x[order[i] * D];
      labels[i] = (order[i] * 31 + order[i] / 3) % K;
    }
  }
};

template <std::size_t D, std::size_t K>
bool same_bytes(const Classifier<D, K>& a, const Classifier<D, K>& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <std::size_t D, std::size_t K>
void expect_same_as_single_steps(const SgdOptions& opt) {
  static Classifier<D, K> fused, single;
  fused.reset();
  single.reset();
  const Data<D, K> data(300, D * 100 + K);
  std::size_t done = 12345;
  // Several calls of uneven length, so calls start and end anywhere in the data.
  std::size_t at = 0;
  for (std::size_t len : {1u, 2u, 57u, 0u, 140u, 100u}) {
    ASSERT_EQ(fused.train(&data.rows[at], &data.labels[at], len, opt, &done), Status::ok);
    ASSERT_EQ(done, len);
    for (std::size_t i = at; i < at + len; ++i) {
      ASSERT_EQ(single.train(data.rows[i], data.labels[i], opt), Status::ok);
    }
    ASSERT_TRUE(same_bytes(fused, single)) << D << "x" << K << " after " << at + len;
    at += len;
  }
}

TEST(TrainSteps, SameBytesAsOneStepPerSample) {
  SgdOptions opt;
  opt.learning_rate = 0.05f;
  expect_same_as_single_steps<64, 10>(opt);
  expect_same_as_single_steps<20, 3>(opt);
  expect_same_as_single_steps<33, 17>(opt);
  expect_same_as_single_steps<1, 2>(opt);
  expect_same_as_single_steps<130, 5>(opt);  // rows longer than the written-out lengths
  opt.rule = SgdOptions::StepRule::normalized;
  opt.alpha = 1.0f;
  expect_same_as_single_steps<64, 10>(opt);
}

TEST(TrainSteps, StopsWhereTheSingleStepsWouldAndKeepsTheirResult) {
  constexpr std::size_t D = 24, K = 7;
  static Classifier<D, K> fused, single;
  SgdOptions opt;
  opt.learning_rate = 0.1f;
  Data<D, K> data(40, 5);
  std::vector<float> bad_x(D, 1.0f);
  bad_x[D / 2] = NAN;
  struct Case {
    std::size_t at;
    Status want;
  };
  for (const Case c : {Case{0, Status::non_finite}, Case{9, Status::non_finite},
                       Case{17, Status::invalid_label}, Case{39, Status::invalid_argument}}) {
    fused.reset();
    single.reset();
    Data<D, K> d = data;
    if (c.want == Status::non_finite) d.rows[c.at] = bad_x.data();
    if (c.want == Status::invalid_label) d.labels[c.at] = K;
    if (c.want == Status::invalid_argument) d.rows[c.at] = nullptr;
    std::size_t done = 0;
    ASSERT_EQ(fused.train(d.rows.data(), d.labels.data(), d.rows.size(), opt, &done), c.want);
    EXPECT_EQ(done, c.at);
    for (std::size_t i = 0; i < c.at; ++i) {
      ASSERT_EQ(single.train(d.rows[i], d.labels[i], opt), Status::ok);
    }
    if (d.rows[c.at] != nullptr) {
      EXPECT_EQ(single.train(d.rows[c.at], d.labels[c.at], opt), c.want);
    }
    EXPECT_TRUE(same_bytes(fused, single)) << "refused sample " << c.at;
  }
  // Bad options and arrays: nothing trained, nothing changed.
  fused.reset();
  std::size_t done = 99;
  opt.learning_rate = -1.0f;
  EXPECT_EQ(fused.train(data.rows.data(), data.labels.data(), 3, opt, &done),
            Status::invalid_argument);
  EXPECT_EQ(done, 0u);
  opt.learning_rate = 0.1f;
  EXPECT_EQ(fused.train(nullptr, data.labels.data(), 3, opt), Status::invalid_argument);
  EXPECT_EQ(fused.train(data.rows.data(), nullptr, 3, opt), Status::invalid_argument);
  EXPECT_EQ(fused.train(nullptr, nullptr, 0, opt, &done), Status::ok);
  EXPECT_EQ(done, 0u);
  single.reset();
  EXPECT_TRUE(same_bytes(fused, single));
}

// The overflow guard refuses the step that would diverge, after the steps before it.
TEST(TrainSteps, RefusesADivergingStepAfterTheGoodOnes) {
  constexpr std::size_t D = 8, K = 3;
  static Classifier<D, K> fused, single;
  fused.reset();
  single.reset();
  std::vector<float> small(D, 0.5f), huge(D, 3e37f);
  const float* rows[] = {small.data(), small.data(), huge.data(), small.data()};
  const std::size_t labels[] = {0, 1, 2, 0};
  SgdOptions opt;
  opt.learning_rate = 100.0f;
  std::size_t done = 0;
  const Status s = fused.train(rows, labels, 4, opt, &done);
  Status want = Status::ok;
  std::size_t i = 0;
  for (; i < 4; ++i) {
    want = single.train(rows[i], labels[i], opt);
    if (want != Status::ok) break;
  }
  EXPECT_EQ(s, want);
  EXPECT_EQ(done, i);
  EXPECT_NE(want, Status::ok);  // the data were chosen to be refused
  EXPECT_TRUE(same_bytes(fused, single));
}

}  // namespace
