// Shared pieces of the benchmarks: the shapes of the issue, random data, and the table of
// results that main.cpp prints as ratios measured in the same run.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace lastlayer::bench {

inline constexpr std::size_t kSoftmaxSizes[] = {10, 100, 1000, 10000};

// Benchmark names: "softmax/<implementation>/<n>" and "step/<implementation>/<D>x<K>".
inline std::string softmax_name(const std::string& impl, std::size_t n) {
  return "softmax/" + impl + "/" + std::to_string(n);
}
inline std::string step_name(const std::string& impl, std::size_t d, std::size_t k) {
  return "step/" + impl + "/" + std::to_string(d) + "x" + std::to_string(k);
}

inline std::vector<float> random_floats(std::size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// A stream of training samples, cycled through by the step benchmarks.
struct Samples {
  static constexpr std::size_t kCount = 64;
  std::vector<float> x;  // kCount rows of d features, unpadded as a caller would pass them
  std::vector<std::size_t> label;
  Samples(std::size_t d, std::size_t k) : x(random_floats(kCount * d, -1, 1, 7)), label(kCount) {
    for (std::size_t i = 0; i < kCount; ++i) label[i] = (i * 7) % k;
  }
};

}  // namespace lastlayer::bench
