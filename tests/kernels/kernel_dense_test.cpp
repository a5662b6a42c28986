// The matrix kernels of every variant against the scalar reference and double precision:
// every D from 1 to 2 * lanes + 1 and long rows, several class counts, exactly sized buffers
// (so AddressSanitizer sees any read past x[D - 1] or past the last padded row), and the row
// padding checked to stay +0.
#include <cmath>
#include <cstring>

#include "kernels/reference.hpp"
#include "lastlayer/layout.hpp"
#include "variants.hpp"

namespace lastlayer::testing {
namespace {

class Dense : public ::testing::TestWithParam<const kernels::Variant*> {};

struct Model {
  std::size_t d, k, stride;
  std::vector<float> w, b;
  Model(std::size_t d_, std::size_t k_, unsigned seed)
      : d(d_), k(k_), stride(padded_stride(d_)), w(k_ * stride, 0.0f), b(uniform(k_, -1, 1, seed)) {
    const std::vector<float> r = uniform(k * d, -1, 1, seed + 1);
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; j < d; ++j) w[i * stride + j] = r[i * d + j];
    }
  }
  bool padding_is_positive_zero() const {
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = d; j < stride; ++j) {
        std::uint32_t bits;
        std::memcpy(&bits, &w[i * stride + j], sizeof bits);
        if (bits != 0) return false;
      }
    }
    return true;
  }
};

std::vector<std::size_t> widths(std::size_t lanes) {
  std::vector<std::size_t> d;
  for (std::size_t i = 1; i <= 2 * lanes + 1; ++i) d.push_back(i);
  for (std::size_t i : {33u, 64u, 100u, 128u, 129u, 256u, 784u}) d.push_back(i);
  return d;
}

constexpr std::size_t kClasses[] = {1, 2, 3, 4, 5, 7, 10, 15, 16, 17, 31, 32, 33};

TEST_P(Dense, LogitsMatchDoublePrecision) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t d : widths(v.lanes)) {
    for (std::size_t k : kClasses) {
      Model m(d, k, static_cast<unsigned>(d * 100 + k));
      const std::vector<float> x = uniform(d, -2, 2, static_cast<unsigned>(d + 7));
      std::vector<float> z(k);
      v.logits(m.w.data(), m.stride, m.b.data(), x.data(), d, k, z.data());
      for (std::size_t i = 0; i < k; ++i) {
        double exact = m.b[i], magnitude = std::fabs(m.b[i]);
        for (std::size_t j = 0; j < d; ++j) {
          exact += static_cast<double>(m.w[i * m.stride + j]) * x[j];
          magnitude += std::fabs(static_cast<double>(m.w[i * m.stride + j]) * x[j]);
        }
        // Any summation order of d + 1 terms: |error| <= (d + 1) * eps * sum |terms|.
        const double bound = static_cast<double>(d + 1) * 6e-8 * magnitude + 1e-30;
        ASSERT_NEAR(z[i], exact, bound) << "d=" << d << " k=" << k << " row " << i;
      }
    }
  }
}

TEST_P(Dense, UpdatesMatchTheReferenceAndKeepPaddingZero) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t d : widths(v.lanes)) {
    for (std::size_t k : kClasses) {
      const unsigned seed = static_cast<unsigned>(d * 31 + k);
      const std::vector<float> x = uniform(d, -2, 2, seed);
      const std::vector<float> g = uniform(k, -1, 1, seed + 3);
      const float lr = 0.37f;
      Model ref(d, k, seed), got(d, k, seed);
      reference::rank_one_update(ref.w.data(), ref.stride, ref.b.data(), g.data(), lr, x.data(), d,
                                 k);
      v.rank_one_update(got.w.data(), got.stride, got.b.data(), g.data(), lr, x.data(), d, k);
      for (std::size_t i = 0; i < ref.w.size(); ++i) {
        ASSERT_NEAR(got.w[i], ref.w[i], 1e-6f) << "rank_one_update d=" << d << " k=" << k;
      }
      for (std::size_t i = 0; i < k; ++i) ASSERT_EQ(got.b[i], ref.b[i]);
      ASSERT_TRUE(got.padding_is_positive_zero());

      Model gref(d, k, seed + 5), ggot(d, k, seed + 5);
      reference::accumulate_outer(gref.w.data(), gref.stride, gref.b.data(), g.data(), x.data(), d,
                                  k);
      v.accumulate_outer(ggot.w.data(), ggot.stride, ggot.b.data(), g.data(), x.data(), d, k);
      for (std::size_t i = 0; i < gref.w.size(); ++i) {
        ASSERT_NEAR(ggot.w[i], gref.w[i], 1e-6f) << "accumulate_outer d=" << d << " k=" << k;
      }
      for (std::size_t i = 0; i < k; ++i) ASSERT_EQ(ggot.b[i], gref.b[i]);
      ASSERT_TRUE(ggot.padding_is_positive_zero());

      Model sref(d, k, seed + 9), sgot(d, k, seed + 9);
      const float c = 0.25f;
      reference::subtract_scaled(sref.w.data(), sref.b.data(), gref.w.data(), gref.b.data(), c,
                                 sref.stride, d, k);
      v.subtract_scaled(sgot.w.data(), sgot.b.data(), gref.w.data(), gref.b.data(), c, sgot.stride,
                        d, k);
      for (std::size_t i = 0; i < sref.w.size(); ++i) {
        ASSERT_NEAR(sgot.w[i], sref.w[i], 1e-6f) << "subtract_scaled d=" << d << " k=" << k;
      }
      for (std::size_t i = 0; i < k; ++i) ASSERT_EQ(sgot.b[i], sref.b[i]);
      ASSERT_TRUE(sgot.padding_is_positive_zero());
    }
  }
}

// The step's forward pass (the variant's logits, then its fused soft-max residual, as
// train_step calls them) against soft-max of the exact logits in double precision, for labels
// and soft targets; an overflowing logit gives NaN.
TEST_P(Dense, ForwardPassMatchesDoublePrecision) {
  const kernels::Variant& v = *GetParam();
  if (v.softmax_residual == nullptr) GTEST_SKIP() << "no fused residual";
  for (std::size_t d : widths(v.lanes)) {
    for (std::size_t k : kClasses) {
      const unsigned seed = static_cast<unsigned>(d * 17 + k);
      Model m(d, k, seed);
      const std::vector<float> x = uniform(d, -2, 2, seed + 1);
      std::vector<float> t = uniform(k, 0, 1, seed + 2);
      float t_sum = 0;
      for (float p : t) t_sum += p;
      for (float& p : t) p /= t_sum;
      std::vector<double> z(k), p(k);
      double z_error = 0, z_max = -HUGE_VAL, sum = 0;
      for (std::size_t i = 0; i < k; ++i) {
        double magnitude = std::fabs(m.b[i]);
        z[i] = m.b[i];
        for (std::size_t j = 0; j < d; ++j) {
          z[i] += static_cast<double>(m.w[i * m.stride + j]) * x[j];
          magnitude += std::fabs(static_cast<double>(m.w[i * m.stride + j]) * x[j]);
        }
        z_error = std::fmax(z_error, static_cast<double>(d + 1) * 6e-8 * magnitude);
        z_max = std::fmax(z_max, z[i]);
      }
      for (std::size_t i = 0; i < k; ++i) sum += p[i] = std::exp(z[i] - z_max);
      for (double& q : p) q /= sum;
      for (bool soft : {false, true}) {
        const std::size_t label = (d + k) % k;
        const float* target = soft ? t.data() : nullptr;
        std::vector<float> g(k);
        v.logits(m.w.data(), m.stride, m.b.data(), x.data(), d, k, g.data());
        const float g_max = v.softmax_residual(g.data(), k, label, target);
        float want_max = 0;
        for (std::size_t i = 0; i < k; ++i) {
          const double want = p[i] - (soft ? t[i] : (i == label ? 1.0 : 0.0));
          // Logit errors of z_error shift each probability by at most 2 z_error relative.
          ASSERT_NEAR(g[i], want, p[i] * (2 * z_error + 2e-6) + 1e-7)
              << "d=" << d << " k=" << k << " class " << i;
          want_max = std::fmax(want_max, std::fabs(g[i]));
        }
        ASSERT_EQ(g_max, want_max) << "d=" << d << " k=" << k;
      }
      // A weight near FLT_MAX times x[0] = 2 overflows its logit to Inf.
      m.w[(k - 1) * m.stride] = 3e38f;
      std::vector<float> big_x = x;
      big_x[0] = 2.0f;
      std::vector<float> g(k);
      v.logits(m.w.data(), m.stride, m.b.data(), big_x.data(), d, k, g.data());
      ASSERT_TRUE(std::isnan(v.softmax_residual(g.data(), k, 0, nullptr)))
          << "d=" << d << " k=" << k;
    }
  }
}

// The fused update-then-logits against the variant's own two calls: the same bits in W, b, the
// logits and max |x| (the fused pass must do the same operations in the same order).
TEST_P(Dense, UpdateThenLogitsEqualsTheTwoCalls) {
  const kernels::Variant& v = *GetParam();
  for (std::size_t d : widths(v.lanes)) {
    for (std::size_t k : kClasses) {
      const unsigned seed = static_cast<unsigned>(d * 13 + k);
      const std::vector<float> x_prev = uniform(d, -2, 2, seed);
      const std::vector<float> x = uniform(d, -3, 3, seed + 1);
      const std::vector<float> g = uniform(k, -1, 1, seed + 2);
      Model two(d, k, seed + 3), one(d, k, seed + 3);
      std::vector<float> z_two(k), z_one(k);
      float x_max_two = -1.0f, x_max_one = -2.0f;
      v.rank_one_update(two.w.data(), two.stride, two.b.data(), g.data(), 0.3f, x_prev.data(), d,
                        k);
      v.logits(two.w.data(), two.stride, two.b.data(), x.data(), d, k, z_two.data());
      for (float xj : x) x_max_two = std::fmax(x_max_two, std::fabs(xj));
      v.update_then_logits(one.w.data(), one.stride, one.b.data(), g.data(), 0.3f, x_prev.data(),
                           x.data(), d, k, z_one.data(), &x_max_one);
      ASSERT_EQ(0, std::memcmp(two.w.data(), one.w.data(), two.w.size() * sizeof(float)))
          << "d=" << d << " k=" << k;
      ASSERT_EQ(0, std::memcmp(two.b.data(), one.b.data(), k * sizeof(float)));
      ASSERT_EQ(0, std::memcmp(z_two.data(), z_one.data(), k * sizeof(float)))
          << "d=" << d << " k=" << k;
      ASSERT_EQ(x_max_two, x_max_one);
      ASSERT_TRUE(one.padding_is_positive_zero());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Dense, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace lastlayer::testing
