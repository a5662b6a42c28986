// The C API (lastlayer/lastlayer.h): a header and the model's arrays in caller-provided
// storage, handed to the same algorithms as Classifier<D, K> through a ModelView.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "lastlayer/algorithms.hpp"
#include "lastlayer/checkpoint.hpp"
#include "lastlayer/lastlayer.h"
#include "lastlayer/layout.hpp"
#include "lastlayer/status.hpp"

// The C macros restate the C++ layout so C code can size storage at compile time.
static_assert(LASTLAYER_ROW_PAD_FLOATS == lastlayer::kRowPadFloats, "row padding differs");
static_assert(LASTLAYER_MODEL_ALIGNMENT == lastlayer::kRowAlignBytes, "alignment differs");
static_assert(LASTLAYER_STRIDE(13) == lastlayer::padded_stride(13), "stride differs");
static_assert(LASTLAYER_CHECKPOINT_SIZE(13, 3) == lastlayer::checkpoint_size(13, 3),
              "checkpoint size differs");

// The status codes are one set of numbers in both languages.
#define LASTLAYER_SAME_STATUS(c, cpp)                                            \
  static_assert(static_cast<int>(c) == static_cast<int>(lastlayer::Status::cpp), \
                "lastlayer_status " #c " differs from lastlayer::Status::" #cpp)
LASTLAYER_SAME_STATUS(LASTLAYER_OK, ok);
LASTLAYER_SAME_STATUS(LASTLAYER_INVALID_LABEL, invalid_label);
LASTLAYER_SAME_STATUS(LASTLAYER_NON_FINITE, non_finite);
LASTLAYER_SAME_STATUS(LASTLAYER_INVALID_ARGUMENT, invalid_argument);
LASTLAYER_SAME_STATUS(LASTLAYER_DIVERGED, diverged);
LASTLAYER_SAME_STATUS(LASTLAYER_EMPTY_BATCH, empty_batch);
LASTLAYER_SAME_STATUS(LASTLAYER_BUFFER_TOO_SMALL, buffer_too_small);
LASTLAYER_SAME_STATUS(LASTLAYER_TRUNCATED, truncated);
LASTLAYER_SAME_STATUS(LASTLAYER_BAD_MAGIC, bad_magic);
LASTLAYER_SAME_STATUS(LASTLAYER_BAD_VERSION, bad_version);
LASTLAYER_SAME_STATUS(LASTLAYER_SHAPE_MISMATCH, shape_mismatch);
LASTLAYER_SAME_STATUS(LASTLAYER_BAD_CHECKSUM, bad_checksum);
LASTLAYER_SAME_STATUS(LASTLAYER_STORAGE_ERROR, storage_error);
LASTLAYER_SAME_STATUS(LASTLAYER_NO_CHECKPOINT, no_checkpoint);
#undef LASTLAYER_SAME_STATUS

// The first LASTLAYER_MODEL_ALIGNMENT bytes of the storage.
struct lastlayer_model {
  std::uint32_t magic;  // set by lastlayer_init: catches storage that was never initialized
  std::uint32_t inputs;
  std::uint32_t classes;
  float bound;
};

namespace {

using lastlayer::ConstModelView;
using lastlayer::ModelView;
using lastlayer::Status;

constexpr std::uint32_t kMagic = 0x4c4c4d31u;  // "LLM1"
static_assert(sizeof(lastlayer_model) <= LASTLAYER_MODEL_ALIGNMENT, "header too large");

// Not `v > UINT32_MAX`: with a 32-bit size_t that comparison is always false and warns.
bool fits_u32(std::size_t v) {
  return v == static_cast<std::uint32_t>(v);
}

bool valid(const lastlayer_model* m) {
  return m != nullptr && m->magic == kMagic;
}

float* weights(lastlayer_model* m) {
  return reinterpret_cast<float*>(reinterpret_cast<unsigned char*>(m) + LASTLAYER_MODEL_ALIGNMENT);
}
const float* weights(const lastlayer_model* m) {
  return reinterpret_cast<const float*>(reinterpret_cast<const unsigned char*>(m) +
                                        LASTLAYER_MODEL_ALIGNMENT);
}
std::size_t stride(const lastlayer_model* m) {
  return lastlayer::padded_stride(m->inputs);
}
float* bias(lastlayer_model* m) {
  return weights(m) + m->classes * stride(m);
}
const float* bias(const lastlayer_model* m) {
  return weights(m) + m->classes * stride(m);
}
float* scratch(lastlayer_model* m) {
  return bias(m) + m->classes;
}

ModelView view(lastlayer_model* m) {
  return {weights(m), bias(m), &m->bound, m->inputs, m->classes, stride(m)};
}

lastlayer_status to_c(Status s) {
  return static_cast<lastlayer_status>(s);
}

lastlayer::SgdOptions sgd(float learning_rate) {
  lastlayer::SgdOptions opt;
  opt.learning_rate = learning_rate;
  return opt;
}

lastlayer::SgdOptions normalized(float alpha) {
  lastlayer::SgdOptions opt;
  opt.rule = lastlayer::SgdOptions::StepRule::normalized;
  opt.alpha = alpha;
  return opt;
}

}  // namespace

extern "C" {

const char* lastlayer_status_string(lastlayer_status status) {
  return lastlayer::to_string(static_cast<Status>(status));
}

lastlayer_status lastlayer_init(void* storage, size_t storage_size, size_t inputs, size_t classes,
                                lastlayer_model** model) {
  if (model != nullptr) *model = nullptr;
  if (storage == nullptr || model == nullptr || inputs == 0 || classes == 0 || !fits_u32(inputs) ||
      !fits_u32(classes)) {
    return LASTLAYER_INVALID_ARGUMENT;
  }
  if (reinterpret_cast<std::uintptr_t>(storage) % LASTLAYER_MODEL_ALIGNMENT != 0) {
    return LASTLAYER_INVALID_ARGUMENT;
  }
  // LASTLAYER_MODEL_SIZE without overflow: (size - header) / 4 floats must hold K (stride + 3).
  const std::size_t row = lastlayer::padded_stride(inputs) + 3;
  if (storage_size < LASTLAYER_MODEL_ALIGNMENT ||
      (storage_size - LASTLAYER_MODEL_ALIGNMENT) / sizeof(float) / row < classes) {
    return LASTLAYER_INVALID_ARGUMENT;
  }
  std::memset(storage, 0, LASTLAYER_MODEL_SIZE(inputs, classes));
  auto* m = static_cast<lastlayer_model*>(storage);
  m->magic = kMagic;
  m->inputs = static_cast<std::uint32_t>(inputs);
  m->classes = static_cast<std::uint32_t>(classes);
  m->bound = 0.0f;
  *model = m;
  return LASTLAYER_OK;
}

size_t lastlayer_inputs(const lastlayer_model* model) {
  return valid(model) ? model->inputs : 0;
}
size_t lastlayer_classes(const lastlayer_model* model) {
  return valid(model) ? model->classes : 0;
}

void lastlayer_reset(lastlayer_model* model) {
  if (!valid(model)) return;
  std::memset(weights(model), 0, sizeof(float) * model->classes * (stride(model) + 3));
  model->bound = 0.0f;
}

lastlayer_status lastlayer_train(lastlayer_model* model, const float* x, size_t label,
                                 float learning_rate) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::train_step(view(model), x, label, sgd(learning_rate), scratch(model)));
}

lastlayer_status lastlayer_train_many(lastlayer_model* model, const float* const* rows,
                                      const size_t* labels, size_t count, float learning_rate,
                                      size_t* done) {
  if (done != nullptr) *done = 0;
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::train_steps(view(model), rows, labels, count, sgd(learning_rate),
                                     scratch(model), done));
}

lastlayer_status lastlayer_train_soft(lastlayer_model* model, const float* x, const float* target,
                                      float learning_rate) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::train_step(view(model), x, target, sgd(learning_rate), scratch(model)));
}

lastlayer_status lastlayer_train_normalized(lastlayer_model* model, const float* x, size_t label,
                                            float alpha) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::train_step(view(model), x, label, normalized(alpha), scratch(model)));
}

lastlayer_status lastlayer_train_soft_normalized(lastlayer_model* model, const float* x,
                                                 const float* target, float alpha) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::train_step(view(model), x, target, normalized(alpha), scratch(model)));
}

size_t lastlayer_predict(lastlayer_model* model, const float* x) {
  if (!valid(model)) return static_cast<size_t>(-1);
  return lastlayer::predict(ConstModelView(view(model)), x, scratch(model));
}

lastlayer_status lastlayer_probabilities(lastlayer_model* model, const float* x, float* p) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::probabilities(ConstModelView(view(model)), x, p));
}

float lastlayer_loss(lastlayer_model* model, const float* x, size_t label) {
  if (!valid(model)) return NAN;
  return lastlayer::loss(ConstModelView(view(model)), x, label, scratch(model));
}

float lastlayer_loss_soft(lastlayer_model* model, const float* x, const float* target) {
  if (!valid(model)) return NAN;
  return lastlayer::loss(ConstModelView(view(model)), x, target, scratch(model));
}

float lastlayer_weight(const lastlayer_model* model, size_t k, size_t j) {
  if (!valid(model) || k >= model->classes || j >= model->inputs) return NAN;
  return weights(model)[k * stride(model) + j];
}

float lastlayer_bias(const lastlayer_model* model, size_t k) {
  if (!valid(model) || k >= model->classes) return NAN;
  return bias(model)[k];
}

lastlayer_status lastlayer_set_weight(lastlayer_model* model, size_t k, size_t j, float value) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::set_weight(view(model), k, j, value));
}

lastlayer_status lastlayer_set_bias(lastlayer_model* model, size_t k, float value) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::set_bias(view(model), k, value));
}

lastlayer_status lastlayer_save(lastlayer_model* model, void* out, size_t capacity,
                                size_t* written) {
  if (written != nullptr) *written = 0;
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::save_checkpoint(ConstModelView(view(model)),
                                         static_cast<std::uint8_t*>(out), capacity, written));
}

lastlayer_status lastlayer_load(lastlayer_model* model, const void* in, size_t size) {
  if (!valid(model)) return LASTLAYER_INVALID_ARGUMENT;
  return to_c(lastlayer::load_checkpoint(view(model), static_cast<const std::uint8_t*>(in), size));
}

}  // extern "C"
