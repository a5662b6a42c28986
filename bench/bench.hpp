// Shared pieces of the benchmarks: the shapes of the issue, random data, and the table of
// results that main.cpp prints as ratios measured in the same run.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <new>
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

// Benchmark buffers start on a 64-byte cache line. With malloc's 16-byte alignment the same
// soft-max at n = 100 took 47.6 or 64.0 ns depending on where earlier allocations left the heap
// (its 512-bit loads then split cache lines, and so did Eigen's): every implementation is timed
// on the same, fixed placement instead.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
  template <class U>
  bool operator!=(const CacheLineAllocator<U>&) const {
    return false;
  }
};
using Floats = std::vector<float, CacheLineAllocator<float>>;

inline Floats random_floats(std::size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Floats v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// A stream of training samples, cycled through by the step benchmarks.
struct Samples {
  static constexpr std::size_t kCount = 64;
  Floats x;  // kCount rows of d features, unpadded as a caller would pass them
  std::vector<std::size_t> label;
  Samples(std::size_t d, std::size_t k) : x(random_floats(kCount * d, -1, 1, 7)), label(kCount) {
    for (std::size_t i = 0; i < kCount; ++i) label[i] = (i * 7) % k;
  }
};

// The step benchmarks' counter: 4 D K flops per sample, a multiply-add per weight in the logits
// and in the update.
inline void set_step_flops(benchmark::State& state, std::size_t d, std::size_t k) {
  state.counters["FLOP/s"] = benchmark::Counter(4.0 * static_cast<double>(d * k),
                                                benchmark::Counter::kIsIterationInvariantRate);
}

// Times step(x, label) (returning true when it succeeded) on the stream's samples, one per
// iteration, and marks the run failed if the last step did not succeed.
template <class Step>
void time_steps(benchmark::State& state, const Samples& data, std::size_t d, std::size_t k,
                Step&& step) {
  std::size_t i = 0;
  bool ok = true;
  for (auto _ : state) {
    ok = step(&data.x[i * d], data.label[i]);
    i = (i + 1) % Samples::kCount;
  }
  if (!ok) state.SkipWithError("a training step failed");
  set_step_flops(state, d, k);
}

}  // namespace lastlayer::bench
