#include "options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace lastlayer_train {
namespace {

bool parse_u32(const char* text, std::uint32_t* out) {
  if (*text == '\0' || *text == '-' || *text == '+') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (*end != '\0' || errno == ERANGE || v > 0xFFFFFFFFull) return false;
  *out = static_cast<std::uint32_t>(v);
  return true;
}

bool parse_double(const char* text, double* out) {
  errno = 0;
  char* end = nullptr;
  *out = std::strtod(text, &end);
  return *text != '\0' && *end == '\0' && errno != ERANGE && std::isfinite(*out);
}

bool valid_identifier(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const char* usage() {
  return R"(usage: lastlayer-train --train FILE [options]

Trains a soft-max classifier (multinomial logistic regression) with per-sample SGD in float32,
on the same algorithms as the lastlayer library, and prints its metrics. The last line of the
output is always `test accuracy: 0.XXXX`.

Input files are CSV without a header: on each line the class label (an integer 0, 1, ...)
first, then the features. Blank lines are skipped. Malformed input (a field that is not a
number, a wrong number of columns, a label out of range, an empty file) stops the program with
FILE:LINE:COLUMN and a reason, and exit status 1.

Data:
  --train FILE        training samples (required)
  --test FILE         test samples; without it the training file is split
  --split F           stratified split of the training file, fraction F in (0, 1) for testing
                      (default 0.2); the same split as scikit-learn's
                      train_test_split(test_size=F, stratify=y, random_state=S)
  --seed S            seed of the split and of the visiting order (default 0)
  --classes K         number of classes (default: one more than the largest training label);
                      labels must be in 0..K-1. --split supports at most 64 classes.
  --standardize       scale each feature to mean 0 and standard deviation 1 with the training
                      samples' mean and population standard deviation

Training:
  --epochs N          passes over the training samples (default 10); each epoch visits them in
                      the order of the next numpy.random.RandomState(S).permutation(n_train)
  --lr X|auto         learning rate, finite and > 0 (default 0.01). `auto` takes the
                      library's normalized step for each sample, alpha / ((|x|^2 + 1) / 2),
                      which never raises the loss of the sample it learns from
  --alpha A           the factor of --lr auto, in (0, 2) (default 1)

Output:
  --save FILE         the trained model as a checkpoint (weights and biases, CRC-32 checked;
                      load it with lastlayer_load or Classifier::load). Standardization
                      constants are not in it: use --export-header for those.
  --export-header FILE
                      a C/C++ header for firmware: the sizes, the standardization constants
                      (mean and scale; 0 and 1 without --standardize), the weights and biases,
                      and the checkpoint bytes ready for lastlayer_load
  --name NAME         prefix of the identifiers in the exported header (default
                      lastlayer_model)
  --quiet             no progress output
  -h, --help          this text
  --version           the library version

Progress: on a terminal, a progress bar; otherwise one line per epoch with the training loss
and accuracy. Then the final training and test metrics, the test confusion matrix (rows: true
class, columns: predicted class), and last `test accuracy: 0.XXXX`.

Exit status: 0 on success, 1 on bad input or a failed training step, 2 on a bad command line.
)";
}

ParseResult parse_options(int argc, char** argv, Options* opt, std::string* message) {
  auto error = [message](std::string text) {
    *message = std::move(text);
    return ParseResult::error;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") return ParseResult::help;
    if (arg == "--version") return ParseResult::version;
    if (arg == "--standardize") {
      opt->standardize = true;
      continue;
    }
    if (arg == "--quiet") {
      opt->quiet = true;
      continue;
    }
    const bool takes_value = arg == "--train" || arg == "--test" || arg == "--split" ||
                             arg == "--alpha" || arg == "--seed" || arg == "--epochs" ||
                             arg == "--lr" || arg == "--classes" || arg == "--save" ||
                             arg == "--export-header" || arg == "--name";
    if (!takes_value) return error("unknown option '" + arg + "' (see --help)");
    if (i + 1 >= argc) return error(arg + " needs a value (see --help)");
    const char* value = argv[++i];
    if (arg == "--train") {
      opt->train_path = value;
    } else if (arg == "--test") {
      opt->test_path = value;
    } else if (arg == "--split") {
      if (!parse_double(value, &opt->split) || !(opt->split > 0.0 && opt->split < 1.0)) {
        return error("--split wants a fraction between 0 and 1, not '" + std::string(value) + "'");
      }
      opt->split_given = true;
    } else if (arg == "--seed") {
      if (!parse_u32(value, &opt->seed)) {
        return error("--seed wants an integer from 0 to 4294967295, not '" + std::string(value) +
                     "'");
      }
    } else if (arg == "--epochs") {
      if (!parse_u32(value, &opt->epochs)) {
        return error("--epochs wants a non-negative integer, not '" + std::string(value) + "'");
      }
    } else if (arg == "--lr") {
      double lr = 0.0;
      if (std::strcmp(value, "auto") == 0) {
        opt->auto_learning_rate = true;
      } else if (!parse_double(value, &lr) || !(lr > 0.0) ||
                 !std::isfinite(static_cast<float>(lr))) {
        return error("--lr wants a finite number > 0 or 'auto', not '" + std::string(value) + "'");
      } else {
        opt->auto_learning_rate = false;
        opt->learning_rate = static_cast<float>(lr);
      }
    } else if (arg == "--alpha") {
      double alpha = 0.0;
      if (!parse_double(value, &alpha) || !(alpha > 0.0 && alpha < 2.0)) {
        return error("--alpha wants a number between 0 and 2, not '" + std::string(value) + "'");
      }
      opt->alpha = static_cast<float>(alpha);
    } else if (arg == "--classes") {
      if (!parse_u32(value, &opt->classes) || opt->classes == 0) {
        return error("--classes wants a positive integer, not '" + std::string(value) + "'");
      }
    } else if (arg == "--save") {
      opt->save_path = value;
    } else if (arg == "--export-header") {
      opt->header_path = value;
    } else if (arg == "--name") {
      opt->name = value;
      if (!valid_identifier(opt->name)) {
        return error("--name wants a C identifier, not '" + opt->name + "'");
      }
    }
  }
  if (opt->train_path.empty()) return error("--train FILE is required (see --help)");
  if (!opt->test_path.empty() && opt->split_given) {
    return error("--test and --split exclude each other: give one");
  }
  return ParseResult::run;
}

}  // namespace lastlayer_train
