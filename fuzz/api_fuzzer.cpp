// Random sequences of public API calls with arbitrary features, labels, targets, learning
// rates and checkpoint damage; the invariants (tests/support/api_driver.hpp) are checked after
// every call: finite weights within the model's bound, zero row padding, and no change at all
// after a call that returned an error.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "support/api_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static lastlayer_test::ApiDriver<5, 3> driver;
  driver = lastlayer_test::ApiDriver<5, 3>();  // each input starts from the zero model
  lastlayer_test::ByteSource in(data, size);
  for (int call = 0; !in.empty(); ++call) {
    if (const char* broken = driver.step(in)) {
      std::fprintf(stderr, "invariant broken at call %d: %s\n", call, broken);
      std::abort();
    }
  }
  return 0;
}
