// Peer rows (built when Eigen 3.4 is found): soft-max over an Eigen array, and the same SGD step
// written with fixed-size Eigen matrices, the way an Eigen user would.
#include <Eigen/Dense>
#include <memory>

#include "bench.hpp"

namespace lastlayer::bench {
namespace {

void eigen_softmax(const float* z, float* q, std::size_t n) {
  const Eigen::Map<const Eigen::ArrayXf> in(z, static_cast<Eigen::Index>(n));
  Eigen::Map<Eigen::ArrayXf> out(q, static_cast<Eigen::Index>(n));
  out = (in - in.maxCoeff()).exp();
  out /= out.sum();
}

void BM_EigenSoftmax(benchmark::State& state, std::size_t n) {
  const Floats z = random_floats(n, -8, 8, static_cast<unsigned>(n));
  Floats q(n);
  for (auto _ : state) {
    eigen_softmax(z.data(), q.data(), n);
    benchmark::DoNotOptimize(q.data());
    benchmark::ClobberMemory();
  }
}

template <int D, int K>
struct EigenModel {
  Eigen::Matrix<float, K, D, Eigen::RowMajor> w =
      Eigen::Matrix<float, K, D, Eigen::RowMajor>::Zero();
  Eigen::Matrix<float, K, 1> b = Eigen::Matrix<float, K, 1>::Zero();

  void step(const float* xp, int label, float lr) {
    const Eigen::Map<const Eigen::Matrix<float, D, 1>> x(xp);
    const Eigen::Matrix<float, K, 1> z = w * x + b;
    const Eigen::Array<float, K, 1> e = (z.array() - z.maxCoeff()).exp();
    Eigen::Matrix<float, K, 1> g = (e / e.sum()).matrix();
    g(label) -= 1.0f;
    w.noalias() -= (lr * g) * x.transpose();
    b -= lr * g;
  }
};

template <int D, int K>
void BM_EigenStep(benchmark::State& state) {
  auto model = std::make_unique<EigenModel<D, K>>();
  const Samples data(D, K);
  std::size_t i = 0;
  for (auto _ : state) {
    model->step(&data.x[i * D], static_cast<int>(data.label[i]), 0.01f);
    i = (i + 1) % Samples::kCount;
  }
  benchmark::DoNotOptimize(model->w.data());
  state.counters["FLOP/s"] =
      benchmark::Counter(4.0 * D * K, benchmark::Counter::kIsIterationInvariantRate);
}

const bool kRegistered = [] {
  for (std::size_t n : kSoftmaxSizes) {
    benchmark::RegisterBenchmark(softmax_name("eigen", n).c_str(),
                                 [n](benchmark::State& s) { BM_EigenSoftmax(s, n); });
  }
  benchmark::RegisterBenchmark(step_name("eigen", 64, 10).c_str(), &BM_EigenStep<64, 10>);
  benchmark::RegisterBenchmark(step_name("eigen", 128, 10).c_str(), &BM_EigenStep<128, 10>);
  benchmark::RegisterBenchmark(step_name("eigen", 256, 32).c_str(), &BM_EigenStep<256, 32>);
  benchmark::RegisterBenchmark(step_name("eigen", 784, 10).c_str(), &BM_EigenStep<784, 10>);
  return true;
}();

}  // namespace
}  // namespace lastlayer::bench
