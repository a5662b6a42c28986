// The permutations of NumPy's legacy numpy.random.RandomState, reproduced exactly, so the
// reference protocol's split and visiting order (data/README.md) can be replayed bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace lastlayer::protocol {

class NumpyRandom {
 public:
  // RandomState(seed) seeds MT19937 with init_genrand(seed), which is std::mt19937's seeding.
  explicit NumpyRandom(std::uint32_t seed) : mt_(seed) {}

  // A uniform integer in [0, max] by masked rejection, as numpy's random_interval.
  std::uint64_t interval(std::uint64_t max) {
    if (max == 0) return 0;
    std::uint64_t mask = max;
    for (int s = 1; s <= 32; s *= 2) mask |= mask >> s;
    std::uint64_t v;
    if (max <= 0xffffffffu) {
      do v = mt_() & mask; while (v > max);
    } else {
      do v = ((static_cast<std::uint64_t>(mt_()) << 32) | mt_()) & mask; while (v > max);
    }
    return v;
  }

  // RandomState.shuffle of a 1-d array: Fisher-Yates from the end.
  template <typename T>
  void shuffle(T* a, std::size_t n) {
    for (std::size_t i = n; i-- > 1;) {
      const std::size_t j = static_cast<std::size_t>(interval(i));
      const T t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  // RandomState.permutation(n).
  void permutation(std::uint32_t* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(i);
    shuffle(out, n);
  }

 private:
  std::mt19937 mt_;
};

}  // namespace lastlayer::protocol
