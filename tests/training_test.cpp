// Float32 training on the bundled real data sets with the reference protocol (data/README.md).
// The protocol replays scikit-learn's split and NumPy's visiting order, so a correct SGD step
// reproduces the reference rows to about three decimals; the issue's own bounds (test accuracy
// within 0.015, training CE within 15%) are asserted as well, since they are what a different
// instruction set must still meet.
#include <gtest/gtest.h>

#include <cstdio>

#include "data/digits.hpp"
#include "data/iris.hpp"
#include "data/satellite.hpp"
#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/experiment.hpp"

namespace {

using lastlayer::protocol::Experiment;
using lastlayer::protocol::Metrics;

struct Reference {
  double train_ce, train_accuracy, test_accuracy;
};

template <std::size_t D, std::size_t K, std::size_t N>
void expect_reference(const lastlayer::data::Dataset& set, int epochs, float lr,
                      const Reference& ref) {
  static lastlayer::Classifier<D, K> model;
  static Experiment<D, K, N> experiment(set);
  model.reset();
  experiment.restart();
  ASSERT_TRUE(experiment.shape_matches());
  lastlayer::SgdOptions opt;
  opt.learning_rate = lr;
  for (int e = 0; e < epochs; ++e) ASSERT_EQ(experiment.epoch(model, opt), lastlayer::Status::ok);
  const Metrics train = experiment.evaluate(model, false);
  const Metrics test = experiment.evaluate(model, true);
  std::printf("train CE %.4f (reference %.4f), train accuracy %.4f, test accuracy %.4f\n",
              train.cross_entropy, ref.train_ce, train.accuracy, test.accuracy);
  // The bounds.
  EXPECT_NEAR(test.accuracy, ref.test_accuracy, 0.015);
  EXPECT_NEAR(train.cross_entropy, ref.train_ce, 0.15 * ref.train_ce);
  // Same split and order: the reference is reproduced to its printed digits.
  EXPECT_NEAR(train.cross_entropy, ref.train_ce, 0.0015 + 0.01 * ref.train_ce);
  EXPECT_NEAR(train.accuracy, ref.train_accuracy, 0.0025);
}

TEST(Training, DigitsOneEpoch) {
  expect_reference<64, 10, 1797>(lastlayer::data::digits, 1, 0.01f, {0.232, 0.9576, 0.9444});
}

TEST(Training, DigitsTenEpochs) {
  expect_reference<64, 10, 1797>(lastlayer::data::digits, 10, 0.01f, {0.0662, 0.9903, 0.9667});
}

TEST(Training, SatelliteTenEpochs) {
  expect_reference<36, 6, 6435>(lastlayer::data::satellite, 10, 0.01f, {0.344, 0.8582, 0.8423});
}

TEST(Training, IrisTenEpochs) {
  expect_reference<4, 3, 150>(lastlayer::data::iris, 10, 0.1f, {0.120, 0.9667, 0.9667});
}

}  // namespace
