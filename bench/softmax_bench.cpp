// Soft-max of n floats, data in cache: the library's public lastlayer::softmax (the back end of
// this build), every kernel variant of the registry, and a naive std::exp loop.
#include <cmath>

#include "bench.hpp"
#include "kernels/registry.hpp"
#include "lastlayer/softmax.hpp"

namespace lastlayer::bench {
namespace {

// What one writes without thinking about speed: max, std::exp and sum, one division each.
void naive_softmax(const float* z, float* q, std::size_t n) {
  float m = z[0];
  for (std::size_t i = 1; i < n; ++i) m = z[i] > m ? z[i] : m;
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    q[i] = std::exp(z[i] - m);
    s += q[i];
  }
  for (std::size_t i = 0; i < n; ++i) q[i] /= s;
}

// Inputs uniform in [lo, lo + 16]: with lo = -8 the largest is in [0, 64], and the library's
// exps are of z itself (softmax_shift); with lo = -24 every input is negative, and the library
// takes the form shifted by the max that every other row here computes.
template <class F>
void run_softmax(benchmark::State& state, F f, std::size_t n, float lo = -8) {
  const Floats z = random_floats(n, lo, lo + 16, static_cast<unsigned>(n));
  Floats q(n);
  for (auto _ : state) {
    f(z.data(), q.data(), n);
    benchmark::DoNotOptimize(q.data());
    benchmark::ClobberMemory();
  }
}

const bool kRegistered = [] {
  std::size_t count = 0;
  const kernels::Variant* v = kernels::variants(&count);
  for (std::size_t n : kSoftmaxSizes) {
    benchmark::RegisterBenchmark(softmax_name("lastlayer", n).c_str(),
                                 [n](benchmark::State& s) { run_softmax(s, &softmax, n); });
    benchmark::RegisterBenchmark(softmax_name("lastlayer-negative", n).c_str(),
                                 [n](benchmark::State& s) { run_softmax(s, &softmax, n, -24); });
    benchmark::RegisterBenchmark(softmax_name("naive", n).c_str(),
                                 [n](benchmark::State& s) { run_softmax(s, &naive_softmax, n); });
    for (std::size_t i = 0; i < count; ++i) {
      const kernels::Variant* var = v + i;
      benchmark::RegisterBenchmark(
          softmax_name(var->name, n).c_str(),
          [n, var](benchmark::State& s) { run_softmax(s, var->softmax, n); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace lastlayer::bench
