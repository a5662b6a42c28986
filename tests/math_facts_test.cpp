// The mathematical facts the library rests on (MATH facts 1 to 5 and 8), checked in double
// precision against central finite differences, and the float library against the same
// double-precision formulas.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "lastlayer/lastlayer.hpp"
#include "support/double_model.hpp"

namespace {

using namespace lastlayer::testing;

constexpr std::size_t kD = 5, kK = 4, kN = 6;

struct Problem {
  DoubleModel m{kD, kK};
  Vec X, T;  // kN samples
};

// Random weights, inputs and soft targets (some one-hot), fixed seed.
Problem make_problem(unsigned seed, double weight_scale = 0.7) {
  std::mt19937 rng(seed);
  Problem p;
  p.m.w = normal_vector(rng, kD * kK, weight_scale);
  p.m.b = normal_vector(rng, kK, weight_scale);
  p.X = normal_vector(rng, kD * kN, 1.0);
  for (std::size_t i = 0; i < kN; ++i) {
    Vec t(kK, 0.0);
    if (i % 2 == 0) {
      t[i % kK] = 1.0;
    } else {
      t = random_target(rng, kK);
    }
    p.T.insert(p.T.end(), t.begin(), t.end());
  }
  return p;
}

// Central finite differences of the summed loss in every parameter.
Vec numerical_gradient(const Problem& p) {
  const double h = 1e-6;
  Vec theta = parameters(p.m), g(theta.size());
  DoubleModel m = p.m;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    Vec plus = theta, minus = theta;
    plus[i] += h;
    minus[i] -= h;
    set_parameters(m, plus);
    const double lp = total_loss(m, p.X, p.T, kN);
    set_parameters(m, minus);
    const double lm = total_loss(m, p.X, p.T, kN);
    g[i] = (lp - lm) / (2 * h);
  }
  return g;
}

TEST(MathFact1, VectorizedGradientMatchesFiniteDifferences) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Problem p = make_problem(seed);
    const Vec g = gradient(p.m, p.X, p.T, kN);
    const Vec fd = numerical_gradient(p);
    for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], fd[i], 1e-7) << "entry " << i;
  }
}

TEST(MathFact1, PerSampleGradientIsRankOne) {
  // One sample: grad_W = (y - t) x^T, so every 2x2 minor vanishes.
  const Problem p = make_problem(7);
  const Vec g = gradient(p.m, p.X, p.T, 1);
  for (std::size_t a = 0; a < kK; ++a)
    for (std::size_t c = a + 1; c < kK; ++c)
      for (std::size_t i = 0; i < kD; ++i)
        for (std::size_t j = i + 1; j < kD; ++j)
          EXPECT_NEAR(g[a * kD + i] * g[c * kD + j] - g[a * kD + j] * g[c * kD + i], 0.0, 1e-14);
}

TEST(MathFact2, ClassSumsOfTheGradientVanish) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Problem p = make_problem(seed, 3.0);
    const Vec g = gradient(p.m, p.X, p.T, kN);
    for (std::size_t j = 0; j <= kD; ++j) {  // j == kD: the bias column
      double s = 0.0, scale = 0.0;
      for (std::size_t c = 0; c < kK; ++c) {
        const double v = j < kD ? g[c * kD + j] : g[kK * kD + c];
        s += v;
        scale += std::fabs(v);
      }
      EXPECT_NEAR(s, 0.0, 1e-14 * (1.0 + scale));
    }
  }
}

TEST(MathFact2, SgdKeepsColumnSumsOfTheFloatModel) {
  // From W = 0 the column sums stay 0 (to float rounding) through many library steps.
  static lastlayer::Classifier<kD, kK> model;
  std::mt19937 rng(3);
  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.1f;
  for (int step = 0; step < 500; ++step) {
    const Vec x = normal_vector(rng, kD, 1.0);
    float xf[kD];
    for (std::size_t j = 0; j < kD; ++j) xf[j] = static_cast<float>(x[j]);
    ASSERT_EQ(model.train(xf, static_cast<std::size_t>(step) % kK, opt), lastlayer::Status::ok);
  }
  for (std::size_t j = 0; j < kD; ++j) {
    double s = 0.0, scale = 0.0;
    for (std::size_t c = 0; c < kK; ++c) {
      s += model.weight(c, j);
      scale += std::fabs(model.weight(c, j));
    }
    EXPECT_NEAR(s, 0.0, 1e-5 * scale);
  }
}

TEST(MathFact3, LossIsInvariantUnderAddingTheSameVectorToEveryClass) {
  std::mt19937 rng(11);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Problem p = make_problem(seed);
    DoubleModel shifted = p.m;
    const Vec u = normal_vector(rng, kD, 5.0);
    const double s = normal_vector(rng, 1, 5.0)[0];
    for (std::size_t c = 0; c < kK; ++c) {
      for (std::size_t j = 0; j < kD; ++j) shifted.w[c * kD + j] += u[j];
      shifted.b[c] += s;
    }
    const double l0 = total_loss(p.m, p.X, p.T, kN), l1 = total_loss(shifted, p.X, p.T, kN);
    EXPECT_NEAR(l0, l1, 1e-12 * (1.0 + l0));
  }
}

TEST(MathFact3, FloatLossIsInvariantUnderTheShift) {
  static lastlayer::Classifier<kD, kK> a, b;
  const Problem p = make_problem(5);
  for (std::size_t c = 0; c < kK; ++c) {
    for (std::size_t j = 0; j < kD; ++j) {
      ASSERT_EQ(a.set_weight(c, j, static_cast<float>(p.m.w[c * kD + j])), lastlayer::Status::ok);
      ASSERT_EQ(b.set_weight(c, j, static_cast<float>(p.m.w[c * kD + j]) + 0.25f * float(j)),
                lastlayer::Status::ok);
    }
    ASSERT_EQ(a.set_bias(c, static_cast<float>(p.m.b[c])), lastlayer::Status::ok);
    ASSERT_EQ(b.set_bias(c, static_cast<float>(p.m.b[c]) - 3.0f), lastlayer::Status::ok);
  }
  float x[kD];
  for (std::size_t j = 0; j < kD; ++j) x[j] = static_cast<float>(p.X[j]);
  for (std::size_t label = 0; label < kK; ++label) {
    EXPECT_NEAR(a.loss(x, label), b.loss(x, label), 2e-5f);
  }
}

TEST(MathFact4, SoftmaxJacobianIsPsdWithEigenvaluesAtMostOneHalf) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t k = 2 + static_cast<std::size_t>(trial % 7);
    const Vec y = random_target(rng, k, trial % 3 == 0 ? 0.0 : 10.0 * trial / 300.0);
    Vec J(k * k);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j) J[i * k + j] = (i == j ? y[i] : 0.0) - y[i] * y[j];
    for (std::size_t i = 0; i < k; ++i) {
      double row = 0.0;  // J 1 = 0
      for (std::size_t j = 0; j < k; ++j) {
        row += J[i * k + j];
        EXPECT_EQ(J[i * k + j], J[j * k + i]);
      }
      EXPECT_NEAR(row, 0.0, 1e-15);
    }
    for (double ev : symmetric_eigenvalues(J, k)) {
      EXPECT_GE(ev, -1e-14);
      EXPECT_LE(ev, 0.5 + 1e-14);
    }
  }
  // The bound 1/2 is attained: two classes at probability 1/2.
  const Vec J2 = {0.25, -0.25, -0.25, 0.25};
  const Vec ev = symmetric_eigenvalues(J2, 2);
  EXPECT_NEAR(std::fmax(ev[0], ev[1]), 0.5, 1e-15);
}

TEST(MathFact5, HessianVectorProductMatchesFiniteDifferencesOfTheGradient) {
  std::mt19937 rng(17);
  for (unsigned seed = 1; seed <= 4; ++seed) {
    const Problem p = make_problem(seed);
    const Vec v = normal_vector(rng, kK * kD + kK, 1.0);
    const Vec hv = hessian_vector(p.m, p.X, kN, v);
    const double h = 1e-5;
    DoubleModel plus = p.m, minus = p.m;
    Vec theta = parameters(p.m), tp = theta, tm = theta;
    for (std::size_t i = 0; i < theta.size(); ++i) {
      tp[i] += h * v[i];
      tm[i] -= h * v[i];
    }
    set_parameters(plus, tp);
    set_parameters(minus, tm);
    const Vec gp = gradient(plus, p.X, p.T, kN), gm = gradient(minus, p.X, p.T, kN);
    for (std::size_t i = 0; i < hv.size(); ++i) {
      EXPECT_NEAR(hv[i], (gp[i] - gm[i]) / (2 * h), 1e-7) << "entry " << i;
    }
  }
}

TEST(MathFact5, QuadraticFormIsTheVarianceAndNonNegative) {
  std::mt19937 rng(19);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const Problem p = make_problem(seed, 2.0);
    const Vec v = normal_vector(rng, kK * kD + kK, 1.0);
    const Vec hv = hessian_vector(p.m, p.X, kN, v);
    double q = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) q += v[i] * hv[i];
    // sum_n Var_{y_n}(V x~_n), computed directly.
    double var = 0.0;
    for (std::size_t n = 0; n < kN; ++n) {
      const Vec y = softmax(p.m.logits(&p.X[n * kD]));
      double mean = 0.0, sq = 0.0;
      for (std::size_t c = 0; c < kK; ++c) {
        double u = v[kK * kD + c];
        for (std::size_t j = 0; j < kD; ++j) u += v[c * kD + j] * p.X[n * kD + j];
        mean += y[c] * u;
        sq += y[c] * u * u;
      }
      var += sq - mean * mean;
    }
    EXPECT_GE(q, 0.0);
    EXPECT_NEAR(q, var, 1e-10 * (1.0 + var));
  }
}

TEST(MathFact5, KernelContainsTheClassShifts) {
  std::mt19937 rng(23);
  const Problem p = make_problem(2);
  const Vec u = normal_vector(rng, kD + 1, 1.0);
  Vec v(kK * kD + kK);  // V = 1 u^T (bias column included)
  for (std::size_t c = 0; c < kK; ++c) {
    for (std::size_t j = 0; j < kD; ++j) v[c * kD + j] = u[j];
    v[kK * kD + c] = u[kD];
  }
  for (double e : hessian_vector(p.m, p.X, kN, v)) EXPECT_NEAR(e, 0.0, 1e-13);
}

// Fact 8: with eta = alpha / L_i, L_i = |x~|^2 / 2, one step never raises that sample's loss.
TEST(MathFact8, NormalizedPerSampleStepNeverRaisesTheSampleLoss) {
  std::mt19937 rng(29);
  for (int trial = 0; trial < 200; ++trial) {
    Problem p = make_problem(100 + trial, 0.5 + trial * 0.05);
    const double* x = &p.X[0];
    const Vec t(p.T.begin(), p.T.begin() + kK);
    double norm2 = 1.0;  // the appended 1
    for (std::size_t j = 0; j < kD; ++j) norm2 += x[j] * x[j];
    for (double alpha : {0.05, 0.5, 1.0, 1.5, 1.95}) {
      DoubleModel m = p.m;
      const double eta = alpha / (0.5 * norm2);
      const Vec g = gradient(m, p.X, p.T, 1);
      Vec theta = parameters(m);
      for (std::size_t i = 0; i < theta.size(); ++i) theta[i] -= eta * g[i];
      set_parameters(m, theta);
      EXPECT_LE(loss(m, x, t), loss(p.m, x, t) + 1e-15) << "alpha " << alpha;
    }
  }
}

TEST(MathFact8, FloatStepWithTheNormalizedRateLowersTheSampleLoss) {
  std::mt19937 rng(31);
  for (int trial = 0; trial < 100; ++trial) {
    static lastlayer::Classifier<kD, kK> model;
    const Problem p = make_problem(300 + trial, 1.0);
    for (std::size_t c = 0; c < kK; ++c) {
      for (std::size_t j = 0; j < kD; ++j)
        ASSERT_EQ(model.set_weight(c, j, float(p.m.w[c * kD + j])), lastlayer::Status::ok);
      ASSERT_EQ(model.set_bias(c, float(p.m.b[c])), lastlayer::Status::ok);
    }
    float x[kD];
    double norm2 = 1.0;
    for (std::size_t j = 0; j < kD; ++j) {
      x[j] = static_cast<float>(3.0 * p.X[j]);
      norm2 += double(x[j]) * x[j];
    }
    const std::size_t label = static_cast<std::size_t>(trial) % kK;
    const float before = model.loss(x, label);
    lastlayer::SgdOptions opt;
    opt.learning_rate = static_cast<float>(1.0 / (0.5 * norm2));
    ASSERT_EQ(model.train(x, label, opt), lastlayer::Status::ok);
    EXPECT_LE(model.loss(x, label), before * (1.0f + 1e-5f) + 1e-6f);
  }
}

}  // namespace
