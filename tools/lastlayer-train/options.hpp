// The command line of lastlayer-train.
#pragma once

#include <cstdint>
#include <string>

namespace lastlayer_train {

struct Options {
  std::string train_path;
  std::string test_path;   // empty: split the training file
  double split = 0.2;      // test fraction of the stratified split
  std::uint32_t seed = 0;  // split and visiting order, as numpy.random.RandomState(seed)
  std::uint32_t epochs = 10;
  float learning_rate = 0.01f;
  bool auto_learning_rate = false;  // --lr auto: the library's normalized step
  float alpha = 1.0f;               // its factor, in (0, 2)
  bool standardize = false;
  std::uint32_t classes = 0;             // 0: one more than the largest training label
  std::string save_path;                 // checkpoint
  std::string header_path;               // C/C++ header for firmware
  std::string name = "lastlayer_model";  // prefix of the header's identifiers
  bool quiet = false;                    // no progress output
  bool split_given = false;
};

enum class ParseResult { run, help, version, error };

// Fills *opt from argv; on error, *message says what is wrong.
ParseResult parse_options(int argc, char** argv, Options* opt, std::string* message);

// The text of --help.
const char* usage();

}  // namespace lastlayer_train
