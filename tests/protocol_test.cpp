// The reference protocol: NumPy's legacy permutations and scikit-learn's stratified split.
#include "lastlayer_protocol/protocol.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "data/digits.hpp"
#include "data/satellite.hpp"

namespace {

using lastlayer::protocol::NumpyRandom;

TEST(NumpyRandom, SeedZeroStreamAndPermutation) {
  // numpy.random.RandomState(0): first raw word, and permutation(10).
  std::mt19937 mt(0);
  EXPECT_EQ(mt(), 2357136044u);
  NumpyRandom rng(0);
  std::uint32_t p[10];
  rng.permutation(p, 10);
  const std::uint32_t expected[10] = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
  EXPECT_TRUE(std::equal(p, p + 10, expected));
}

TEST(NumpyRandom, IntervalStaysInRange) {
  NumpyRandom rng(7);
  for (std::uint64_t max : {1u, 2u, 3u, 6u, 7u, 8u, 1000u, 65537u}) {
    for (int i = 0; i < 200; ++i) EXPECT_LE(rng.interval(max), max);
  }
  EXPECT_EQ(rng.interval(0), 0u);
}

void expect_stratified(const lastlayer::data::Dataset& set) {
  std::vector<std::uint32_t> train(set.samples), test(set.samples);
  const auto split = lastlayer::protocol::stratified_split(set.labels, set.samples, set.classes,
                                                           0.2, 0, train.data(), test.data());
  EXPECT_EQ(split.test_count, static_cast<std::size_t>(std::ceil(0.2 * double(set.samples))));
  EXPECT_EQ(split.train_count + split.test_count, set.samples);
  // Every sample lands in exactly one part.
  std::vector<int> seen(set.samples, 0);
  for (std::size_t i = 0; i < split.train_count; ++i) ++seen[train[i]];
  for (std::size_t i = 0; i < split.test_count; ++i) ++seen[test[i]];
  for (int s : seen) EXPECT_EQ(s, 1);
  // Each class is split in proportion, to within one sample.
  for (std::size_t c = 0; c < set.classes; ++c) {
    std::size_t total = 0, in_test = 0;
    for (std::size_t i = 0; i < set.samples; ++i) total += set.labels[i] == c;
    for (std::size_t i = 0; i < split.test_count; ++i) in_test += set.labels[test[i]] == c;
    EXPECT_NEAR(double(in_test), 0.2 * double(total), 1.0) << "class " << c;
  }
}

TEST(StratifiedSplit, DigitsIsAStratifiedPartition) {
  expect_stratified(lastlayer::data::digits);
}

TEST(StratifiedSplit, SatelliteIsAStratifiedPartition) {
  expect_stratified(lastlayer::data::satellite);
}

TEST(Standardizer, TrainingPartHasZeroMeanAndUnitVariance) {
  const auto& set = lastlayer::data::digits;
  std::vector<std::uint32_t> train(set.samples), test(set.samples);
  const auto split = lastlayer::protocol::stratified_split(set.labels, set.samples, set.classes,
                                                           0.2, 0, train.data(), test.data());
  std::vector<double> mean(set.inputs), scale(set.inputs);
  lastlayer::protocol::fit_standardizer(set, train.data(), split.train_count, mean.data(),
                                        scale.data());
  std::vector<double> sum(set.inputs), sq(set.inputs);
  std::vector<float> x(set.inputs);
  for (std::size_t i = 0; i < split.train_count; ++i) {
    lastlayer::protocol::standardize(set, train[i], mean.data(), scale.data(), x.data());
    for (std::size_t j = 0; j < set.inputs; ++j) {
      sum[j] += x[j];
      sq[j] += double(x[j]) * x[j];
    }
  }
  const double n = double(split.train_count);
  for (std::size_t j = 0; j < set.inputs; ++j) {
    EXPECT_NEAR(sum[j] / n, 0.0, 1e-6);
    // Constant pixels (always 0 in the training part) keep scale 1 and variance 0.
    const double var = sq[j] / n;
    EXPECT_TRUE(std::fabs(var - 1.0) < 1e-5 || (var < 1e-12 && scale[j] == 1.0)) << j;
  }
}

TEST(Standardizer, InMemoryFeaturesGiveTheSameResultAsTheBundledSet) {
  const auto& set = lastlayer::data::satellite;
  std::vector<double> features(set.samples * set.inputs);
  for (std::size_t i = 0; i < set.samples; ++i)
    for (std::size_t j = 0; j < set.inputs; ++j) features[i * set.inputs + j] = set.value(i, j);
  std::vector<std::uint32_t> train(set.samples), test(set.samples);
  const auto split = lastlayer::protocol::stratified_split(set.labels, set.samples, set.classes,
                                                           0.2, 0, train.data(), test.data());
  std::vector<double> m1(set.inputs), s1(set.inputs), m2(set.inputs), s2(set.inputs);
  lastlayer::protocol::fit_standardizer(set, train.data(), split.train_count, m1.data(), s1.data());
  lastlayer::protocol::fit_standardizer(features.data(), set.inputs, train.data(),
                                        split.train_count, m2.data(), s2.data());
  EXPECT_EQ(m1, m2);
  EXPECT_EQ(s1, s2);
  std::vector<float> a(set.inputs), b(set.inputs);
  for (std::size_t i = 0; i < split.test_count; ++i) {
    lastlayer::protocol::standardize(set, test[i], m1.data(), s1.data(), a.data());
    lastlayer::protocol::standardize(features.data(), set.inputs, test[i], m2.data(), s2.data(),
                                     b.data());
    ASSERT_EQ(a, b) << "row " << test[i];
  }
}

}  // namespace
