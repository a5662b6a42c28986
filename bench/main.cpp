// Runs every benchmark, then prints what the issue asks for as ratios measured in this one run:
// each soft-max against lastlayer's, and for the training step ns per sample, GFLOP/s, the share
// of the single-core multiply-add peak (measured by fma_peak in the same run) and each peer's
// time against lastlayer's. Absolute times on a shared machine are noisy; the ratios hold up.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench.hpp"
#include "kernels/backend.hpp"

namespace {

// Keeps, for each benchmark, the fastest of its repetitions (or the median when only aggregates
// are reported). On a shared machine the slow repetitions are the ones another process
// interrupted; the fastest, each a few milliseconds long, is the code's own time. Only the
// aggregates of repeated benchmarks are printed.
class Collector : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns;  // benchmark name -> ns per iteration

  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> shown;
    for (const Run& r : runs) {
      const bool repeated = r.run_type == Run::RT_Iteration && r.repetitions > 1;
      if (!repeated) shown.push_back(r);
      if (r.error_occurred) continue;
      const std::string name = r.run_name.str();
      // A benchmark whose iteration covers several samples says how many (counter "samples").
      const auto per = r.counters.find("samples");
      const double t =
          r.GetAdjustedRealTime() / (per != r.counters.end() ? per->second.value : 1.0);
      if (r.run_type == Run::RT_Iteration) {
        if (from_runs_.insert(name).second || t < ns[name]) ns[name] = t;
      } else if (r.aggregate_name == "median" && from_runs_.count(name) == 0) {
        ns[name] = t;
      }
    }
    ConsoleReporter::ReportRuns(shown);
  }

 private:
  std::set<std::string> from_runs_;  // names whose time came from single runs
};

// "<kind>/<impl>/<shape>" -> impl, for the names with that kind and shape.
std::map<std::string, double> rows(const Collector& c, const std::string& kind,
                                   const std::string& shape) {
  std::map<std::string, double> out;
  for (const auto& [name, t] : c.ns) {
    const std::size_t a = name.find('/'), b = name.rfind('/');
    if (a == std::string::npos || a == b) continue;
    if (name.substr(0, a) == kind && name.substr(b + 1) == shape) {
      out[name.substr(a + 1, b - a - 1)] = t;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);

  using V = lastlayer::kernels::Active;
  double peak = 0;  // GFLOP/s
  if (collector.ns.count("fma_peak") != 0) {
    peak = 2.0 * 12 * 256 * static_cast<double>(V::lanes) / collector.ns["fma_peak"];
  }
  std::printf(
      "\nBack end: %s (%zu lanes). Single-core FMA peak measured in this run: %.1f GFLOP/s\n",
      V::name, V::lanes, peak);

  std::printf("\nSoft-max, ns per call; ratio = that time / lastlayer's (> 1: lastlayer faster)\n");
  for (std::size_t n : lastlayer::bench::kSoftmaxSizes) {
    const auto r = rows(collector, "softmax", std::to_string(n));
    if (r.count("lastlayer") == 0) continue;
    const double base = r.at("lastlayer");
    std::printf("  n=%-6zu", n);
    for (const auto& [impl, t] : r) std::printf("  %s %.1f (x%.2f)", impl.c_str(), t, t / base);
    std::printf("\n");
  }

  std::printf("\nTraining step (one sample), 4*D*K flops; ratio = that time / lastlayer's\n");
  std::printf("  %-8s %-22s %10s %9s %8s %7s\n", "DxK", "impl", "ns/sample", "GFLOP/s", "%peak",
              "ratio");
  for (const char* shape : {"64x10", "128x10", "256x32", "784x10"}) {
    const auto r = rows(collector, "step", shape);
    if (r.count("lastlayer") == 0) continue;
    const std::string s(shape);
    const double d = std::stod(s.substr(0, s.find('x'))), k = std::stod(s.substr(s.find('x') + 1));
    for (const auto& [impl, t] : r) {
      const double gflops = 4.0 * d * k / t;
      std::printf("  %-8s %-22s %10.1f %9.1f %7.1f%% %7.2f\n", shape, impl.c_str(), t, gflops,
                  peak > 0 ? 100.0 * gflops / peak : 0.0, t / r.at("lastlayer"));
    }
  }

  std::printf(
      "\nThe step's phases, each timed alone (ns): logits with max |x|, soft-max residual,"
      " update\n");
  for (const char* shape : {"64x10", "128x10", "256x32", "784x10"}) {
    const auto r = rows(collector, "phase", shape);
    const auto step = rows(collector, "step", shape);
    if (r.size() != 3 || step.count("lastlayer") == 0) continue;
    const double sum = r.at("logits") + r.at("residual") + r.at("update");
    std::printf("  %-8s logits %.1f  residual %.1f  update %.1f  sum %.1f  step %.1f\n", shape,
                r.at("logits"), r.at("residual"), r.at("update"), sum, step.at("lastlayer"));
  }
  benchmark::Shutdown();
  return 0;
}
