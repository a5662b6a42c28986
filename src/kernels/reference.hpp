// The scalar reference kernels: plain loops in the order the mathematics is written, the truth
// that every vectorized variant is tested against. Kept simple on purpose; speed lives elsewhere.
#pragma once

#include <cmath>
#include <cstddef>

namespace lastlayer::reference {

// z[k] = b[k] + sum_j w[k][j] x[j] for k < classes; rows of w are `stride` floats apart.
inline void logits(const float* w, std::size_t stride, const float* b, const float* x,
                   std::size_t d, std::size_t classes, float* z) {
  for (std::size_t k = 0; k < classes; ++k) {
    const float* row = w + k * stride;
    float acc = 0.0f;
    for (std::size_t j = 0; j < d; ++j) acc += row[j] * x[j];
    z[k] = acc + b[k];
  }
}

// max z, propagating NaN (a NaN anywhere makes the result NaN).
inline float max_value(const float* z, std::size_t n) {
  float m = -INFINITY;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(z[i] <= m)) m = z[i];
  }
  return m;
}

// sum exp(z - m): the max shift keeps every term in [0, 1], so nothing overflows.
inline float sum_exp_shifted(const float* z, std::size_t n, float m) {
  float s = 0.0f;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(z[i] - m);
  return s;
}

inline void softmax(const float* z, float* q, std::size_t n) {
  const float m = max_value(z, n);
  float s = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    q[i] = std::exp(z[i] - m);
    s += q[i];
  }
  for (std::size_t i = 0; i < n; ++i) q[i] /= s;
}

inline float logsumexp(const float* z, std::size_t n) {
  const float m = max_value(z, n);
  return m + std::log(sum_exp_shifted(z, n, m));
}

// Cross-entropy of logits z against class `label`: -log softmax(z)[label], written as
// (m - z[label]) + log sum exp(z - m). Both terms are computed without cancellation: m - z[label]
// is exact for nearby floats, and log s lies in [0, log n]. The naive logsumexp(z) - z[label]
// loses everything below the last bit of m (about 4e-6 when the logits are near 100).
inline float cross_entropy(const float* z, std::size_t n, std::size_t label) {
  const float m = max_value(z, n);
  return (m - z[label]) + std::log(sum_exp_shifted(z, n, m));
}

// The same against a probability vector t: sum_k t_k (m - z_k) + log s, with the classes of
// t_k = 0 skipped so that a masked logit (-Inf) with no target mass adds 0, not NaN.
inline float cross_entropy(const float* z, const float* t, std::size_t n) {
  const float m = max_value(z, n);
  float dot = 0.0f, mass = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] > 0.0f) {
      dot += t[i] * (m - z[i]);
      mass += t[i];
    }
  }
  return dot + mass * std::log(sum_exp_shifted(z, n, m));
}

// (z - m) - log s rather than log(softmax): exact for the largest entries, and no log(0) for
// the ones whose probability underflows.
inline void log_softmax(const float* z, float* q, std::size_t n) {
  const float m = max_value(z, n);
  const float log_s = std::log(sum_exp_shifted(z, n, m));
  for (std::size_t i = 0; i < n; ++i) q[i] = (z[i] - m) - log_s;
}

// W -= lr g x^T and b -= lr g over the D real columns (the row padding stays 0).
inline void rank_one_update(float* w, std::size_t stride, float* b, const float* g, float lr,
                            const float* x, std::size_t d, std::size_t classes) {
  for (std::size_t k = 0; k < classes; ++k) {
    const float c = lr * g[k];
    float* row = w + k * stride;
    for (std::size_t j = 0; j < d; ++j) row[j] -= c * x[j];
    b[k] -= c;
  }
}

// G += g x^T and gb += g (gradient accumulation for mini-batches).
inline void accumulate_outer(float* gw, std::size_t stride, float* gb, const float* g,
                             const float* x, std::size_t d, std::size_t classes) {
  for (std::size_t k = 0; k < classes; ++k) {
    float* row = gw + k * stride;
    for (std::size_t j = 0; j < d; ++j) row[j] += g[k] * x[j];
    gb[k] += g[k];
  }
}

}  // namespace lastlayer::reference

namespace lastlayer::reference {

// W -= c G and b -= c gb over the D real columns (the mean-gradient step of a mini-batch).
inline void subtract_scaled(float* w, float* b, const float* gw, const float* gb, float c,
                            std::size_t stride, std::size_t d, std::size_t classes) {
  for (std::size_t k = 0; k < classes; ++k) {
    for (std::size_t j = 0; j < d; ++j) w[k * stride + j] -= c * gw[k * stride + j];
    b[k] -= c * gb[k];
  }
}

}  // namespace lastlayer::reference
