#include "report.hpp"

#include <algorithm>
#include <string>

namespace lastlayer_train {

void print_metrics(std::FILE* out, const char* part, const Metrics& m) {
  std::fprintf(out, "%s cross-entropy: %.4f\n", part, m.loss);
  std::fprintf(out, "%s accuracy: %.4f\n", part, m.accuracy);
}

void print_confusion(std::FILE* out, const Metrics& m, std::size_t classes) {
  std::size_t widest = 1;
  for (std::size_t c : m.confusion) widest = std::max(widest, std::to_string(c).size());
  const int w = static_cast<int>(std::max(widest, std::to_string(classes - 1).size()));
  std::fprintf(out, "confusion matrix (test; rows: true class, columns: predicted class):\n");
  std::fprintf(out, "%*s", w + 1, "");
  for (std::size_t k = 0; k < classes; ++k) std::fprintf(out, " %*zu", w, k);
  std::fprintf(out, "\n");
  for (std::size_t t = 0; t < classes; ++t) {
    std::fprintf(out, "%*zu:", w, t);
    for (std::size_t k = 0; k < classes; ++k) {
      std::fprintf(out, " %*zu", w, m.confusion[t * classes + k]);
    }
    std::fprintf(out, "\n");
  }
}

}  // namespace lastlayer_train
