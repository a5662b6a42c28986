// --export-header: a trained model as a C/C++ header for firmware.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model.hpp"

namespace lastlayer_train {

struct HeaderContents {
  std::string name;        // prefix of every identifier
  std::string provenance;  // one line saying what produced the model
  bool standardized = false;
  std::vector<double> mean;   // per feature
  std::vector<double> scale;  // per feature
  std::vector<std::uint8_t> checkpoint;
};

// Writes the header; false (with *error) when the file cannot be written.
bool write_header(const std::string& path, const RuntimeModel& model, const HeaderContents& c,
                  std::string* error);

}  // namespace lastlayer_train
