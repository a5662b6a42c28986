// Checkpoints: a model's weights and biases as a portable byte string (docs/checkpoint-format.md).
// Written once over model views, so Classifier<D, K>, the C API and host tools with runtime sizes
// share one implementation. No heap: the caller owns every buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer/model_view.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer {

// Layout constants of format version 1.
inline constexpr std::uint8_t kCheckpointMagic[4] = {'L', 'L', 'C', 'K'};
inline constexpr std::uint16_t kCheckpointVersion = 1;
inline constexpr std::uint8_t kCheckpointFloat32 = 1;  // element type: IEEE-754 binary32
inline constexpr std::size_t kCheckpointHeaderBytes = 16;
inline constexpr std::size_t kCheckpointTrailerBytes = 4;  // the CRC-32

// Bytes of the checkpoint of a model with d inputs and k classes: a 16-byte header, k * d
// weights and k biases of 4 bytes each, and a 4-byte CRC. 0 for a shape that has no checkpoint
// (d or k zero or above 2^32 - 1, or a size that does not fit in std::size_t).
constexpr std::size_t checkpoint_size(std::size_t d, std::size_t k) {
  constexpr std::size_t kFixed = kCheckpointHeaderBytes + kCheckpointTrailerBytes;
  constexpr std::size_t kMaxValues = (static_cast<std::size_t>(-1) - kFixed) / 4;
  if (d == 0 || k == 0) return 0;
  // D and K are stored as u32. A shift, not a compare, so 32-bit targets see no always-false
  // comparison (-Wtype-limits).
  if ((static_cast<std::uint64_t>(d) >> 32) != 0 || (static_cast<std::uint64_t>(k) >> 32) != 0) {
    return 0;
  }
  if (d >= kMaxValues || k > kMaxValues / (d + 1)) return 0;
  return kFixed + 4 * k * (d + 1);
}

// Writes the checkpoint of m to out[0, checkpoint_size) and its length to *written.
// invalid_argument: a null pointer or a view without a checkpoint shape; buffer_too_small:
// capacity < checkpoint_size(D, K); non_finite: the model holds a value a checkpoint may not
// (NaN, Inf, or past the weight limit; only possible in a view written by hand). On any error
// nothing is written to out and *written (when not null) is 0.
Status save_checkpoint(const ConstModelView& m, std::uint8_t* out, std::size_t capacity,
                       std::size_t* written);

// Checks in[0, size) as a checkpoint for a d x k model without touching any model: the same
// checks, in the same order and with the same statuses, as load_checkpoint.
Status verify_checkpoint(const std::uint8_t* in, std::size_t size, std::size_t d, std::size_t k);

// Reads D and K from a checkpoint's header (for tools that size the model from the file). Checks
// only the magic, version, element type and that the length matches; not the CRC.
Status checkpoint_shape(const std::uint8_t* in, std::size_t size, std::size_t* d, std::size_t* k);

// Replaces m's weights and biases with the checkpoint in[0, size), which must be exactly one
// checkpoint. The statuses, checked in this order: invalid_argument (null pointer or bad view),
// truncated (shorter than a header), bad_magic, bad_version (version, element type or reserved
// byte), shape_mismatch (D or K differ from m's), truncated (size differs from the checkpoint's
// length), bad_checksum, non_finite (a value NaN, Inf or past the weight limit). Everything is
// verified before the first write: on any error m's bytes are unchanged.
Status load_checkpoint(const ModelView& m, const std::uint8_t* in, std::size_t size);

}  // namespace lastlayer
