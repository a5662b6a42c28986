// Reading a labelled CSV file: one sample a line, the class label (an integer >= 0) first, then
// the features. Every malformed input is reported with its line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lastlayer_train {

struct LabelledData {
  std::size_t samples = 0;
  std::size_t inputs = 0;
  std::vector<double> features;       // samples x inputs, row-major, as written in the file
  std::vector<std::uint32_t> labels;  // one per sample
  std::uint32_t max_label = 0;
};

// The first problem found in a file. `line` and `column` count from 1 (column 1 is the label);
// 0 when the problem is not at one place (the file cannot be opened, or has no sample).
struct CsvError {
  std::string path;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;

  // "bad.csv:3:5: ..." in the form compilers use, so editors can jump to it.
  std::string describe() const;
};

// Reads `path`. Blank lines are skipped; spaces around fields and Windows line ends are
// allowed. Features must be finite numbers; labels must be integers in [0, label_limit).
// `label_limit_reason` explains the limit in the message ("--classes 3").
// `expected_inputs` (0: any) fixes the number of features, as the training file does for a test
// file. Returns false and fills *error at the first problem.
bool read_csv(const std::string& path, std::size_t expected_inputs, std::uint32_t label_limit,
              const std::string& label_limit_reason, LabelledData* data, CsvError* error);

}  // namespace lastlayer_train
