// A power-loss-safe checkpoint store: two slots (A/B) in flash-like storage that the caller
// reaches through three callbacks. A save always writes the slot that does not hold the newest
// checkpoint and commits it last, so a power cut at any instant leaves the newest complete
// checkpoint readable: after a restart, restore yields the model before the interrupted save or
// the one it was saving, never a mixture and never nothing. docs/checkpoint-store.md has the
// record layout and the argument. No heap: the caller lends a buffer for the duration of a call.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lastlayer/checkpoint.hpp"
#include "lastlayer/classifier.hpp"
#include "lastlayer/model_view.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer {

// The storage, as flash behaves: erase sets a whole erase unit to 0xFF; write only programs
// erased bytes, in whole write units at aligned offsets; reads have no alignment. Offsets are
// from the start of the device. Each callback returns 0 on success and anything else on failure.
// Plain function pointers and a context, so C firmware can fill it in too.
struct CheckpointStorage {
  void* context;
  int (*read)(void* context, std::size_t offset, std::uint8_t* out, std::size_t size);
  // offset and size are multiples of write_size.
  int (*write)(void* context, std::size_t offset, const std::uint8_t* in, std::size_t size);
  // One erase unit per call: offset is a multiple of erase_size, size == erase_size.
  int (*erase)(void* context, std::size_t offset, std::size_t size);
  std::size_t slot_offset[2];  // start of slot A and slot B, multiples of erase_size
  std::size_t slot_size;       // bytes per slot, a multiple of erase_size; slots must not overlap
  std::size_t erase_size;      // erase unit (sector) in bytes, > 0
  std::size_t write_size;      // program unit in bytes, > 0 (1, 4, 8, 16, 256, ...)
};

// Layout of a record in a slot: a 16-byte header (magic, sequence number, checkpoint length,
// CRC-32 of the header), the checkpoint, padding to a write unit, then the commit mark (magic
// and the sequence number again) in write units of its own, written last.
inline constexpr std::size_t kRecordHeaderBytes = 16;
inline constexpr std::size_t kRecordCommitBytes = 8;

constexpr std::size_t round_up_to(std::size_t n, std::size_t unit) {
  return unit == 0 ? 0 : (n + unit - 1) / unit * unit;
}

// Bytes a record of a d x k model takes in a slot with this write unit; also the size of the
// buffer that store_checkpoint and restore_checkpoint need. 0 for a shape without a checkpoint.
constexpr std::size_t checkpoint_record_size(std::size_t d, std::size_t k, std::size_t write_size) {
  const std::size_t n = checkpoint_size(d, k);
  if (n == 0 || write_size == 0) return 0;
  return round_up_to(kRecordHeaderBytes + n, write_size) +
         round_up_to(kRecordCommitBytes, write_size);
}

// Saves m into the slot that does not hold the newest valid record, with the next sequence
// number, reads it back, and commits it. `buffer` (at least checkpoint_record_size bytes) is
// only used during the call. *sequence (when not null) gets the new record's sequence number.
// Statuses: invalid_argument (null callback or buffer, inconsistent geometry, a record that
// does not fit a slot), buffer_too_small, non_finite (m holds a value no checkpoint may),
// storage_error (a callback failed, or the read-back differed: the new record is then not
// committed and the previous one is still the newest). A failed read while looking for the
// newest record stops the save before anything is erased.
Status store_checkpoint(const CheckpointStorage& storage, const ConstModelView& m,
                        std::uint8_t* buffer, std::size_t buffer_size,
                        std::uint32_t* sequence = nullptr);

// Loads the newest valid record for m's shape into m. A slot counts as valid when its header,
// commit mark and checkpoint all check out; a damaged newest record falls back to the other.
// Statuses: invalid_argument, buffer_too_small, storage_error (a read failed), no_checkpoint
// (no valid record of this shape), or a load_checkpoint status. On any error m is unchanged.
Status restore_checkpoint(const CheckpointStorage& storage, const ModelView& m,
                          std::uint8_t* buffer, std::size_t buffer_size,
                          std::uint32_t* sequence = nullptr);

// The same for a Classifier.
template <std::size_t D, std::size_t K>
Status store_checkpoint(const CheckpointStorage& storage, const Classifier<D, K>& model,
                        std::uint8_t* buffer, std::size_t buffer_size,
                        std::uint32_t* sequence = nullptr) {
  return store_checkpoint(storage, model.view(), buffer, buffer_size, sequence);
}

template <std::size_t D, std::size_t K>
Status restore_checkpoint(const CheckpointStorage& storage, Classifier<D, K>& model,
                          std::uint8_t* buffer, std::size_t buffer_size,
                          std::uint32_t* sequence = nullptr) {
  return restore_checkpoint(storage, model.view(), buffer, buffer_size, sequence);
}

}  // namespace lastlayer
