// Peer rows (built when XNNPACK is found): XNNPACK's soft-max operator, created and set up once,
// then only run per iteration, single-threaded.
#include <xnnpack.h>

#include "bench.hpp"

namespace lastlayer::bench {
namespace {

void BM_XnnpackSoftmax(benchmark::State& state, std::size_t n) {
  const Floats z = random_floats(n, -8, 8, static_cast<unsigned>(n));
  Floats q(n);
  xnn_operator_t op = nullptr;
  if (xnn_initialize(nullptr) != xnn_status_success ||
      xnn_create_softmax_nc_f32(n, n, n, 0, &op) != xnn_status_success ||
      xnn_setup_softmax_nc_f32(op, 1, z.data(), q.data(), nullptr) != xnn_status_success) {
    state.SkipWithError("XNNPACK set-up failed");
    return;
  }
  for (auto _ : state) {
    xnn_run_operator(op, nullptr);
    benchmark::DoNotOptimize(q.data());
    benchmark::ClobberMemory();
  }
  xnn_delete_operator(op);
}

const bool kRegistered = [] {
  for (std::size_t n : kSoftmaxSizes) {
    benchmark::RegisterBenchmark(softmax_name("xnnpack", n).c_str(),
                                 [n](benchmark::State& s) { BM_XnnpackSoftmax(s, n); });
  }
  return true;
}();

}  // namespace
}  // namespace lastlayer::bench
