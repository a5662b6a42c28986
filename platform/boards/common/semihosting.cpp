// Semihosting calls: operation in r0, argument block in r1, then BKPT 0xAB on M-profile.
#include "semihosting.hpp"

#include <cstdint>

namespace lastlayer::board {
namespace {

constexpr std::uintptr_t kSysOpen = 0x01;
constexpr std::uintptr_t kSysWrite = 0x05;
constexpr std::uintptr_t kSysClock = 0x10;
constexpr std::uintptr_t kSysExitExtended = 0x20;
constexpr std::uintptr_t kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit
constexpr std::uintptr_t kOpenWrite = 4;              // mode "w"

std::uintptr_t call(std::uintptr_t op, const void* block) {
  register std::uintptr_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

// ":tt" opened for writing is the host console; opened on first use and kept.
std::uintptr_t console() {
  static std::uintptr_t handle = ~std::uintptr_t{0};
  if (handle == ~std::uintptr_t{0}) {
    static const char name[] = ":tt";
    const std::uintptr_t block[3] = {reinterpret_cast<std::uintptr_t>(name), kOpenWrite,
                                     sizeof name - 1};
    handle = call(kSysOpen, block);
  }
  return handle;
}

}  // namespace

void write(const char* text, std::size_t n) {
  if (n == 0) return;
  const std::uintptr_t block[3] = {console(), reinterpret_cast<std::uintptr_t>(text), n};
  call(kSysWrite, block);
}

void write(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  write(text, n);
}

long clock_centiseconds() {
  return static_cast<long>(call(kSysClock, nullptr));
}

void exit(int code) {
  const std::uintptr_t block[2] = {kApplicationExit, static_cast<std::uintptr_t>(code)};
  for (;;) call(kSysExitExtended, block);
}

}  // namespace lastlayer::board
