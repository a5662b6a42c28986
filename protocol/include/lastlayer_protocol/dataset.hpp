// A data set compiled into the program (see data/): bytes and a divisor, labels 0..classes-1.
#pragma once

#include <cstddef>

namespace lastlayer::data {

struct Dataset {
  const unsigned char* features;  // samples x inputs, row-major
  const unsigned char* labels;
  std::size_t samples;
  std::size_t inputs;
  std::size_t classes;
  unsigned divisor;  // feature value = byte / divisor (10 for data with one decimal)

  double value(std::size_t i, std::size_t j) const {
    return static_cast<double>(features[i * inputs + j]) / divisor;
  }
};

}  // namespace lastlayer::data
