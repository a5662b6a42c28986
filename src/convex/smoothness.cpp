// The smoothness constant of the mean loss (MATH.md fact 6): L_s = lambda_max(A) / 2 with
// A = X~^T X~ / n, x~ = (x, 1). A is never formed: each power iteration is one pass over the
// data computing A v = (1/n) sum (x~ . v) x~. The loops are local rather than the kernels: the
// kernels work on zero-padded model rows, and v and A's rows here are D + 1 floats with no
// padding; both passes run once per data set, not per step.
#include <cmath>

#include "batch_checks.hpp"
#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/convex.hpp"

namespace lastlayer {
namespace {

// out = A v over the D + 1 entries (the last one belongs to the appended 1).
void apply_gram(const BatchView& data, std::size_t d, const float* v, float* out) {
  for (std::size_t j = 0; j <= d; ++j) out[j] = 0.0f;
  for (std::size_t i = 0; i < data.count; ++i) {
    const float* x = data.features + i * data.stride;
    float s = v[d];
    for (std::size_t j = 0; j < d; ++j) s += v[j] * x[j];
    for (std::size_t j = 0; j < d; ++j) out[j] += s * x[j];
    out[d] += s;
  }
  const float inv_n = 1.0f / static_cast<float>(data.count);
  for (std::size_t j = 0; j <= d; ++j) out[j] *= inv_n;
}

// |A|_F^2 = sum over rows p of |A e_p|^2, row p being (1/n) sum x~_p x~. `row`: D + 1 floats.
double frobenius(const BatchView& data, std::size_t d, float* row) {
  double sq = 0.0;
  const float inv_n = 1.0f / static_cast<float>(data.count);
  for (std::size_t p = 0; p <= d; ++p) {
    for (std::size_t j = 0; j <= d; ++j) row[j] = 0.0f;
    for (std::size_t i = 0; i < data.count; ++i) {
      const float* x = data.features + i * data.stride;
      const float xp = p < d ? x[p] : 1.0f;
      for (std::size_t j = 0; j < d; ++j) row[j] += xp * x[j];
      row[d] += xp;
    }
    for (std::size_t j = 0; j <= d; ++j) {
      const double a = static_cast<double>(row[j] * inv_n);
      sq += a * a;
    }
  }
  return std::sqrt(sq);
}

double dot(const float* a, const float* b, std::size_t n) {
  double s = 0.0;
  for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(a[j]) * b[j];
  return s;
}

}  // namespace

Status smoothness(const BatchView& data, std::size_t inputs, float* work, Smoothness* s,
                  std::size_t max_iterations) {
  if (work == nullptr || s == nullptr || inputs == 0) return Status::invalid_argument;
  Status st = detail::check_batch(data, inputs);
  if (st != Status::ok) return st;
  const std::size_t d = inputs, n1 = inputs + 1;
  double trace = 0.0;  // mean |x~|^2 = 1 + mean |x|^2
  for (std::size_t i = 0; i < data.count; ++i) {
    float x_max = 0.0f;
    st = kernels::check_features(data.features + i * data.stride, d, &x_max);
    if (st != Status::ok) return st;
    const float* x = data.features + i * data.stride;
    trace += 1.0 + dot(x, x, d);
  }
  trace /= static_cast<double>(data.count);
  if (!(trace <= 1e38)) return Status::non_finite;

  const double frob = frobenius(data, d, work);
  const double upper = frob < trace ? frob : trace;

  float* v = work;
  float* av = work + n1;
  // A start with a component along every eigenvector in practice: unequal positive entries (an
  // all-equal vector could be orthogonal to the top eigenvector of symmetric-looking data).
  for (std::size_t j = 0; j < n1; ++j) v[j] = 1.0f + 0.5f / static_cast<float>(j + 1);
  double rho = 0.0;
  for (std::size_t it = 0; it < max_iterations; ++it) {
    const double vv = dot(v, v, n1);
    apply_gram(data, d, v, av);
    const double next = dot(v, av, n1) / vv;  // Rayleigh quotient: never above lambda_max
    const double norm = std::sqrt(dot(av, av, n1));
    if (!(norm > 0.0)) break;
    for (std::size_t j = 0; j < n1; ++j) v[j] = static_cast<float>(av[j] / norm);
    const bool settled = std::fabs(next - rho) <= 1e-6 * next;
    rho = next;
    if (settled) break;
  }
  s->power = static_cast<float>(rho);
  s->trace = static_cast<float>(trace);
  s->frobenius = static_cast<float>(frob);
  // Gradient descent does not raise the loss for any step up to 2 / L_s (fact 7), so the step
  // 2 / power is safe whenever power >= lambda_max / 2, and power >= upper / 2 proves that.
  // Otherwise the upper bound itself is the certified choice.
  s->lipschitz = static_cast<float>(0.5 * (rho >= 0.5 * upper ? rho : upper));
  return Status::ok;
}

}  // namespace lastlayer
