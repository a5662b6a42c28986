// load on arbitrary bytes: either a status with the model unchanged, or a model whose saved
// checkpoint is exactly the input. The same bytes, read as a flash image, go to the A/B store's
// restore, which must hold to the same rule.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lastlayer/checkpoint_store.hpp"
#include "lastlayer/lastlayer.hpp"

namespace {

using Model = lastlayer::Classifier<3, 2>;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

// A model that is not all zeros, so "unchanged" means something.
void prime(Model& m) {
  for (std::size_t k = 0; k < 2; ++k) {
    m.set_bias(k, 0.5f + static_cast<float>(k));
    for (std::size_t j = 0; j < 3; ++j) m.set_weight(k, j, static_cast<float>(k * 3 + j) - 2.5f);
  }
}

void check_load(const std::uint8_t* data, std::size_t size) {
  static Model m;
  prime(m);
  unsigned char before[sizeof m];
  std::memcpy(before, &m, sizeof m);
  const lastlayer::Status s = m.load(data, size);
  if (s != lastlayer::verify_checkpoint(data, size, 3, 2)) fail("load and verify disagree");
  if (s != lastlayer::Status::ok) {
    if (std::memcmp(before, &m, sizeof m) != 0) fail("a refused load changed the model");
    return;
  }
  std::uint8_t out[Model::checkpoint_size];
  std::size_t n = 0;
  if (m.save(out, sizeof out, &n) != lastlayer::Status::ok) fail("a loaded model did not save");
  if (n != size || std::memcmp(out, data, n) != 0) fail("load -> save changed the bytes");
}

struct Image {
  const std::uint8_t* data;
  std::size_t size;
};

int read(void* c, std::size_t offset, std::uint8_t* out, std::size_t size) {
  const Image* im = static_cast<const Image*>(c);
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = offset + i < im->size ? im->data[offset + i] : 0xFF;  // erased beyond the input
  }
  return 0;
}
int no_write(void*, std::size_t, const std::uint8_t*, std::size_t) {
  return -1;
}
int no_erase(void*, std::size_t, std::size_t) {
  return -1;
}

void check_restore(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kRecord = lastlayer::checkpoint_record_size(3, 2, 4);
  constexpr std::size_t kSlot = (kRecord + 63) / 64 * 64;
  Image image{data, size};
  const lastlayer::CheckpointStorage storage{&image,     read,  no_write, no_erase,
                                             {0, kSlot}, kSlot, 64,       4};
  static Model m;
  prime(m);
  unsigned char before[sizeof m];
  std::memcpy(before, &m, sizeof m);
  std::uint8_t buffer[kRecord];
  const lastlayer::Status s = lastlayer::restore_checkpoint(storage, m, buffer, sizeof buffer);
  if (s != lastlayer::Status::ok && std::memcmp(before, &m, sizeof m) != 0) {
    fail("a refused restore changed the model");
  }
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t j = 0; j < 3; ++j) {
      if (!(m.weight(k, j) == m.weight(k, j))) fail("restore produced a NaN");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_load(data, size);
  check_restore(data, size);
  return 0;
}
