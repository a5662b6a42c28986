// The few pieces of the Arduino core the example sketch uses, on the host, so the manifest test
// can compile the sketch against the packaged library as the Arduino builder would.
#pragma once

#include <cstdio>

struct HostSerial {
  void begin(long) {}
  void print(const char* s) { std::fputs(s, stdout); }
  void print(unsigned long v) { std::printf("%lu", v); }
  void println(const char* s) { std::puts(s); }
  void println(float v) { std::printf("%.2f\n", static_cast<double>(v)); }
};
inline HostSerial Serial;
