// Minimal formatted output for the firmware demos, over semihosting. newlib's printf is not
// used on purpose: its float conversion and stream buffers allocate, and the demo must link
// without malloc.
#pragma once

#include <cstddef>

#include "semihosting.hpp"

namespace lastlayer::firmware {

inline void print(const char* text) {
  board::write(text);
}

// Unsigned integer, right-aligned in `width` columns.
inline void print(unsigned long v, int width = 0) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  char out[48];
  int m = 0;
  for (int pad = width - n; pad > 0 && m < 24; --pad) out[m++] = ' ';
  while (n > 0) out[m++] = digits[--n];
  board::write(out, static_cast<std::size_t>(m));
}

// Non-negative value with `decimals` digits after the point, rounded to nearest, as %.Nf does.
inline void print_fixed(double v, int decimals) {
  unsigned long scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const auto scaled = static_cast<unsigned long>(v * static_cast<double>(scale) + 0.5);
  print(scaled / scale);
  board::write(".", 1);
  const unsigned long frac = scaled % scale;
  for (unsigned long d = scale / 10; d > 0; d /= 10) {
    const char c = static_cast<char>('0' + frac / d % 10);
    board::write(&c, 1);
  }
}

}  // namespace lastlayer::firmware
