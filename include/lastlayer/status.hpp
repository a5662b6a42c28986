// Status: how every fallible call in lastlayer reports its outcome (no exceptions).
#pragma once

namespace lastlayer {

enum class Status : unsigned char {
  ok = 0,
  invalid_label,     // a class label >= K (or negative)
  non_finite,        // a NaN or Inf in the features, or logits that overflow
  invalid_argument,  // bad learning rate, bad soft target, null pointer, index out of range
  diverged,          // the step would make a weight non-finite; it was refused
  empty_batch,       // a mini-batch step with no accumulated sample
  // Checkpoints (docs/checkpoint-format.md) and the A/B checkpoint store.
  buffer_too_small,  // the output buffer cannot hold the checkpoint
  truncated,         // the input's length is not the checkpoint's length (cut short or extra bytes)
  bad_magic,         // the input does not start with the checkpoint magic
  bad_version,       // a format version or element type this build does not read
  shape_mismatch,    // the checkpoint's D or K differs from the model's
  bad_checksum,      // the CRC-32 does not match: the bytes were corrupted
  storage_error,     // a storage callback reported a failure, or read back other bytes
  no_checkpoint,     // neither slot of the store holds a valid checkpoint for this model
};

// A short, stable English name for logs and error messages.
constexpr const char* to_string(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::invalid_label: return "invalid_label";
    case Status::non_finite: return "non_finite";
    case Status::invalid_argument: return "invalid_argument";
    case Status::diverged: return "diverged";
    case Status::empty_batch: return "empty_batch";
    case Status::buffer_too_small: return "buffer_too_small";
    case Status::truncated: return "truncated";
    case Status::bad_magic: return "bad_magic";
    case Status::bad_version: return "bad_version";
    case Status::shape_mismatch: return "shape_mismatch";
    case Status::bad_checksum: return "bad_checksum";
    case Status::storage_error: return "storage_error";
    case Status::no_checkpoint: return "no_checkpoint";
  }
  return "unknown";
}

}  // namespace lastlayer
