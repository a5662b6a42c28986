// A double-precision soft-max layer written straight from the formulas of the mathematics
// (docs: MATH facts 1 to 8): the independent reference the float library is tested against.
#pragma once

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace lastlayer::testing {

using Vec = std::vector<double>;

struct DoubleModel {
  std::size_t d, k;
  Vec w;  // k x d, row-major
  Vec b;  // k
  DoubleModel(std::size_t inputs, std::size_t classes)
      : d(inputs), k(classes), w(inputs * classes, 0.0), b(classes, 0.0) {}

  Vec logits(const double* x) const {
    Vec a(k);
    for (std::size_t c = 0; c < k; ++c) {
      double s = b[c];
      for (std::size_t j = 0; j < d; ++j) s += w[c * d + j] * x[j];
      a[c] = s;
    }
    return a;
  }
};

inline double logsumexp(const Vec& a) {
  double m = -INFINITY;
  for (double v : a) m = std::fmax(m, v);
  double s = 0.0;
  for (double v : a) s += std::exp(v - m);
  return m + std::log(s);
}

inline Vec softmax(const Vec& a) {
  const double lse = logsumexp(a);
  Vec y(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) y[i] = std::exp(a[i] - lse);
  return y;
}

// l = logsumexp(a) - t . a (terms with t = 0 skipped, for masked classes).
inline double loss(const DoubleModel& m, const double* x, const Vec& t) {
  const Vec a = m.logits(x);
  double dot = 0.0;
  for (std::size_t c = 0; c < m.k; ++c) {
    if (t[c] != 0.0) dot += t[c] * a[c];
  }
  return logsumexp(a) - dot;
}

// Summed loss over samples (X row-major n x d, T n x k).
inline double total_loss(const DoubleModel& m, const Vec& X, const Vec& T, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    s += loss(m, &X[i * m.d], Vec(T.begin() + i * m.k, T.begin() + (i + 1) * m.k));
  }
  return s;
}

// Fact 1, vectorized: grad_W L = (Y - T) X^T and grad_b L = sum (y - t); returned as one
// vector: k*d weight entries then k bias entries.
inline Vec gradient(const DoubleModel& m, const Vec& X, const Vec& T, std::size_t n) {
  Vec g(m.k * m.d + m.k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const Vec y = softmax(m.logits(&X[i * m.d]));
    for (std::size_t c = 0; c < m.k; ++c) {
      const double r = y[c] - T[i * m.k + c];
      for (std::size_t j = 0; j < m.d; ++j) g[c * m.d + j] += r * X[i * m.d + j];
      g[m.k * m.d + c] += r;
    }
  }
  return g;
}

// Fact 5: H v = sum_n (diag(y) - y y^T)(V x~_n) x~_n^T, with V (k x (d+1)) stored as the
// gradient is (weights then bias), x~ the input with a 1 appended.
inline Vec hessian_vector(const DoubleModel& m, const Vec& X, std::size_t n, const Vec& v) {
  Vec out(v.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double* x = &X[i * m.d];
    const Vec y = softmax(m.logits(x));
    Vec u(m.k);  // u = V x~
    for (std::size_t c = 0; c < m.k; ++c) {
      double s = v[m.k * m.d + c];
      for (std::size_t j = 0; j < m.d; ++j) s += v[c * m.d + j] * x[j];
      u[c] = s;
    }
    double yu = 0.0;
    for (std::size_t c = 0; c < m.k; ++c) yu += y[c] * u[c];
    for (std::size_t c = 0; c < m.k; ++c) {
      const double r = y[c] * (u[c] - yu);  // (diag(y) - y y^T) u
      for (std::size_t j = 0; j < m.d; ++j) out[c * m.d + j] += r * x[j];
      out[m.k * m.d + c] += r;
    }
  }
  return out;
}

// The model's parameters as one vector (weights then bias) and back.
inline Vec parameters(const DoubleModel& m) {
  Vec p(m.w);
  p.insert(p.end(), m.b.begin(), m.b.end());
  return p;
}
inline void set_parameters(DoubleModel& m, const Vec& p) {
  m.w.assign(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(m.k * m.d));
  m.b.assign(p.begin() + static_cast<std::ptrdiff_t>(m.k * m.d), p.end());
}

// Symmetric eigenvalues by cyclic Jacobi rotations (small matrices only).
inline Vec symmetric_eigenvalues(Vec a, std::size_t n) {
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (std::fabs(apq) < 1e-300) continue;
        const double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::size_t r = 0; r < n; ++r) {  // columns p, q
          const double arp = a[r * n + p], arq = a[r * n + q];
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (std::size_t r = 0; r < n; ++r) {  // rows p, q
          const double apr = a[p * n + r], aqr = a[q * n + r];
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
        }
      }
    }
  }
  Vec ev(n);
  for (std::size_t i = 0; i < n; ++i) ev[i] = a[i * n + i];
  return ev;
}

// Random normal values with a fixed seed: every run and every target sees the same data.
inline Vec normal_vector(std::mt19937& rng, std::size_t n, double sd) {
  std::normal_distribution<double> dist(0.0, sd);
  Vec v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

// A random point of the probability simplex; `peak` > 0 concentrates it on one class.
inline Vec random_target(std::mt19937& rng, std::size_t k, double peak = 0.0) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Vec t(k);
  double s = 0.0;
  for (double& v : t) {
    v = -std::log(u(rng) + 1e-300);  // exponential draws give a uniform point on the simplex
    s += v;
  }
  t[0] += peak * s;
  s += peak * s;
  for (double& v : t) v /= s;
  return t;
}

}  // namespace lastlayer::testing
