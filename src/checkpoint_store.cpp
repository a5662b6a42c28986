// The A/B checkpoint store (docs/checkpoint-store.md). The order of operations is the whole
// point: find the newest valid record, erase and write the other slot, read it back, and only
// then write the commit mark that makes it count.
#include "lastlayer/checkpoint_store.hpp"

#include <cstring>

#include "byte_order.hpp"
#include "lastlayer/crc32.hpp"

namespace lastlayer {
namespace {

constexpr std::uint8_t kRecordMagic[4] = {'L', 'L', 'A', 'B'};
constexpr std::uint8_t kCommitMagic[4] = {'L', 'L', 'O', 'K'};
constexpr std::size_t kMaxSize = static_cast<std::size_t>(-1);

bool valid_geometry(const CheckpointStorage& s, std::size_t record) {
  if (s.read == nullptr || s.write == nullptr || s.erase == nullptr) return false;
  if (s.erase_size == 0 || s.write_size == 0 || s.slot_size == 0) return false;
  if (s.slot_size % s.erase_size != 0) return false;
  for (std::size_t offset : s.slot_offset) {
    if (offset % s.erase_size != 0 || offset % s.write_size != 0) return false;
    if (offset > kMaxSize - s.slot_size) return false;
  }
  const std::size_t a = s.slot_offset[0], b = s.slot_offset[1];
  if (a < b ? a + s.slot_size > b : b + s.slot_size > a) return false;  // overlap
  return record != 0 && record <= s.slot_size;
}

// a was written after b, in serial-number arithmetic (so the counter may wrap).
bool newer(std::uint32_t a, std::uint32_t b) {
  const std::uint32_t diff = a - b;
  return diff != 0 && diff < 0x80000000u;
}

enum class Slot { valid, invalid, read_error };

// Reads slot i's record; when it is complete and holds a valid checkpoint for a d x k model,
// *seq gets its sequence number and buffer[kRecordHeaderBytes, +checkpoint_size) the checkpoint.
Slot check_slot(const CheckpointStorage& s, std::size_t i, std::size_t d, std::size_t k,
                std::uint8_t* buffer, std::uint32_t* seq) {
  const std::size_t n = checkpoint_size(d, k);
  const std::size_t base = s.slot_offset[i];
  if (s.read(s.context, base, buffer, kRecordHeaderBytes + n) != 0) return Slot::read_error;
  if (std::memcmp(buffer, kRecordMagic, 4) != 0) return Slot::invalid;
  if (crc32(buffer, 12) != detail::get_u32(buffer + 12)) return Slot::invalid;
  if (detail::get_u32(buffer + 8) != n) return Slot::invalid;
  if (verify_checkpoint(buffer + kRecordHeaderBytes, n, d, k) != Status::ok) return Slot::invalid;
  std::uint8_t commit[kRecordCommitBytes];
  const std::size_t commit_at = base + round_up_to(kRecordHeaderBytes + n, s.write_size);
  if (s.read(s.context, commit_at, commit, sizeof commit) != 0) return Slot::read_error;
  const std::uint32_t sq = detail::get_u32(buffer + 4);
  if (std::memcmp(commit, kCommitMagic, 4) != 0 || detail::get_u32(commit + 4) != sq) {
    return Slot::invalid;
  }
  *seq = sq;
  return Slot::valid;
}

// Scans both slots. *newest is the slot with the newest valid record, or 2 when neither holds
// one.
Status find_newest(const CheckpointStorage& s, std::size_t d, std::size_t k, std::uint8_t* buffer,
                   std::size_t* newest, std::uint32_t* seq) {
  bool valid[2] = {false, false};
  std::uint32_t sq[2] = {0, 0};
  for (std::size_t i = 0; i < 2; ++i) {
    const Slot r = check_slot(s, i, d, k, buffer, &sq[i]);
    if (r == Slot::read_error) return Status::storage_error;
    valid[i] = r == Slot::valid;
  }
  if (!valid[0] && !valid[1]) {
    *newest = 2;
  } else {
    *newest = (valid[0] && !(valid[1] && newer(sq[1], sq[0]))) ? 0 : 1;
    *seq = sq[*newest];
  }
  return Status::ok;
}

// Storage at offset holds exactly expect[0, size).
bool reads_back(const CheckpointStorage& s, std::size_t offset, const std::uint8_t* expect,
                std::size_t size) {
  std::uint8_t chunk[32];
  for (std::size_t done = 0; done < size; done += sizeof chunk) {
    const std::size_t n = size - done < sizeof chunk ? size - done : sizeof chunk;
    if (s.read(s.context, offset + done, chunk, n) != 0) return false;
    if (std::memcmp(chunk, expect + done, n) != 0) return false;
  }
  return true;
}

// The checks both directions share, then the scan for the newest valid slot: *record is the
// slot record's size, *newest the slot (2: none) and *seq its sequence number.
Status scan(const CheckpointStorage& s, std::size_t d, std::size_t k, std::uint8_t* buffer,
            std::size_t buffer_size, std::size_t* record, std::size_t* newest, std::uint32_t* seq) {
  *record = checkpoint_record_size(d, k, s.write_size);
  if (buffer == nullptr || !valid_geometry(s, *record)) return Status::invalid_argument;
  if (buffer_size < *record) return Status::buffer_too_small;
  return find_newest(s, d, k, buffer, newest, seq);
}

}  // namespace

Status store_checkpoint(const CheckpointStorage& storage, const ConstModelView& m,
                        std::uint8_t* buffer, std::size_t buffer_size, std::uint32_t* sequence) {
  const CheckpointStorage& s = storage;
  std::size_t record = 0, newest = 2;
  std::uint32_t last = 0;
  const Status found = scan(s, m.inputs, m.classes, buffer, buffer_size, &record, &newest, &last);
  if (found != Status::ok) return found;
  // Never touch the newest record; all-ones is skipped because erased flash reads as all-ones.
  const std::size_t target = newest == 0 ? 1 : 0;
  std::uint32_t next = newest == 2 ? 1u : last + 1u;
  if (next == 0xFFFFFFFFu) next = 0;

  const std::size_t n = checkpoint_size(m.inputs, m.classes);
  std::size_t written = 0;
  const Status saved =
      save_checkpoint(m, buffer + kRecordHeaderBytes, buffer_size - kRecordHeaderBytes, &written);
  if (saved != Status::ok) return saved;
  std::memcpy(buffer, kRecordMagic, 4);
  detail::put_u32(buffer + 4, next);
  detail::put_u32(buffer + 8, static_cast<std::uint32_t>(n));
  detail::put_u32(buffer + 12, crc32(buffer, 12));
  const std::size_t body = round_up_to(kRecordHeaderBytes + n, s.write_size);
  std::memset(buffer + kRecordHeaderBytes + n, 0xFF, record - kRecordHeaderBytes - n);
  std::memcpy(buffer + body, kCommitMagic, 4);
  detail::put_u32(buffer + body + 4, next);

  const std::size_t base = s.slot_offset[target];
  for (std::size_t offset = 0; offset < record; offset += s.erase_size) {
    if (s.erase(s.context, base + offset, s.erase_size) != 0) return Status::storage_error;
  }
  if (s.write(s.context, base, buffer, body) != 0) return Status::storage_error;
  // A record whose bytes did not all land is left uncommitted: it never counts as valid.
  if (!reads_back(s, base, buffer, body)) return Status::storage_error;
  if (s.write(s.context, base + body, buffer + body, record - body) != 0) {
    return Status::storage_error;
  }
  if (!reads_back(s, base + body, buffer + body, record - body)) return Status::storage_error;
  if (sequence != nullptr) *sequence = next;
  return Status::ok;
}

Status restore_checkpoint(const CheckpointStorage& storage, const ModelView& m,
                          std::uint8_t* buffer, std::size_t buffer_size, std::uint32_t* sequence) {
  const CheckpointStorage& s = storage;
  std::size_t record = 0, newest = 2;
  std::uint32_t seq = 0;
  Status st = scan(s, m.inputs, m.classes, buffer, buffer_size, &record, &newest, &seq);
  if (st != Status::ok) return st;
  if (newest == 2) return Status::no_checkpoint;
  // The scan of the other slot may have overwritten the buffer: read the newest again. Should
  // the storage now return something else, load_checkpoint's own checks refuse it.
  std::uint32_t again = 0;
  const Slot r = check_slot(s, newest, m.inputs, m.classes, buffer, &again);
  if (r != Slot::valid || again != seq) return Status::storage_error;
  st = load_checkpoint(m, buffer + kRecordHeaderBytes, checkpoint_size(m.inputs, m.classes));
  if (st == Status::ok && sequence != nullptr) *sequence = seq;
  return st;
}

}  // namespace lastlayer
