// The final metrics and the confusion matrix, as printed at the end of a run.
#pragma once

#include <cstddef>
#include <cstdio>

#include "trainer.hpp"

namespace lastlayer_train {

// "<part> cross-entropy: 0.0662" and "<part> accuracy: 0.9903".
void print_metrics(std::FILE* out, const char* part, const Metrics& m);

// The K x K counts, rows = true class, columns = predicted class.
void print_confusion(std::FILE* out, const Metrics& m, std::size_t classes);

}  // namespace lastlayer_train
