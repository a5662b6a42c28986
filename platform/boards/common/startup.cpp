// Reset and vector table for the emulated Cortex-M boards: enable the FPU (and Helium, which
// shares CP10/CP11), copy .data, zero .bss, run static constructors, call main, and hand its
// return value to the host as the exit code.
#include <cstdint>

#include "fault.hpp"
#include "semihosting.hpp"

// Symbols of the linker script (sections.ld).
extern "C" {
extern std::uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern std::uint32_t __stack_top[];
extern void (*__preinit_array_start[])(), (*__preinit_array_end[])();
extern void (*__init_array_start[])(), (*__init_array_end[])();
int main(int argc, char** argv);
[[noreturn]] void Reset_Handler();
}

namespace {

constexpr std::uintptr_t kCpacr = 0xE000ED88;

// Runs before anything that may use a floating-point or vector register.
inline void enable_fpu() {
  auto& cpacr = *reinterpret_cast<volatile std::uint32_t*>(kCpacr);
  cpacr = cpacr | (0xFu << 20);  // CP10 and CP11: full access
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

using Handler = void (*)();

}  // namespace

// What crtbegin.o and crti.o provide on a hosted system (-nostartfiles drops them): the handle
// static destructors register with, and the init/fini hooks newlib calls. Nothing to do here.
extern "C" {
void* __dso_handle = &__dso_handle;
void _init() {}
void _fini() {}
}

// The 16 system exceptions; no peripheral interrupt is enabled, so none is listed.
__attribute__((used, section(".vectors"))) const Handler vector_table[16] = {
    reinterpret_cast<Handler>(__stack_top),
    Reset_Handler,
    lastlayer::board::fault_entry,  // NMI
    lastlayer::board::fault_entry,  // HardFault
    lastlayer::board::fault_entry,  // MemManage
    lastlayer::board::fault_entry,  // BusFault
    lastlayer::board::fault_entry,  // UsageFault
    lastlayer::board::fault_entry,  // SecureFault (Armv8-M)
    nullptr,
    nullptr,
    nullptr,
    lastlayer::board::fault_entry,  // SVCall
    lastlayer::board::fault_entry,  // DebugMonitor
    nullptr,
    lastlayer::board::fault_entry,  // PendSV
    lastlayer::board::fault_entry,  // SysTick
};

extern "C" void Reset_Handler() {
  enable_fpu();
  // Volatile so the compiler keeps these loops as they are instead of calling memcpy/memset
  // before the C library's state exists.
  volatile std::uint32_t* dst = __data_start;
  for (const std::uint32_t* src = __data_load; dst < __data_end;) *dst++ = *src++;
  for (dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  for (auto* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (auto* f = __init_array_start; f < __init_array_end; ++f) (*f)();

  static char program[] = "firmware";
  static char* argv[] = {program, nullptr};
  lastlayer::board::exit(main(1, argv));
}
