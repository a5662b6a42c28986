#include <cmath>

#include "lastlayer_protocol/protocol.hpp"

namespace lastlayer::protocol {
namespace {

// Written once over `value(row, j)`, so bundled byte data and features read from a file are
// standardized by the same arithmetic.
template <typename Value>
void fit(Value value, std::size_t inputs, const std::uint32_t* rows, std::size_t n, double* mean,
         double* scale) {
  for (std::size_t j = 0; j < inputs; ++j) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += value(rows[i], j);
    const double mu = sum / static_cast<double>(n);
    double ss = 0.0;  // two passes: no cancellation in the variance
    for (std::size_t i = 0; i < n; ++i) {
      const double d = value(rows[i], j) - mu;
      ss += d * d;
    }
    const double sd = std::sqrt(ss / static_cast<double>(n));
    mean[j] = mu;
    scale[j] = sd > 0.0 ? sd : 1.0;
  }
}

template <typename Value>
void apply(Value value, std::size_t inputs, std::size_t row, const double* mean,
           const double* scale, float* out) {
  for (std::size_t j = 0; j < inputs; ++j) {
    out[j] = static_cast<float>((value(row, j) - mean[j]) / scale[j]);
  }
}

}  // namespace

void fit_standardizer(const data::Dataset& set, const std::uint32_t* rows, std::size_t n,
                      double* mean, double* scale) {
  fit([&set](std::size_t i, std::size_t j) { return set.value(i, j); }, set.inputs, rows, n, mean,
      scale);
}

void standardize(const data::Dataset& set, std::size_t row, const double* mean, const double* scale,
                 float* out) {
  apply([&set](std::size_t i, std::size_t j) { return set.value(i, j); }, set.inputs, row, mean,
        scale, out);
}

void fit_standardizer(const double* features, std::size_t inputs, const std::uint32_t* rows,
                      std::size_t n, double* mean, double* scale) {
  fit([=](std::size_t i, std::size_t j) { return features[i * inputs + j]; }, inputs, rows, n, mean,
      scale);
}

void standardize(const double* features, std::size_t inputs, std::size_t row, const double* mean,
                 const double* scale, float* out) {
  apply([=](std::size_t i, std::size_t j) { return features[i * inputs + j]; }, inputs, row, mean,
        scale, out);
}

}  // namespace lastlayer::protocol
