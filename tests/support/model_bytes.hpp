// Byte snapshots of an object, to check that a refused call left a model exactly as it was.
#pragma once

#include <cstddef>
#include <cstring>

namespace lastlayer_test {

template <typename T>
struct Snapshot {
  explicit Snapshot(const T& object) : of(&object) { std::memcpy(bytes, &object, sizeof(T)); }
  // True while the object's bytes still equal the snapshot.
  bool unchanged() const { return std::memcmp(bytes, of, sizeof(T)) == 0; }

  const T* of;
  unsigned char bytes[sizeof(T)];
};

}  // namespace lastlayer_test
