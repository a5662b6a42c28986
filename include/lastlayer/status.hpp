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
  }
  return "unknown";
}

}  // namespace lastlayer
