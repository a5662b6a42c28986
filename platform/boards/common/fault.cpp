// Reports a fault through semihosting: the exception number, the stacked PC and LR, and the
// fault status registers, then exits with kFaultExitCode.
#include "fault.hpp"

#include <cstdint>

#include "semihosting.hpp"

namespace lastlayer::board {
namespace {

std::uint32_t reg(std::uintptr_t address) {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}

void write_hex(const char* name, std::uint32_t v) {
  char text[] = " name=0x00000000";
  char* p = text + 1;
  for (int i = 0; i < 4 && name[i] != '\0'; ++i) *p++ = name[i];
  *p++ = '=';
  *p++ = '0';
  *p++ = 'x';
  for (int shift = 28; shift >= 0; shift -= 4) *p++ = "0123456789abcdef"[(v >> shift) & 0xF];
  write(text, static_cast<std::size_t>(p - text));
}

}  // namespace

// frame: the exception frame the core stacked (r0-r3, r12, lr, pc, xpsr).
extern "C" [[noreturn]] __attribute__((used)) void fault_report(const std::uint32_t* frame) {
  std::uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  write("\n*** fault:");
  write_hex("exc", ipsr & 0x1FF);
  write_hex("pc", frame[6]);
  write_hex("lr", frame[5]);
  write_hex("cfsr", reg(0xE000ED28));
  write_hex("hfsr", reg(0xE000ED2C));
  write_hex("mmar", reg(0xE000ED34));
  write_hex("bfar", reg(0xE000ED38));
  write("\n");
  exit(kFaultExitCode);
}

// Picks the stack the frame was pushed on (bit 2 of EXC_RETURN) and reports it.
extern "C" __attribute__((naked)) void fault_entry() {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "b fault_report\n\t");
}

}  // namespace lastlayer::board
