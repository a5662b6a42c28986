// Cholesky factorization A = L L^T of a small symmetric positive definite matrix in packed
// lower-triangular storage (row i holds entries 0..i, starting at i (i + 1) / 2), and the solve
// with it. Fixed storage, no pivoting: A is positive definite by construction where it is used.
#pragma once

#include <cstddef>

namespace lastlayer::detail {

inline std::size_t packed_index(std::size_t i, std::size_t j) {
  return i * (i + 1) / 2 + j;
}

// Overwrites the lower triangle of A (n x n) with L. false when a pivot is not positive.
bool cholesky_factor(float* a, std::size_t n);

// Solves L L^T z = r in place (r becomes z).
void cholesky_solve(const float* l, std::size_t n, float* r);

}  // namespace lastlayer::detail
