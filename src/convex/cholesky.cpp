#include "cholesky.hpp"

#include <cmath>

namespace lastlayer::detail {

bool cholesky_factor(float* a, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    float* row_i = a + packed_index(i, 0);
    for (std::size_t j = 0; j <= i; ++j) {
      const float* row_j = a + packed_index(j, 0);
      // The dot products accumulate in double: the factor is computed once, and the extra
      // precision keeps small pivots of nearly collinear features from going negative.
      double s = row_i[j];
      for (std::size_t k = 0; k < j; ++k) s -= static_cast<double>(row_i[k]) * row_j[k];
      if (j == i) {
        if (!(s > 0.0)) return false;
        row_i[i] = static_cast<float>(std::sqrt(s));
      } else {
        row_i[j] = static_cast<float>(s / row_j[j]);
      }
    }
  }
  return true;
}

// In float: it runs every step, and an error in the step direction only shortens the descent
// the majorizer promises (docs/convexity.md), it cannot turn it into an ascent unless it is as
// large as the step itself.
void cholesky_solve(const float* l, std::size_t n, float* r) {
  // Forward substitution L y = r.
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = l + packed_index(i, 0);
    float s = r[i];
    for (std::size_t k = 0; k < i; ++k) s -= row[k] * r[k];
    r[i] = s / row[i];
  }
  // Back substitution L^T z = y, reading L by columns.
  for (std::size_t i = n; i-- > 0;) {
    float s = r[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= l[packed_index(k, i)] * r[k];
    r[i] = s / l[packed_index(i, i)];
  }
}

}  // namespace lastlayer::detail
