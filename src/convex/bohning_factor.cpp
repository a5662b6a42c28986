// The fixed preconditioner of the majorize-minimize trainer: A = X~^T X~ / n (x~ = (x, 1)) plus a
// small ridge, factored once by Cholesky. The Kronecker structure of Bohning's bound
// B = (1/2) (I - 1 1^T / K) (x) A means only this (D + 1) x (D + 1) factor is ever stored.
#include "batch_checks.hpp"
#include "checks.hpp"
#include "cholesky.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {
namespace {

// factor (packed lower triangle) = A = X~^T X~ / n; returns trace(A).
double form_second_moments(const BatchView& data, std::size_t d, float* factor) {
  const std::size_t size = bohning_factor_size(d);
  for (std::size_t i = 0; i < size; ++i) factor[i] = 0.0f;
  float* last_row = factor + detail::packed_index(d, 0);  // the row of the appended 1
  // A local loop, not the outer-product kernel: packed rows have no zero padding for the
  // kernel's whole-vector stores. This runs once per data set.
  for (std::size_t n = 0; n < data.count; ++n) {
    const float* x = data.features + n * data.stride;
    for (std::size_t i = 0; i < d; ++i) {
      float* row = factor + detail::packed_index(i, 0);
      for (std::size_t j = 0; j <= i; ++j) row[j] += x[i] * x[j];
      last_row[i] += x[i];
    }
  }
  last_row[d] = static_cast<float>(data.count);
  const float inv_n = 1.0f / static_cast<float>(data.count);
  double trace = 0.0;
  for (std::size_t i = 0; i < size; ++i) factor[i] *= inv_n;
  for (std::size_t i = 0; i <= d; ++i) trace += factor[detail::packed_index(i, i)];
  return trace;
}

}  // namespace

Status bohning_factor(const BatchView& data, std::size_t inputs, float* factor) {
  if (factor == nullptr || inputs == 0) return Status::invalid_argument;
  Status s = detail::check_batch(data, inputs);
  if (s != Status::ok) return s;
  const std::size_t d = inputs;
  for (std::size_t i = 0; i < data.count; ++i) {
    float x_max = 0.0f;
    s = kernels::check_features(data.features + i * data.stride, d, &x_max);
    if (s != Status::ok) return s;
  }
  // The ridge makes A + r I positive definite when a feature is constant (a zero column after
  // standardization) or features are collinear. B grows with it, so B stays an upper bound of
  // the Hessian and every step still lowers the loss; only directions with curvature near r
  // are slowed, and those carry (almost) no gradient. When float rounding of unscaled,
  // exactly collinear features still breaks the factorization, a larger ridge is tried (the
  // matrix is formed again: the failed attempt overwrote it).
  for (double relative = 1e-5; relative <= 1e-1; relative *= 100.0) {
    const double trace = form_second_moments(data, d, factor);
    if (!(trace <= 1e38)) return Status::non_finite;
    const float ridge = static_cast<float>(relative * trace / static_cast<double>(d + 1));
    for (std::size_t i = 0; i <= d; ++i) factor[detail::packed_index(i, i)] += ridge;
    if (detail::cholesky_factor(factor, d + 1)) return Status::ok;
  }
  return Status::invalid_argument;
}

}  // namespace lastlayer
