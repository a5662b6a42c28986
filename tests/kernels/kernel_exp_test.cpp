// The vectorized exp of every variant against a correctly rounded exp: a large sample of
// [-87.3, 0] and of [0, 64] (bench/exp_sweep.cpp sweeps every float there, outside CI) and the
// edge cases.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ulp.hpp"
#include "variants.hpp"

namespace lastlayer::testing {
namespace {

// The worst error the full sweep measured over [-87.3, 0] and [0, 64] (bench/exp_sweep.cpp),
// for every back end; the goal is 1 ULP.
constexpr std::int64_t kMaxUlp = 1;

class Exp : public ::testing::TestWithParam<const kernels::Variant*> {};

// The worst error over `count` floats uniform in [lo, hi] and `count` uniform in bit pattern
// between those of lo and hi (which crowds the small magnitudes); lo and hi of one sign.
void expect_within_bound(const kernels::Variant& v, float lo, float hi, unsigned seed, int count) {
  std::vector<float> z = uniform(static_cast<std::size_t>(count), lo, hi, seed);
  std::uint32_t lo_bits, hi_bits;
  std::memcpy(&lo_bits, &lo, sizeof lo_bits);
  std::memcpy(&hi_bits, &hi, sizeof hi_bits);
  std::mt19937 rng(seed + 1);
  std::uniform_int_distribution<std::uint32_t> bits(std::min(lo_bits, hi_bits),
                                                    std::max(lo_bits, hi_bits));
  for (int i = 0; i < count; ++i) {
    const std::uint32_t b = bits(rng);
    float f;
    std::memcpy(&f, &b, sizeof f);
    z.push_back(f);
  }
  std::vector<float> q(z.size());
  v.exp(z.data(), q.data(), z.size());
  std::int64_t worst = 0;
  float worst_at = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const std::int64_t d = ulp_distance(q[i], exp_correctly_rounded(z[i]));
    if (d > worst) {
      worst = d;
      worst_at = z[i];
    }
  }
  EXPECT_LE(worst, kMaxUlp) << "worst at x = " << worst_at;
}

// (One range at a time: the boards' RAM holds one sample of 2^20 floats and its exps.)
TEST_P(Exp, WithinTheMeasuredUlpBoundOnALargeSample) {
  const kernels::Variant& v = *GetParam();
  if (std::string(v.name) == "reference") GTEST_SKIP() << "std::exp is the yardstick";
  expect_within_bound(v, -87.3f, -0.0f, 11, 1 << 19);  // logits shifted by their max
  expect_within_bound(v, 0.0f, 64.0f, 13, 1 << 18);    // logits as they are (softmax_shift)
}

TEST_P(Exp, EdgeCases) {
  const kernels::Variant& v = *GetParam();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Exactly 1 at +-0; a clean 0 below the underflow threshold (no subnormals, no garbage from
  // huge negative inputs); NaN propagates. Placed at every lane position of two vectors.
  const float in[] = {0.0f, -0.0f, -87.34f, -87.5f, -88.0f, -100.0f, -1e30f, -INFINITY, nan};
  for (float x : in) {
    for (std::size_t n = 1; n <= 2 * v.lanes + 1; ++n) {
      std::vector<float> z(n, -1.0f), q(n);
      z[n - 1] = x;
      v.exp(z.data(), q.data(), n);
      const float y = q[n - 1];
      if (std::isnan(x)) {
        ASSERT_TRUE(std::isnan(y)) << v.name;
      } else if (x == 0.0f) {
        ASSERT_EQ(y, 1.0f) << v.name;
      } else if (x < -87.3366f) {
        if (std::string(v.name) != "reference") {
          ASSERT_EQ(y, 0.0f) << v.name << " x=" << x;
        }
      }
      if (n > 1) {
        ASSERT_LE(ulp_distance(q[0], exp_correctly_rounded(z[0])), kMaxUlp) << v.name;
      }
    }
  }
  // The threshold itself and just above: normal results, within the bound.
  for (float x : {-87.33654f, -87.3365f, -87.3f, -1e-30f, -1e-7f, -0.34657359f, -0.34657362f}) {
    float y = 0;
    v.exp(&x, &y, 1);
    ASSERT_GE(y, std::numeric_limits<float>::min()) << v.name << " x=" << x;
    ASSERT_LE(ulp_distance(y, exp_correctly_rounded(x)), kMaxUlp) << v.name << " x=" << x;
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Exp, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace lastlayer::testing
