// _sbrk for programs that use the heap (the GoogleTest runner does; the library and the demo
// firmware do not). The heap lies between the end of .bss and the stack's reserved area.
#include <cerrno>
#include <cstddef>

#undef errno
extern "C" int errno;
extern "C" char __heap_start[], __heap_end[];

extern "C" void* _sbrk(std::ptrdiff_t increment) {
  static char* brk = __heap_start;
  if (increment > __heap_end - brk || increment < __heap_start - brk) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  char* old = brk;
  brk += increment;
  return old;
}
