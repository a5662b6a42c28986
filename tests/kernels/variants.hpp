// Test helpers: the registry's variants as a GoogleTest parameter, and random data.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "kernels/registry.hpp"

namespace lastlayer::testing {

inline std::vector<const kernels::Variant*> all_variants() {
  std::size_t n = 0;
  const kernels::Variant* v = kernels::variants(&n);
  std::vector<const kernels::Variant*> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(v + i);
  return out;
}

inline std::string variant_name(const ::testing::TestParamInfo<const kernels::Variant*>& info) {
  std::string s = info.param->name;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

// Lengths 1 .. 2 * lanes + 1 (every tail of one and two vectors), then long ones.
inline std::vector<std::size_t> lengths_for(std::size_t lanes) {
  std::vector<std::size_t> n;
  for (std::size_t i = 1; i <= 2 * lanes + 1; ++i) n.push_back(i);
  for (std::size_t i : {47u, 100u, 1000u, 4099u, 10000u}) n.push_back(i);
  return n;
}

inline std::vector<float> uniform(std::size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

}  // namespace lastlayer::testing
