// Soak run: ten million SGD steps on a synthetic stream whose class means move (slowly within a
// phase, and to new places at every phase boundary), with sensor glitches (NaN and Inf
// features) mixed in. Checks after every step that no weight or bias is non-finite and that a
// refused glitch left the model unchanged; every 100 000 steps it saves the model through the
// A/B checkpoint store (flash simulated in RAM) and restores it bit-exactly. Reports the
// prequential accuracy (predict, then train) before each drift, right after it, and how many
// steps it takes to recover.
//
//   lastlayer_soak [steps] [seed] [learning rate]      defaults: 10000000 1 0.01
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lastlayer/checkpoint_store.hpp"
#include "lastlayer/lastlayer.hpp"

namespace {

constexpr std::size_t kD = 16, kK = 4;
constexpr long kPhase = 1000000;  // steps between abrupt drifts
constexpr long kBlock = 1000;     // accuracy is counted per block of steps
constexpr long kCheckpointEvery = 100000;
constexpr float kSeparation = 3.0f;   // distance of each class mean from the origin
constexpr float kNoise = 1.0f;        // per-feature standard deviation
constexpr double kGlitchRate = 1e-3;  // share of samples with a NaN or Inf feature

using Model = lastlayer::Classifier<kD, kK>;

// xoshiro-style generator: small, fast, reproducible on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = seed = seed * 6364136223846793005ull + 1442695040888963407ull;
  }
  std::uint64_t next() {
    const std::uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double gaussian() {  // Box-Muller, one value per call
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Class means: a random direction per class, scaled to kSeparation.
void random_means(Rng& rng, float (*mu)[kD]) {
  for (std::size_t k = 0; k < kK; ++k) {
    double norm = 0.0, v[kD];
    for (double& x : v) {
      x = rng.gaussian();
      norm += x * x;
    }
    norm = std::sqrt(norm);
    for (std::size_t j = 0; j < kD; ++j) mu[k][j] = static_cast<float>(kSeparation * v[j] / norm);
  }
}

// RAM "flash" for the checkpoint store: erase to 0xFF, writes clear bits.
std::uint8_t g_flash[8192];
int flash_read(void*, std::size_t o, std::uint8_t* out, std::size_t n) {
  std::memcpy(out, g_flash + o, n);
  return 0;
}
int flash_write(void*, std::size_t o, const std::uint8_t* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) g_flash[o + i] &= in[i];
  return 0;
}
int flash_erase(void*, std::size_t o, std::size_t n) {
  std::memset(g_flash + o, 0xFF, n);
  return 0;
}

bool all_finite(const Model& m) {
  for (std::size_t k = 0; k < kK; ++k) {
    if (!std::isfinite(m.bias(k))) return false;
    for (std::size_t j = 0; j < kD; ++j) {
      if (!std::isfinite(m.weight(k, j))) return false;
    }
  }
  return true;
}

float max_abs(const Model& m) {
  float mx = 0.0f;
  for (std::size_t k = 0; k < kK; ++k) {
    mx = std::fmax(mx, std::fabs(m.bias(k)));
    for (std::size_t j = 0; j < kD; ++j) mx = std::fmax(mx, std::fabs(m.weight(k, j)));
  }
  return mx;
}

// Mean accuracy of blocks [from, to).
double mean_accuracy(const std::uint16_t* correct, long from, long to) {
  long sum = 0;
  for (long b = from; b < to; ++b) sum += correct[b];
  return static_cast<double>(sum) / static_cast<double>((to - from) * kBlock);
}

}  // namespace

int main(int argc, char** argv) {
  const long steps = argc > 1 ? std::atol(argv[1]) : 10000000;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const lastlayer::SgdOptions opt{argc > 3 ? std::strtof(argv[3], nullptr) : 0.01f};
  if (steps < kPhase || steps % kPhase != 0) {
    std::fprintf(stderr, "steps must be a positive multiple of %ld\n", kPhase);
    return 2;
  }
  Rng rng(seed);
  static Model model, restored;
  const long blocks = steps / kBlock;
  auto* correct = static_cast<std::uint16_t*>(std::calloc(static_cast<std::size_t>(blocks), 2));

  float from[kK][kD], to[kK][kD], mu[kK][kD];
  random_means(rng, from);
  random_means(rng, to);

  constexpr std::size_t kRecord = lastlayer::checkpoint_record_size(kD, kK, 8);
  constexpr std::size_t kSlot = (kRecord + 511) / 512 * 512;
  static_assert(2 * kSlot <= sizeof g_flash, "flash too small");
  std::memset(g_flash, 0xFF, sizeof g_flash);
  const lastlayer::CheckpointStorage store{nullptr,    flash_read, flash_write, flash_erase,
                                           {0, kSlot}, kSlot,      512,         8};
  static std::uint8_t buffer[kRecord];

  long non_finite_steps = 0, refused_glitches = 0, glitch_changed_model = 0, other_errors = 0;
  long checkpoints = 0, checkpoint_mismatches = 0;
  float largest = 0.0f;
  const auto start = std::chrono::steady_clock::now();

  for (long t = 0; t < steps; ++t) {
    const long phase_step = t % kPhase;
    if (phase_step == 0 && t > 0) {  // abrupt drift: every class mean jumps somewhere new
      random_means(rng, from);
      random_means(rng, to);
    }
    // Gradual drift: within a phase each mean turns from `from` towards `to` (keeping its
    // length, so the task stays as hard), so the concept keeps moving while it is learned.
    if (phase_step % kBlock == 0) {
      const float a = static_cast<float>(phase_step) / static_cast<float>(kPhase);
      for (std::size_t k = 0; k < kK; ++k) {
        float norm = 0.0f;
        for (std::size_t j = 0; j < kD; ++j) {
          mu[k][j] = (1.0f - a) * from[k][j] + a * to[k][j];
          norm += mu[k][j] * mu[k][j];
        }
        for (float& v : mu[k]) v *= kSeparation / std::sqrt(norm);
      }
    }
    const std::size_t label = static_cast<std::size_t>(rng.next() % kK);
    float x[kD];
    for (std::size_t j = 0; j < kD; ++j) {
      x[j] = mu[label][j] + kNoise * static_cast<float>(rng.gaussian());
    }
    const bool glitch = rng.uniform() < kGlitchRate;
    if (glitch) x[rng.next() % kD] = (rng.next() & 1) ? NAN : -INFINITY;

    if (!glitch) correct[t / kBlock] += model.predict(x) == label;
    unsigned char before[sizeof(Model)];
    if (glitch) std::memcpy(before, &model, sizeof before);
    const lastlayer::Status s = model.train(x, label, opt);
    if (glitch) {
      if (s == lastlayer::Status::non_finite) ++refused_glitches;
      if (std::memcmp(before, &model, sizeof before) != 0) ++glitch_changed_model;
    } else if (s != lastlayer::Status::ok) {
      ++other_errors;
    }
    if (!all_finite(model)) ++non_finite_steps;

    if ((t + 1) % kCheckpointEvery == 0) {
      largest = std::fmax(largest, max_abs(model));
      ++checkpoints;
      std::uint8_t a[Model::checkpoint_size], b[Model::checkpoint_size];
      std::size_t n = 0;
      restored.reset();
      if (lastlayer::store_checkpoint(store, model, buffer, sizeof buffer) !=
              lastlayer::Status::ok ||
          lastlayer::restore_checkpoint(store, restored, buffer, sizeof buffer) !=
              lastlayer::Status::ok ||
          model.save(a, sizeof a, &n) != lastlayer::Status::ok ||
          restored.save(b, sizeof b, &n) != lastlayer::Status::ok ||
          std::memcmp(a, b, sizeof a) != 0) {
        ++checkpoint_mismatches;
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Per drift: accuracy over the 50 000 steps before it, over the first 1 000 and 10 000 after,
  // the level the new concept settles at (steps 100 000 to 150 000 after the drift; a new
  // geometry may be easier or harder than the old one), and the steps until a 5 000-step
  // window is within one point of that level.
  std::printf("lastlayer soak: %ld steps, D=%zu K=%zu, lr=%g, seed %llu, %.1f s (%.0f ns/step)\n",
              steps, kD, kK, static_cast<double>(opt.learning_rate),
              static_cast<unsigned long long>(seed), seconds,
              seconds * 1e9 / static_cast<double>(steps));
  std::printf("%6s %10s %10s %10s %10s %10s %12s\n", "drift", "at step", "acc before", "first 1k",
              "first 10k", "settled", "recovered in");
  const long per_phase = kPhase / kBlock;
  for (long d = 1; d * kPhase < steps; ++d) {
    const long b0 = d * per_phase;
    const double pre = mean_accuracy(correct, b0 - 50, b0);
    const double settled = mean_accuracy(correct, b0 + 100, b0 + 150);
    long recovered = -1;
    for (long b = b0; b + 5 <= blocks && b < b0 + per_phase; ++b) {
      if (mean_accuracy(correct, b, b + 5) >= settled - 0.01) {
        recovered = (b + 5 - b0) * kBlock;
        break;
      }
    }
    std::printf("%6ld %10ld %9.2f%% %9.2f%% %9.2f%% %9.2f%% %12ld\n", d, d * kPhase, 100.0 * pre,
                100.0 * mean_accuracy(correct, b0, b0 + 1),
                100.0 * mean_accuracy(correct, b0, b0 + 10), 100.0 * settled, recovered);
  }
  std::printf("final accuracy (last 50 000 steps): %.2f%%\n",
              100.0 * mean_accuracy(correct, blocks - 50, blocks));
  std::printf("steps with a non-finite weight: %ld\n", non_finite_steps);
  std::printf("glitches refused: %ld, of which changed the model: %ld; other errors: %ld\n",
              refused_glitches, glitch_changed_model, other_errors);
  std::printf("largest |weight| seen: %g\n", static_cast<double>(largest));
  std::printf("A/B store round trips: %ld, mismatches: %ld\n", checkpoints, checkpoint_mismatches);
  std::free(correct);
  const bool ok = non_finite_steps == 0 && glitch_changed_model == 0 && other_errors == 0 &&
                  checkpoint_mismatches == 0;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
