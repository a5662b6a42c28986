// Arm semihosting: the program asks the debugger (here QEMU) to write text and to end the run.
// The only I/O the emulated boards need; nothing here touches the heap.
#pragma once

#include <cstddef>

namespace lastlayer::board {

// Writes n bytes to the host console (QEMU's stderr).
void write(const char* text, std::size_t n);
// Writes a NUL-terminated string.
void write(const char* text);

// Centiseconds since the run started (SYS_CLOCK), or -1 when the host cannot tell.
long clock_centiseconds();

// Ends the run; the host process exits with `code` (SYS_EXIT_EXTENDED carries any value,
// plain SYS_EXIT only success or failure).
[[noreturn]] void exit(int code);

}  // namespace lastlayer::board
