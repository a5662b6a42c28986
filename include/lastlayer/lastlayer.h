/* lastlayer C API: train a soft-max classifier from C firmware.
 *
 * The caller owns the storage of a model. LASTLAYER_MODEL_SIZE(D, K) bytes aligned to
 * LASTLAYER_MODEL_ALIGNMENT hold one model with D inputs and K classes, so a model can be a
 * static array:
 *
 *   static LASTLAYER_MODEL_STORAGE(storage, 64, 10);
 *   lastlayer_model* model;
 *   lastlayer_init(storage, sizeof storage, 64, 10, &model);
 *   lastlayer_train(model, x, label, 0.01f);
 *
 * C99, no heap. The functions are the C++ algorithms of <lastlayer/algorithms.hpp>; a failed
 * call leaves the model's weights unchanged. The model keeps 2 K floats of scratch inside its
 * storage, so even the read-only operations take a non-const model and one model must not be
 * used from two threads at once. */
#ifndef LASTLAYER_LASTLAYER_H
#define LASTLAYER_LASTLAYER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rows of W are padded to a whole number of the widest vector and aligned for it; these match
 * lastlayer/layout.hpp (kRowPadFloats, kRowAlignBytes), which the library checks at build
 * time. */
#if defined(__ARM_ARCH_PROFILE) && (__ARM_ARCH_PROFILE == 'M')
#define LASTLAYER_ROW_PAD_FLOATS 4
#define LASTLAYER_MODEL_ALIGNMENT 16
#else
#define LASTLAYER_ROW_PAD_FLOATS 16
#define LASTLAYER_MODEL_ALIGNMENT 64
#endif

/* Floats per padded row of D weights. */
#define LASTLAYER_STRIDE(D) \
  ((((D) + LASTLAYER_ROW_PAD_FLOATS - 1) / LASTLAYER_ROW_PAD_FLOATS) * LASTLAYER_ROW_PAD_FLOATS)

/* Bytes of storage for a model with D inputs and K classes: a header of one alignment unit,
 * then K padded rows of weights, K biases and 2 K floats of scratch. */
#define LASTLAYER_MODEL_SIZE(D, K)     \
  ((size_t)LASTLAYER_MODEL_ALIGNMENT + \
   sizeof(float) * ((size_t)(K) * (size_t)LASTLAYER_STRIDE(D) + 3u * (size_t)(K)))

/* Aligns a declaration to LASTLAYER_MODEL_ALIGNMENT. The compiler's own attribute comes first:
 * unlike C++'s alignas, it may follow `static`. */
#if defined(__GNUC__) || defined(__clang__)
#define LASTLAYER_ALIGNED __attribute__((aligned(LASTLAYER_MODEL_ALIGNMENT)))
#elif defined(_MSC_VER)
#define LASTLAYER_ALIGNED __declspec(align(LASTLAYER_MODEL_ALIGNMENT))
#elif defined(__cplusplus) && __cplusplus >= 201103L
#define LASTLAYER_ALIGNED alignas(LASTLAYER_MODEL_ALIGNMENT) /* write it before `static` */
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define LASTLAYER_ALIGNED _Alignas(LASTLAYER_MODEL_ALIGNMENT)
#else
#error "lastlayer.h: no way known to align storage with this compiler"
#endif

/* Declares `name` as suitably aligned storage for a model with D inputs and K classes. */
#define LASTLAYER_MODEL_STORAGE(name, D, K) \
  LASTLAYER_ALIGNED unsigned char name[LASTLAYER_MODEL_SIZE(D, K)]

/* The outcome of a call; the values equal those of the C++ lastlayer::Status. */
typedef enum lastlayer_status {
  LASTLAYER_OK = 0,
  LASTLAYER_INVALID_LABEL = 1,    /* a class label >= K */
  LASTLAYER_NON_FINITE = 2,       /* a NaN or Inf feature, or logits that overflow */
  LASTLAYER_INVALID_ARGUMENT = 3, /* bad learning rate or target, null pointer, bad storage */
  LASTLAYER_DIVERGED = 4,         /* the step could make a weight non-finite; refused */
  LASTLAYER_EMPTY_BATCH = 5,      /* a mini-batch step with nothing accumulated */
  /* Checkpoints (docs/checkpoint-format.md). */
  LASTLAYER_BUFFER_TOO_SMALL = 6, /* the output buffer cannot hold the checkpoint */
  LASTLAYER_TRUNCATED = 7,        /* the input is not exactly one checkpoint long */
  LASTLAYER_BAD_MAGIC = 8,        /* the input does not start with the checkpoint magic */
  LASTLAYER_BAD_VERSION = 9,      /* a format version or element type this build cannot read */
  LASTLAYER_SHAPE_MISMATCH = 10,  /* the checkpoint's D or K differs from the model's */
  LASTLAYER_BAD_CHECKSUM = 11,    /* the CRC-32 does not match: the bytes were corrupted */
  LASTLAYER_STORAGE_ERROR = 12,   /* a storage callback failed (C++ checkpoint store) */
  LASTLAYER_NO_CHECKPOINT = 13    /* no valid checkpoint in the store (C++ checkpoint store) */
} lastlayer_status;

/* Bytes of the checkpoint of a model with D inputs and K classes: a 16-byte header, K * D
 * weights and K biases of 4 bytes each, a 4-byte CRC-32. */
#define LASTLAYER_CHECKPOINT_SIZE(D, K) \
  ((size_t)20u + (size_t)4u * (size_t)(K) * ((size_t)(D) + 1u))

/* A model living in caller-provided storage. */
typedef struct lastlayer_model lastlayer_model;

/* A short, stable English name of a status ("ok", "invalid_label", ...). */
const char* lastlayer_status_string(lastlayer_status status);

/* Turns `storage` (at least LASTLAYER_MODEL_SIZE(inputs, classes) bytes, aligned to
 * LASTLAYER_MODEL_ALIGNMENT) into the all-zero model and sets *model. invalid_argument when
 * the storage is too small or misaligned, a size is 0 or larger than 2^32 - 1. */
lastlayer_status lastlayer_init(void* storage, size_t storage_size, size_t inputs, size_t classes,
                                lastlayer_model** model);

/* D and K of the model (0 for a null model). */
size_t lastlayer_inputs(const lastlayer_model* model);
size_t lastlayer_classes(const lastlayer_model* model);

/* Back to the all-zero model. */
void lastlayer_reset(lastlayer_model* model);

/* One SGD step on x (D floats) with a class label, or with a soft target (K floats, a
 * probability vector): W -= lr (p - t) x^T, b -= lr (p - t). */
lastlayer_status lastlayer_train(lastlayer_model* model, const float* x, size_t label,
                                 float learning_rate);
lastlayer_status lastlayer_train_soft(lastlayer_model* model, const float* x, const float* target,
                                      float learning_rate);

/* lastlayer_train on rows[0], rows[1], ... rows[count - 1] (D floats each) with labels[i], in
 * that order, in one call: the same weights to the bit as count calls of lastlayer_train, in
 * fewer instructions (each update shares its pass over the weights with the next sample's
 * logits). It stops at the first sample it refuses, with that sample's status; the samples
 * before it stay learned and the refused one changes nothing. *done (done may be NULL) is the
 * number of samples learned: count when it returns LASTLAYER_OK. */
lastlayer_status lastlayer_train_many(lastlayer_model* model, const float* const* rows,
                                      const size_t* labels, size_t count, float learning_rate,
                                      size_t* done);

/* The same steps with the normalized step size eta = alpha / ((|x|^2 + 1) / 2) in place of a
 * learning rate: for 0 < alpha < 2 a step never raises the loss of the sample it learns from,
 * whatever the scale of x. */
lastlayer_status lastlayer_train_normalized(lastlayer_model* model, const float* x, size_t label,
                                            float alpha);
lastlayer_status lastlayer_train_soft_normalized(lastlayer_model* model, const float* x,
                                                 const float* target, float alpha);

/* The most probable class; K when x holds a NaN or Inf; (size_t)-1 for a null model. */
size_t lastlayer_predict(lastlayer_model* model, const float* x);

/* p (K floats) = softmax(W x + b). */
lastlayer_status lastlayer_probabilities(lastlayer_model* model, const float* x, float* p);

/* Cross-entropy in nats against a label or a soft target; NaN for bad input. */
float lastlayer_loss(lastlayer_model* model, const float* x, size_t label);
float lastlayer_loss_soft(lastlayer_model* model, const float* x, const float* target);

/* Weight of input j for class k, bias of class k (NaN when out of range), and setting them
 * (for weights trained elsewhere, such as a header exported by lastlayer-train). */
float lastlayer_weight(const lastlayer_model* model, size_t k, size_t j);
float lastlayer_bias(const lastlayer_model* model, size_t k);
lastlayer_status lastlayer_set_weight(lastlayer_model* model, size_t k, size_t j, float value);
lastlayer_status lastlayer_set_bias(lastlayer_model* model, size_t k, float value);

/* Writes the model's checkpoint (a portable byte string, the same as C++'s save_checkpoint) to
 * out[0, capacity) and its length to *written; buffer_too_small when capacity is less than
 * LASTLAYER_CHECKPOINT_SIZE(D, K). */
lastlayer_status lastlayer_save(lastlayer_model* model, void* out, size_t capacity,
                                size_t* written);

/* Replaces the weights with the checkpoint in[0, size), which must be exactly one checkpoint of
 * a model of the same D and K. Everything is checked (length, magic, version, shape, CRC-32,
 * finite values) before the first write: on any error the model is unchanged. */
lastlayer_status lastlayer_load(lastlayer_model* model, const void* in, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LASTLAYER_LASTLAYER_H */
