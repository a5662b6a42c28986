// Footprint probe: a program that uses a 64-input, 10-class model the way firmware does (train
// per sample, predict), so its link map shows the library code one model size pulls in
// (tools/footprint reads it), and that measures the stack of one training step by painting.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "lastlayer/lastlayer.hpp"

namespace {

constexpr std::size_t kInputs = 64, kClasses = 10;
constexpr std::uint32_t kPaint = 0xC5A5C5A5u;
constexpr std::size_t kPaintWords = 2048;  // 8 KB below the caller's frame

lastlayer::Classifier<kInputs, kClasses> model;
float x[kInputs];

__attribute__((always_inline)) inline std::uintptr_t stack_pointer() {
  std::uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

// Fills the 8 KB below this function's frame with the pattern. Called from the same frame as
// the step, so the step's frames land in the painted area.
__attribute__((noinline)) std::uintptr_t paint() {
  auto* top = reinterpret_cast<volatile std::uint32_t*>(stack_pointer());
  for (std::size_t i = 1; i <= kPaintWords; ++i) top[-static_cast<std::ptrdiff_t>(i)] = kPaint;
  return reinterpret_cast<std::uintptr_t>(top - kPaintWords);
}

// The lowest address below `top` that no longer holds the pattern.
__attribute__((noinline)) std::uintptr_t deepest_write(std::uintptr_t bottom) {
  auto* p = reinterpret_cast<volatile std::uint32_t*>(bottom);
  while (*p == kPaint) ++p;
  return reinterpret_cast<std::uintptr_t>(p);
}

__attribute__((noinline)) lastlayer::Status step(std::size_t label) {
  return model.train(x, label, lastlayer::SgdOptions{});
}

}  // namespace

int main() {
  for (std::size_t j = 0; j < kInputs; ++j) x[j] = 0.1f * static_cast<float>(j % 9) - 0.4f;
  const std::uintptr_t caller = stack_pointer();
  const std::uintptr_t bottom = paint();
  const lastlayer::Status s = step(3);
  const std::uintptr_t deepest = deepest_write(bottom);
  const std::size_t k = model.predict(x);
  std::printf("stack of one training step: %u bytes (status %d, class %u)\n",
              static_cast<unsigned>(caller - deepest), static_cast<int>(s),
              static_cast<unsigned>(k));
  std::printf("model object: %u bytes\n", static_cast<unsigned>(sizeof model));
  return s == lastlayer::Status::ok && k == 3 ? 0 : 1;
}
