#include <cmath>

#include "lastlayer_protocol/protocol.hpp"

namespace lastlayer::protocol {
namespace {

// scikit-learn's _approximate_mode: the class counts of a draw of n_draws that follows the
// class proportions, ties in the rounding broken at random (and the generator advanced exactly
// as there: one permutation per distinct remainder visited).
void approximate_mode(const std::size_t* counts, std::size_t classes, std::size_t n_draws,
                      NumpyRandom& rng, std::size_t* out) {
  std::size_t total = 0;
  for (std::size_t c = 0; c < classes; ++c) total += counts[c];
  double continuous[kMaxClasses], remainder[kMaxClasses];
  std::size_t floored_sum = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    continuous[c] = static_cast<double>(counts[c]) / static_cast<double>(total) *
                    static_cast<double>(n_draws);
    const double f = std::floor(continuous[c]);
    out[c] = static_cast<std::size_t>(f);
    remainder[c] = continuous[c] - f;
    floored_sum += out[c];
  }
  std::size_t need = n_draws - floored_sum;
  double previous = INFINITY;  // visit the distinct remainders from the largest down
  while (need > 0) {
    double value = -1.0;
    for (std::size_t c = 0; c < classes; ++c) {
      if (remainder[c] < previous && remainder[c] > value) value = remainder[c];
    }
    if (value < 0.0) break;  // unreachable: the remainders add up to `need`
    std::uint32_t inds[kMaxClasses];
    std::size_t n_inds = 0;
    for (std::size_t c = 0; c < classes; ++c) {
      if (remainder[c] == value) inds[n_inds++] = static_cast<std::uint32_t>(c);
    }
    const std::size_t add_now = n_inds < need ? n_inds : need;
    // rng.choice(inds, add_now, replace=False) is permutation(len(inds))[:add_now].
    std::uint32_t perm[kMaxClasses];
    rng.permutation(perm, n_inds);
    for (std::size_t i = 0; i < add_now; ++i) ++out[inds[perm[i]]];
    need -= add_now;
    previous = value;
  }
}

}  // namespace

Split stratified_split(const unsigned char* labels, std::size_t n, std::size_t classes,
                       double test_fraction, std::uint32_t seed, std::uint32_t* train,
                       std::uint32_t* test) {
  std::size_t counts[kMaxClasses] = {};
  for (std::size_t i = 0; i < n; ++i) ++counts[labels[i]];
  const auto n_test = static_cast<std::size_t>(std::ceil(test_fraction * static_cast<double>(n)));
  const std::size_t n_train = n - n_test;

  NumpyRandom rng(seed);
  std::size_t n_i[kMaxClasses] = {}, t_i[kMaxClasses] = {}, remaining[kMaxClasses] = {};
  approximate_mode(counts, classes, n_train, rng, n_i);
  for (std::size_t c = 0; c < classes; ++c) remaining[c] = counts[c] - n_i[c];
  approximate_mode(remaining, classes, n_test, rng, t_i);

  Split split{0, 0};
  for (std::size_t c = 0; c < classes; ++c) {
    // The class's sample indices in increasing order (a stable argsort of the labels),
    // shuffled in place: the same swaps as shuffling arange(count) and indexing with it.
    std::uint32_t* chunk = test + split.test_count;  // free room at the end of test[]
    std::size_t m = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (labels[i] == c) chunk[m++] = static_cast<std::uint32_t>(i);
    }
    rng.shuffle(chunk, m);
    for (std::size_t i = 0; i < n_i[c]; ++i) train[split.train_count++] = chunk[i];
    // Move this class's test part to the front of the free room (chunk starts there).
    for (std::size_t i = 0; i < t_i[c]; ++i) chunk[i] = chunk[n_i[c] + i];
    split.test_count += t_i[c];
  }
  rng.shuffle(train, split.train_count);
  rng.shuffle(test, split.test_count);
  return split;
}

}  // namespace lastlayer::protocol
