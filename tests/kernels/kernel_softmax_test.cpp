// The soft-max kernels of every variant against double precision: every length from 1 to
// 2 * lanes + 1 and long inputs, and the edge cases (logits in [90, 100] that overflow without
// the max shift, values below the underflow of exp, +-0, NaN, +Inf, masked -Inf, all equal).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "kernels/reference.hpp"
#include "variants.hpp"

namespace lastlayer::testing {
namespace {

class Softmax : public ::testing::TestWithParam<const kernels::Variant*> {};

struct Exact {
  std::vector<double> p, logp;
  double lse;
};

Exact exact_softmax(const std::vector<float>& z) {
  // (A compare, not std::fmax: GCC 12's aarch64 vectorizer crashes on an fmax reduction.)
  double m = -INFINITY;
  for (float v : z) m = v > m ? v : m;
  double s = 0;
  for (float v : z) s += std::exp(static_cast<double>(v) - m);
  Exact e;
  e.lse = m + std::log(s);
  for (float v : z) {
    e.p.push_back(std::exp(static_cast<double>(v) - m) / s);
    e.logp.push_back(static_cast<double>(v) - e.lse);
  }
  return e;
}

// Within 1e-6 relative of double; a probability below FLT_MIN may round to 0 (exp gives a clean
// 0 below its underflow threshold instead of a subnormal). The plain reference rounds z - max z
// (up to 1e-6 relative for differences near 20) and sums 10^4 terms in one float (7e-6 seen),
// so it gets a looser bound; the vectorized kernels take both errors out.
double relative_bound(const kernels::Variant& v) {
  return std::string(v.name) == "reference" ? 2e-5 : 1e-6;
}

void expect_close(const kernels::Variant& v, const std::vector<float>& q,
                  const std::vector<double>& p, const char* what, std::size_t n) {
  for (std::size_t i = 0; i < q.size(); ++i) {
    ASSERT_LE(std::fabs(q[i] - p[i]), relative_bound(v) * p[i] + FLT_MIN)
        << what << " n=" << n << " i=" << i << " got " << q[i] << " want " << p[i];
  }
}

void check_against_double(const kernels::Variant& v, const std::vector<float>& z) {
  const std::size_t n = z.size();
  const Exact e = exact_softmax(z);
  std::vector<float> q(n);
  v.softmax(z.data(), q.data(), n);
  expect_close(v, q, e.p, "softmax", n);
  std::vector<float> in_place = z;
  v.softmax(in_place.data(), in_place.data(), n);
  ASSERT_EQ(in_place, q);
  v.log_softmax(z.data(), q.data(), n);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_NEAR(q[i], e.logp[i], 1e-6 * (1 + std::fabs(e.logp[i]))) << "log_softmax n=" << n;
  }
  const float lse = v.logsumexp(z.data(), n);
  ASSERT_NEAR(lse, e.lse, 1e-6 * (1 + std::fabs(e.lse))) << "logsumexp n=" << n;
  ASSERT_EQ(v.max_value(z.data(), n), reference::max_value(z.data(), n));
}

TEST_P(Softmax, EveryLengthWithinOneMillionthOfDouble) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    check_against_double(v, uniform(n, -10, 10, static_cast<unsigned>(n)));
  }
}

TEST_P(Softmax, LargeLogitsAreShiftedNotOverflowed) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    check_against_double(v, uniform(n, 90, 100, static_cast<unsigned>(n) + 1));
  }
}

// The largest logit on both sides of each edge of [0, 64], where the exps are of the logits
// themselves (softmax_shift), and far outside it, where they are shifted by the max.
constexpr float kLargest[] = {-30.0f, -1e-3f, -0.0f, 0.0f, 1e-3f, 63.99f, 64.0f, 64.01f, 80.0f};

// n logits in [top - 40, top], the largest exactly top (some of them underflow after the shift).
std::vector<float> logits_up_to(float top, std::size_t n, unsigned seed) {
  std::vector<float> z = uniform(n, top - 40.0f, top, seed);
  z[n / 2] = top;
  for (float& x : z) x = std::fmin(x, top);
  return z;
}

TEST_P(Softmax, EitherShiftWithinOneMillionthOfDouble) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    for (float top : kLargest) check_against_double(v, logits_up_to(top, n, 40));
  }
}

TEST_P(Softmax, UnderflowingTermsAndSignedZeros) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    std::vector<float> z = uniform(n, -120, 0, static_cast<unsigned>(n) + 2);
    z[0] = 0.0f;
    if (n > 1) z[n - 1] = -0.0f;
    if (n > 2) z[n / 2] = -87.34f;
    if (n > 3) z[1] = -88.0f;
    check_against_double(v, z);
  }
}

// Equal logits give equal probabilities: exactly 1/n where every exp is 1 (logits of 0, or
// shifted by their max: always on variants with shifts_by_max, outside [0, 64] on the others);
// where the exps are of the logits themselves (softmax_shift), their sum and its reciprocal are
// rounded, and 1/n holds to the kernels' 1e-6 relative (6.5e-7 at n = 10^4 with SSE2 was the
// worst seen).
TEST_P(Softmax, AllEqualGiveOneOverN) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    for (float c : {0.0f, -0.0f, -1e30f, 95.0f, 1e-3f, 3.5f, 17.0f, 63.9f}) {
      std::vector<float> z(n, c), q(n);
      v.softmax(z.data(), q.data(), n);
      const float want = 1.0f / static_cast<float>(n);
      const bool exact = v.shifts_by_max || !(c > 0.0f && c <= 64.0f);
      for (float p : q) {
        ASSERT_EQ(p, q[0]) << "n=" << n << " c=" << c;
        ASSERT_LE(std::fabs(p - want), exact ? 0.0f : 1e-6f * want) << "n=" << n << " c=" << c;
      }
    }
  }
}

TEST_P(Softmax, MaskedClassesGetZero) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    if (n < 2) continue;
    std::vector<float> z = uniform(n, -5, 5, static_cast<unsigned>(n) + 3);
    for (std::size_t i = 0; i < n; i += 2) z[i] = -INFINITY;
    std::vector<float> q(n);
    v.softmax(z.data(), q.data(), n);
    std::vector<float> live;
    for (std::size_t i = 1; i < n; i += 2) live.push_back(z[i]);
    const Exact e = exact_softmax(live);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        ASSERT_EQ(q[i], 0.0f);
      } else {
        ASSERT_LE(std::fabs(q[i] - e.p[i / 2]), relative_bound(v) * e.p[i / 2] + FLT_MIN)
            << "n=" << n;
      }
    }
    v.log_softmax(z.data(), q.data(), n);
    for (std::size_t i = 0; i < n; i += 2) ASSERT_EQ(q[i], -INFINITY);
  }
}

TEST_P(Softmax, UndefinedDistributionsAreAllNaN) {
  const kernels::Variant& v = *GetParam();
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(), INFINITY};
  for (std::size_t n : lengths_for(v.lanes)) {
    for (float b : bad) {
      for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
        std::vector<float> z = uniform(n, -5, 5, static_cast<unsigned>(n) + 4), q(n);
        z[at] = b;
        v.softmax(z.data(), q.data(), n);
        for (float p : q) ASSERT_TRUE(std::isnan(p)) << "n=" << n << " bad at " << at;
        v.log_softmax(z.data(), q.data(), n);
        for (float p : q) ASSERT_TRUE(std::isnan(p)) << "log_softmax n=" << n;
        ASSERT_TRUE(std::isnan(v.logsumexp(z.data(), n)));
      }
    }
    std::vector<float> z(n, -INFINITY), q(n);
    v.softmax(z.data(), q.data(), n);
    for (float p : q) ASSERT_TRUE(std::isnan(p)) << "all masked, n=" << n;
  }
}

TEST_P(Softmax, NeverWritesPastTheEnd) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t n : lengths_for(v.lanes)) {
    std::vector<float> z = uniform(n, -3, 3, static_cast<unsigned>(n) + 5);
    std::vector<float> q(n + 32, 12345.0f);
    v.softmax(z.data(), q.data(), n);
    for (std::size_t i = n; i < q.size(); ++i) ASSERT_EQ(q[i], 12345.0f);
    v.log_softmax(z.data(), q.data(), n);
    for (std::size_t i = n; i < q.size(); ++i) ASSERT_EQ(q[i], 12345.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Softmax, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace lastlayer::testing

namespace lastlayer::testing {
namespace {

class Residual : public ::testing::TestWithParam<const kernels::Variant*> {};

// The fused soft-max residual of the training step against softmax then minus the target, for
// labels and soft targets, and its refusal of non-finite logits.
TEST_P(Residual, MatchesSoftmaxMinusTarget) {
  const kernels::Variant& v = *GetParam();
  if (v.softmax_residual == nullptr) GTEST_SKIP() << "no fused form";
  for (std::size_t n : lengths_for(v.lanes)) {
    const std::vector<float> z = uniform(n, -20, 20, static_cast<unsigned>(n) + 6);
    const Exact e = exact_softmax(z);
    std::vector<float> t = uniform(n, 0, 1, static_cast<unsigned>(n) + 7);
    double sum = 0;
    for (float x : t) sum += x;
    for (float& x : t) x = static_cast<float>(x / sum);
    for (bool soft : {false, true}) {
      const std::size_t label = (n * 7) % n;
      std::vector<float> g = z;
      const float g_max = v.softmax_residual(g.data(), n, label, soft ? t.data() : nullptr);
      float want_max = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double want = e.p[i] - (soft ? t[i] : (i == label ? 1.0 : 0.0));
        ASSERT_NEAR(g[i], want, 1e-6 * e.p[i] + 1e-7) << "n=" << n << " i=" << i;
        want_max = std::fmax(want_max, std::fabs(g[i]));
      }
      ASSERT_EQ(g_max, want_max) << "n=" << n;
      // Nothing written past g[n - 1] (the values come back in pieces; see load_pieces), and
      // the same g from a buffer with room after it. (The exact-size buffer above lets the
      // sanitizer build catch a read past the end.)
      std::vector<float> roomy(n + 2 * v.lanes + 1, 12345.0f);
      std::copy(z.begin(), z.end(), roomy.begin());
      ASSERT_EQ(v.softmax_residual(roomy.data(), n, label, soft ? t.data() : nullptr), g_max);
      for (std::size_t i = 0; i < roomy.size(); ++i) {
        ASSERT_EQ(roomy[i], i < n ? g[i] : 12345.0f) << "n=" << n << " i=" << i;
      }
    }
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), INFINITY, -INFINITY}) {
      std::vector<float> g = z;
      g[n / 2] = bad;
      const std::vector<float> before = g;
      ASSERT_TRUE(std::isnan(v.softmax_residual(g.data(), n, 0, nullptr))) << "n=" << n;
      for (std::size_t i = 0; i < n; ++i) {
        if (!std::isnan(before[i])) {
          ASSERT_EQ(g[i], before[i]);
        }
      }
    }
  }
}

// The residual's largest logit on both sides of the edges of [0, 64] (see kLargest).
TEST_P(Residual, EitherShiftMatchesDouble) {
  const kernels::Variant& v = *GetParam();
  if (v.softmax_residual == nullptr) GTEST_SKIP() << "no fused form";
  for (std::size_t n : lengths_for(v.lanes)) {
    for (float top : kLargest) {
      const std::vector<float> z = logits_up_to(top, n, 41);
      const Exact e = exact_softmax(z);
      const std::size_t label = n / 3;
      std::vector<float> g = z;
      v.softmax_residual(g.data(), n, label, nullptr);
      for (std::size_t i = 0; i < n; ++i) {
        const double want = e.p[i] - (i == label ? 1.0 : 0.0);
        ASSERT_NEAR(g[i], want, 1e-6 * e.p[i] + 1e-7) << "n=" << n << " top=" << top << " i=" << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Residual, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace lastlayer::testing
