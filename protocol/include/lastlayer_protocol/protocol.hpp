// The reference evaluation protocol of data/README.md: a stratified 80/20 split identical to
// scikit-learn's train_test_split(test_size=0.2, stratify=y, random_state=seed), and features
// standardized with the training split's mean and population standard deviation. Heap-free, so
// firmware demos and on-target tests use it too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer_protocol/dataset.hpp"
#include "lastlayer_protocol/numpy_random.hpp"

namespace lastlayer::protocol {

inline constexpr std::size_t kMaxClasses = 64;

struct Split {
  std::size_t train_count;
  std::size_t test_count;
};

// Fills train[] and test[] (room for n each) with sample indices. Labels must be < classes
// <= kMaxClasses. The result equals scikit-learn 1.2's StratifiedShuffleSplit.
Split stratified_split(const unsigned char* labels, std::size_t n, std::size_t classes,
                       double test_fraction, std::uint32_t seed, std::uint32_t* train,
                       std::uint32_t* test);

// mean[j] and scale[j] (population std, 1 for a constant feature, as scikit-learn's
// StandardScaler) over the given rows.
void fit_standardizer(const data::Dataset& set, const std::uint32_t* rows, std::size_t n,
                      double* mean, double* scale);

// out[j] = (x[j] - mean[j]) / scale[j] for sample `row`, computed in double, stored as float.
void standardize(const data::Dataset& set, std::size_t row, const double* mean, const double* scale,
                 float* out);

// The same two over features already in memory as doubles (samples x inputs, row-major), as a
// host tool holds them after reading a CSV file.
void fit_standardizer(const double* features, std::size_t inputs, const std::uint32_t* rows,
                      std::size_t n, double* mean, double* scale);
void standardize(const double* features, std::size_t inputs, std::size_t row, const double* mean,
                 const double* scale, float* out);

}  // namespace lastlayer::protocol
