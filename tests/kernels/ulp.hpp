// Distance in units in the last place between two floats of the same sign, and the correctly
// rounded exp (double precision's exp, accurate to far below a float ULP, then one rounding).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace lastlayer::testing {

inline std::int64_t ordered_bits(float f) {
  std::int32_t i;
  std::memcpy(&i, &f, sizeof i);
  // Map the sign-magnitude encoding to a monotonic integer line.
  return i < 0 ? -static_cast<std::int64_t>(i & 0x7fffffff) : i;
}

inline std::int64_t ulp_distance(float a, float b) {
  const std::int64_t d = ordered_bits(a) - ordered_bits(b);
  return d < 0 ? -d : d;
}

inline float exp_correctly_rounded(float x) {
  return static_cast<float>(std::exp(static_cast<double>(x)));
}

}  // namespace lastlayer::testing
