// Accuracy sweep of the vectorized exp (outside CI: about two billion inputs per variant).
// Evaluates every float in [-87.3, 0] (logits shifted by their max) and in [0, 64] (logits taken
// as they are, softmax_shift in src/kernels/exp.hpp) with each kernel variant of this build and
// prints, per range, the worst error in ULPs against a correctly rounded exp (double precision's
// exp, then one rounding), with the input where it occurs and how many inputs were off by one ULP.
//
// Usage: exp_sweep [variant-name]     (default: every variant except the reference)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "kernels/registry.hpp"

namespace {

std::int64_t ordered_bits(float f) {
  std::int32_t i;
  std::memcpy(&i, &f, sizeof i);
  return i < 0 ? -static_cast<std::int64_t>(i & 0x7fffffff) : i;
}

// Every float whose bit pattern is in [first, last]: one sign, so increasing magnitude.
void sweep(const lastlayer::kernels::Variant& v, std::uint32_t first, std::uint32_t last,
           const char* range) {
  constexpr std::size_t kChunk = 1 << 16;
  std::vector<float> in(kChunk), out(kChunk);
  std::int64_t worst = 0;
  float worst_x = 0;
  std::uint64_t count = 0, off_by_one = 0;
  for (std::uint64_t b = first; b <= last;) {
    std::size_t n = 0;
    for (; n < kChunk && b <= last; ++n, ++b) {
      const std::uint32_t bits = static_cast<std::uint32_t>(b);
      std::memcpy(&in[n], &bits, sizeof bits);
    }
    v.exp(in.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const float want = static_cast<float>(std::exp(static_cast<double>(in[i])));
      std::int64_t d = ordered_bits(out[i]) - ordered_bits(want);
      d = d < 0 ? -d : d;
      if (d > worst) {
        worst = d;
        worst_x = in[i];
      }
      off_by_one += d == 1;
    }
    count += n;
  }
  std::printf("%-12s %llu floats in %s: worst %lld ULP (at x = %.9g), %.4f%% off by 1 ULP\n",
              v.name, static_cast<unsigned long long>(count), range, static_cast<long long>(worst),
              static_cast<double>(worst_x),
              100.0 * static_cast<double>(off_by_one) / static_cast<double>(count));
}

std::uint32_t bits_of(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

void sweep(const lastlayer::kernels::Variant& v) {
  sweep(v, bits_of(-0.0f), bits_of(-87.3f), "[-87.3, 0]");
  sweep(v, bits_of(0.0f), bits_of(64.0f), "[0, 64]");
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 0;
  const lastlayer::kernels::Variant* v = lastlayer::kernels::variants(&n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool wanted =
        argc > 1 ? std::strcmp(argv[1], v[i].name) == 0 : std::strcmp(v[i].name, "reference") != 0;
    if (wanted) sweep(v[i]);
  }
  return 0;
}
