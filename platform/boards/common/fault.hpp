// Fault handling: any fault or unexpected exception reports where it happened and ends the run
// with a non-zero exit code, so a crash fails a test instead of hanging it.
#pragma once

namespace lastlayer::board {

// The exit code of a run that faulted.
inline constexpr int kFaultExitCode = 125;

// Vector table entry for every fault and unexpected exception.
extern "C" void fault_entry();

}  // namespace lastlayer::board
