#include <cmath>

#include "lastlayer_protocol/protocol.hpp"

namespace lastlayer::protocol {

void fit_standardizer(const data::Dataset& set, const std::uint32_t* rows, std::size_t n,
                      double* mean, double* scale) {
  for (std::size_t j = 0; j < set.inputs; ++j) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += set.value(rows[i], j);
    const double mu = sum / static_cast<double>(n);
    double ss = 0.0;  // two passes: no cancellation in the variance
    for (std::size_t i = 0; i < n; ++i) {
      const double d = set.value(rows[i], j) - mu;
      ss += d * d;
    }
    const double sd = std::sqrt(ss / static_cast<double>(n));
    mean[j] = mu;
    scale[j] = sd > 0.0 ? sd : 1.0;
  }
}

void standardize(const data::Dataset& set, std::size_t row, const double* mean,
                 const double* scale, float* out) {
  for (std::size_t j = 0; j < set.inputs; ++j) {
    out[j] = static_cast<float>((set.value(row, j) - mean[j]) / scale[j]);
  }
}

}  // namespace lastlayer::protocol
