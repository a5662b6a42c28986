// The machine's single-core multiply-add peak, measured in the same run as the kernels: twelve
// independent chains of vector multiply-adds (more than latency x issue width on current cores)
// on the widest vectors of this build's back end.
#include "bench.hpp"
#include "kernels/backend.hpp"

namespace lastlayer::bench {
namespace {

void BM_FmaPeak(benchmark::State& state) {
  using V = kernels::Active;
  using vf = V::vf;
  constexpr int kChains = 12, kRounds = 256;
  const vf a = V::splat(0.999999f), b = V::splat(1e-7f);
  vf acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = V::splat(static_cast<float>(i));
  for (auto _ : state) {
    for (int r = 0; r < kRounds; ++r) {
      for (int i = 0; i < kChains; ++i) acc[i] = V::fmadd(acc[i], a, b);
    }
    for (int i = 0; i < kChains; ++i) benchmark::DoNotOptimize(acc[i]);
  }
  const double flops = 2.0 * kChains * kRounds * static_cast<double>(V::lanes);
  state.counters["FLOP/s"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(V::name);
}
BENCHMARK(BM_FmaPeak)->Name("fma_peak");

}  // namespace
}  // namespace lastlayer::bench
