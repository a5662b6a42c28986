// The training sets of the bundled data (protocol/), and double-precision references of the loss
// and gradient, so float results of the library are judged against something more exact than
// themselves.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "lastlayer/convex.hpp"
#include "lastlayer/model_view.hpp"
#include "lastlayer_protocol/training_set.hpp"

namespace lastlayer::testing {

using protocol::TrainingSet;

// Logits of sample x in double, from the float weights.
inline void logits_double(const ConstModelView& m, const float* x, double* z) {
  for (std::size_t k = 0; k < m.classes; ++k) {
    double a = m.bias[k];
    for (std::size_t j = 0; j < m.inputs; ++j) {
      a += static_cast<double>(m.weights[k * m.stride + j]) * x[j];
    }
    z[k] = a;
  }
}

// Mean cross-entropy in double.
inline double mean_loss_double(const ConstModelView& m, const BatchView& data) {
  double z[64];
  double sum = 0.0;
  for (std::size_t i = 0; i < data.count; ++i) {
    logits_double(m, data.features + i * data.stride, z);
    double mx = z[0];
    for (std::size_t k = 1; k < m.classes; ++k) mx = z[k] > mx ? z[k] : mx;
    double s = 0.0;
    for (std::size_t k = 0; k < m.classes; ++k) s += std::exp(z[k] - mx);
    sum += mx + std::log(s) - z[data.labels[i]];
  }
  return sum / static_cast<double>(data.count);
}

// Frobenius norm of the weights and biases.
inline double weight_norm(const ConstModelView& m) {
  double s = 0.0;
  for (std::size_t k = 0; k < m.classes; ++k) {
    for (std::size_t j = 0; j < m.inputs; ++j) {
      s += static_cast<double>(m.weights[k * m.stride + j]) * m.weights[k * m.stride + j];
    }
    s += static_cast<double>(m.bias[k]) * m.bias[k];
  }
  return std::sqrt(s);
}

}  // namespace lastlayer::testing
