#include "progress.hpp"

#include <string>

#if defined(_WIN32)
#include <io.h>
#define LASTLAYER_ISATTY(fd) _isatty(fd)
#define LASTLAYER_FILENO(f) _fileno(f)
#else
#include <unistd.h>
#define LASTLAYER_ISATTY(fd) isatty(fd)
#define LASTLAYER_FILENO(f) fileno(f)
#endif

namespace lastlayer_train {
namespace {
constexpr std::size_t kBarWidth = 30;
}

Progress::Progress(std::FILE* out, bool terminal, bool quiet, std::size_t epochs, std::size_t steps)
    : out_(out), terminal_(terminal), quiet_(quiet), epochs_(epochs), steps_(steps) {}

bool Progress::is_terminal(std::FILE* f) {
  return LASTLAYER_ISATTY(LASTLAYER_FILENO(f)) != 0;
}

void Progress::draw(std::size_t epoch, std::size_t done) {
  const std::size_t total = epochs_ * steps_;
  const std::size_t finished = (epoch - 1) * steps_ + done;
  const std::size_t fill = total == 0 ? kBarWidth : finished * kBarWidth / total;
  // Redraw only when the bar moves: a terminal is slow next to one SGD step.
  if (fill == last_fill_ && done != steps_) return;
  last_fill_ = fill;
  const std::string bar = std::string(fill, '#') + std::string(kBarWidth - fill, '.');
  std::fprintf(out_, "\r[%s] epoch %zu/%zu", bar.c_str(), epoch, epochs_);
  if (last_loss_ >= 0.0) std::fprintf(out_, "  train loss %.4f", last_loss_);
  std::fflush(out_);
  drawn_ = true;
}

void Progress::step(std::size_t epoch, std::size_t done) {
  if (quiet_ || !terminal_) return;
  draw(epoch, done);
}

void Progress::epoch_done(std::size_t epoch, double loss, double accuracy) {
  if (quiet_) return;
  last_loss_ = loss;
  if (terminal_) {
    last_fill_ = static_cast<std::size_t>(-1);
    draw(epoch, steps_);
  } else {
    std::fprintf(out_, "epoch %zu/%zu: train loss %.4f, train accuracy %.4f\n", epoch, epochs_,
                 loss, accuracy);
  }
}

void Progress::finish() {
  if (!quiet_ && terminal_ && drawn_) std::fprintf(out_, "\n");
  std::fflush(out_);
}

}  // namespace lastlayer_train
