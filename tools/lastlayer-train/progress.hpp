// Progress of training: a bar redrawn in place on a terminal, one plain line per epoch
// otherwise (logs, pipes, CI).
#pragma once

#include <cstddef>
#include <cstdio>

namespace lastlayer_train {

class Progress {
 public:
  // `terminal`: draw the bar; `quiet`: print nothing.
  Progress(std::FILE* out, bool terminal, bool quiet, std::size_t epochs, std::size_t steps);

  // `done` steps of epoch `epoch` (from 1) are finished.
  void step(std::size_t epoch, std::size_t done);
  // Epoch `epoch` is finished, with these training metrics.
  void epoch_done(std::size_t epoch, double loss, double accuracy);
  // Ends the bar's line.
  void finish();

  // True when `f` is an interactive terminal.
  static bool is_terminal(std::FILE* f);

 private:
  void draw(std::size_t epoch, std::size_t done);

  std::FILE* out_;
  bool terminal_;
  bool quiet_;
  std::size_t epochs_;
  std::size_t steps_;
  std::size_t last_fill_ = static_cast<std::size_t>(-1);
  double last_loss_ = -1.0;
  bool drawn_ = false;
};

}  // namespace lastlayer_train
