/* The C API from a C program: plain C99, no files, output through stdio, exit status 0 when
 * every check passes. It runs unchanged on the host and on bare-metal boards. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lastlayer/lastlayer.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                          \
  do {                                                       \
    ++checks;                                                \
    if (!(cond)) {                                           \
      ++failures;                                            \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                        \
  } while (0)

#define D 5
#define K 3

/* Static storage, as firmware declares it. */
static LASTLAYER_MODEL_STORAGE(storage, D, K);
static LASTLAYER_MODEL_STORAGE(other_storage, D, K);

static int near(float a, float b, float tol) {
  return fabsf(a - b) <= tol;
}

/* Every weight and bias of two models, bit for bit (the scratch area may differ). */
static int same_model(const lastlayer_model* a, const lastlayer_model* b) {
  size_t k, j;
  for (k = 0; k < K; ++k) {
    float ba = lastlayer_bias(a, k), bb = lastlayer_bias(b, k);
    if (memcmp(&ba, &bb, sizeof ba) != 0) return 0;
    for (j = 0; j < D; ++j) {
      float wa = lastlayer_weight(a, k, j), wb = lastlayer_weight(b, k, j);
      if (memcmp(&wa, &wb, sizeof wa) != 0) return 0;
    }
  }
  return 1;
}

/* A copy of `m` in other_storage, through the public accessors. */
static lastlayer_model* copy_of(const lastlayer_model* m) {
  lastlayer_model* c = NULL;
  size_t k, j;
  lastlayer_init(other_storage, sizeof other_storage, D, K, &c);
  for (k = 0; k < K; ++k) {
    lastlayer_set_bias(c, k, lastlayer_bias(m, k));
    for (j = 0; j < D; ++j) lastlayer_set_weight(c, k, j, lastlayer_weight(m, k, j));
  }
  return c;
}

static void test_sizes_and_status_codes(void) {
  CHECK(LASTLAYER_STRIDE(1) == LASTLAYER_ROW_PAD_FLOATS);
  CHECK(LASTLAYER_STRIDE(LASTLAYER_ROW_PAD_FLOATS) == LASTLAYER_ROW_PAD_FLOATS);
  CHECK(LASTLAYER_STRIDE(LASTLAYER_ROW_PAD_FLOATS + 1) == 2 * LASTLAYER_ROW_PAD_FLOATS);
  CHECK(sizeof storage == LASTLAYER_MODEL_SIZE(D, K));
  CHECK(LASTLAYER_MODEL_SIZE(D, K) ==
        LASTLAYER_MODEL_ALIGNMENT + sizeof(float) * (K * LASTLAYER_STRIDE(D) + 3 * K));
  CHECK((size_t)storage % LASTLAYER_MODEL_ALIGNMENT == 0);
  CHECK(LASTLAYER_OK == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_OK), "ok") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_INVALID_LABEL), "invalid_label") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_NON_FINITE), "non_finite") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_INVALID_ARGUMENT), "invalid_argument") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_DIVERGED), "diverged") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_EMPTY_BATCH), "empty_batch") == 0);
}

static void test_init_rejects_bad_storage(void) {
  lastlayer_model* m = (lastlayer_model*)&storage; /* must be reset to NULL on failure */
  CHECK(lastlayer_init(storage, sizeof storage - 1, D, K, &m) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(m == NULL);
  CHECK(lastlayer_init(storage + 4, sizeof storage - 4, D, K, &m) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_init(NULL, sizeof storage, D, K, &m) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_init(storage, sizeof storage, 0, K, &m) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_init(storage, sizeof storage, D, 0, &m) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_init(storage, sizeof storage, D, K, NULL) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_init(storage, sizeof storage, (size_t)-1, (size_t)-1, &m) ==
        LASTLAYER_INVALID_ARGUMENT);
  /* A smaller model fits in larger storage. */
  CHECK(lastlayer_init(storage, sizeof storage, D - 1, K - 1, &m) == LASTLAYER_OK);
  CHECK(lastlayer_inputs(m) == D - 1 && lastlayer_classes(m) == K - 1);
}

static void test_null_and_uninitialized_models(void) {
  static LASTLAYER_MODEL_STORAGE(never_initialized, D, K);
  lastlayer_model* junk = (lastlayer_model*)(void*)never_initialized;
  const float x[D] = {0};
  float p[K];
  CHECK(lastlayer_train(NULL, x, 0, 0.1f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train(junk, x, 0, 0.1f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_probabilities(junk, x, p) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_predict(junk, x) == (size_t)-1);
  CHECK(isnan(lastlayer_loss(NULL, x, 0)));
  CHECK(lastlayer_inputs(junk) == 0 && lastlayer_classes(NULL) == 0);
}

static void test_zero_model(void) {
  lastlayer_model* m = NULL;
  const float x[D] = {1.0f, -2.0f, 0.5f, 3.0f, 0.0f};
  float p[K];
  size_t k;
  memset(storage, 0xA5, sizeof storage); /* init must not depend on what was there */
  CHECK(lastlayer_init(storage, sizeof storage, D, K, &m) == LASTLAYER_OK);
  CHECK(m != NULL);
  CHECK(lastlayer_inputs(m) == D && lastlayer_classes(m) == K);
  CHECK(lastlayer_predict(m, x) == 0); /* all logits tie: the first class */
  CHECK(lastlayer_probabilities(m, x, p) == LASTLAYER_OK);
  for (k = 0; k < K; ++k) CHECK(near(p[k], 1.0f / K, 1e-7f));
  CHECK(near(lastlayer_loss(m, x, 2), logf((float)K), 1e-6f));
  CHECK(lastlayer_weight(m, 0, D) != lastlayer_weight(m, 0, D)); /* NaN: out of range */
}

/* From the zero model p = 1/K, so one step moves W[k] by -lr (1/K - t[k]) x exactly. */
static void test_one_step_by_hand(void) {
  lastlayer_model* m = NULL;
  const float x[D] = {1.0f, -2.0f, 0.5f, 3.0f, 0.25f};
  const float lr = 0.5f;
  size_t k, j;
  lastlayer_init(storage, sizeof storage, D, K, &m);
  CHECK(lastlayer_train(m, x, 1, lr) == LASTLAYER_OK);
  for (k = 0; k < K; ++k) {
    const float g = 1.0f / K - (k == 1 ? 1.0f : 0.0f);
    CHECK(near(lastlayer_bias(m, k), -lr * g, 1e-6f));
    for (j = 0; j < D; ++j) CHECK(near(lastlayer_weight(m, k, j), -lr * g * x[j], 1e-6f));
  }
  CHECK(lastlayer_predict(m, x) == 1);
  CHECK(lastlayer_loss(m, x, 1) < logf((float)K));
}

/* A one-hot soft target is the label. */
static void test_soft_target_matches_label(void) {
  lastlayer_model* a = NULL;
  lastlayer_model* b = NULL;
  const float x[D] = {0.3f, -1.0f, 2.0f, 0.0f, -0.5f};
  const float onehot[K] = {0.0f, 0.0f, 1.0f};
  const float mixed[K] = {0.25f, 0.25f, 0.5f};
  lastlayer_init(storage, sizeof storage, D, K, &a);
  lastlayer_init(other_storage, sizeof other_storage, D, K, &b);
  CHECK(lastlayer_train(a, x, 2, 0.1f) == LASTLAYER_OK);
  CHECK(lastlayer_train_soft(b, x, onehot, 0.1f) == LASTLAYER_OK);
  CHECK(same_model(a, b));
  CHECK(near(lastlayer_loss(a, x, 2), lastlayer_loss_soft(a, x, onehot), 1e-6f));
  CHECK(lastlayer_train_soft(b, x, mixed, 0.1f) == LASTLAYER_OK);
  CHECK(!same_model(a, b));
}

/* Every refused call leaves the weights exactly as they were. */
static void test_failures_leave_model_unchanged(void) {
  lastlayer_model* m = NULL;
  lastlayer_model* before;
  const float x[D] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
  float bad_x[D] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
  const float not_a_distribution[K] = {0.5f, 0.5f, 0.5f};
  float p[K];
  lastlayer_init(storage, sizeof storage, D, K, &m);
  CHECK(lastlayer_train(m, x, 0, 0.1f) == LASTLAYER_OK);
  before = copy_of(m);
  CHECK(lastlayer_train(m, x, K, 0.1f) == LASTLAYER_INVALID_LABEL);
  CHECK(lastlayer_train(m, x, 0, 0.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train(m, x, 0, -1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train(m, x, 0, (float)NAN) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train(m, NULL, 0, 0.1f) != LASTLAYER_OK);
  CHECK(lastlayer_train_soft(m, x, not_a_distribution, 0.1f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_soft(m, x, NULL, 0.1f) == LASTLAYER_INVALID_ARGUMENT);
  bad_x[3] = (float)NAN;
  CHECK(lastlayer_train(m, bad_x, 0, 0.1f) == LASTLAYER_NON_FINITE);
  CHECK(lastlayer_predict(m, bad_x) == K);
  CHECK(lastlayer_probabilities(m, bad_x, p) == LASTLAYER_NON_FINITE);
  CHECK(isnan(lastlayer_loss(m, bad_x, 0)));
  CHECK(isnan(lastlayer_loss(m, x, K)));
  bad_x[3] = (float)INFINITY;
  CHECK(lastlayer_train(m, bad_x, 0, 0.1f) == LASTLAYER_NON_FINITE);
  CHECK(lastlayer_set_weight(m, K, 0, 1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_set_weight(m, 0, D, 1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_set_weight(m, 0, 0, (float)INFINITY) == LASTLAYER_NON_FINITE);
  CHECK(lastlayer_set_bias(m, K, 1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(same_model(m, before));
  /* A step so large that a weight would overflow is refused as a whole. */
  CHECK(lastlayer_train(m, x, 1, 1e38f) == LASTLAYER_DIVERGED);
  CHECK(same_model(m, before));
}

/* Many samples in one call: the same bits as one call per sample; a refused sample stops the
 * call there, with the samples before it learned and nothing of it. */
static void test_train_many_equals_single_steps(void) {
  enum { N = 7 };
  static float x[N][D];
  const float* rows[N];
  size_t labels[N];
  lastlayer_model* one = NULL;
  lastlayer_model* many = NULL;
  size_t i, j, done = 99;
  for (i = 0; i < N; ++i) {
    for (j = 0; j < D; ++j) x[i][j] = (float)((i * 7 + j * 3) % 11) * 0.25f - 1.2f;
    rows[i] = x[i];
    labels[i] = (i * 2) % K;
  }
  lastlayer_init(storage, sizeof storage, D, K, &one);
  lastlayer_init(other_storage, sizeof other_storage, D, K, &many);
  for (i = 0; i < N; ++i) CHECK(lastlayer_train(one, rows[i], labels[i], 0.3f) == LASTLAYER_OK);
  CHECK(lastlayer_train_many(many, rows, labels, N, 0.3f, &done) == LASTLAYER_OK);
  CHECK(done == N);
  CHECK(same_model(one, many));

  /* Sample 4 has a NaN feature: samples 0 to 3 are learned, the call stops there. */
  x[4][2] = (float)NAN;
  lastlayer_init(storage, sizeof storage, D, K, &one);
  lastlayer_init(other_storage, sizeof other_storage, D, K, &many);
  for (i = 0; i < 4; ++i) CHECK(lastlayer_train(one, rows[i], labels[i], 0.3f) == LASTLAYER_OK);
  CHECK(lastlayer_train_many(many, rows, labels, N, 0.3f, &done) == LASTLAYER_NON_FINITE);
  CHECK(done == 4);
  CHECK(same_model(one, many));
  labels[4] = K; /* a bad label is refused the same way */
  x[4][2] = 0.5f;
  CHECK(lastlayer_train_many(many, rows + 4, labels + 4, 3, 0.3f, &done) ==
        LASTLAYER_INVALID_LABEL);
  CHECK(done == 0);
  CHECK(same_model(one, many));

  CHECK(lastlayer_train_many(many, NULL, labels, 1, 0.3f, &done) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_many(many, rows, labels, 2, 0.0f, NULL) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_many(NULL, rows, labels, 2, 0.3f, &done) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(done == 0);
  CHECK(lastlayer_train_many(many, rows, labels, 0, 0.3f, &done) == LASTLAYER_OK && done == 0);
  CHECK(same_model(one, many));
}

/* The normalized step lowers the loss of its sample whatever the scale of x, and checks alpha. */
static void test_normalized_step(void) {
  lastlayer_model* m = NULL;
  lastlayer_model* before;
  const float x[D] = {300.0f, -120.0f, 45.0f, 800.0f, -5.0f}; /* far from standardized */
  const float target[K] = {0.2f, 0.2f, 0.6f};
  float l0;
  lastlayer_init(storage, sizeof storage, D, K, &m);
  l0 = lastlayer_loss(m, x, 1);
  CHECK(lastlayer_train_normalized(m, x, 1, 1.0f) == LASTLAYER_OK);
  CHECK(lastlayer_loss(m, x, 1) < l0);
  l0 = lastlayer_loss_soft(m, x, target);
  CHECK(lastlayer_train_soft_normalized(m, x, target, 1.5f) == LASTLAYER_OK);
  CHECK(lastlayer_loss_soft(m, x, target) < l0);
  before = copy_of(m);
  CHECK(lastlayer_train_normalized(m, x, 1, 0.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_normalized(m, x, 1, 2.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_normalized(m, x, K, 1.0f) == LASTLAYER_INVALID_LABEL);
  CHECK(lastlayer_train_soft_normalized(m, x, NULL, 1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_train_normalized(NULL, x, 0, 1.0f) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(same_model(m, before));
}

/* Three separable clusters: a few epochs of SGD classify every point. */
static void test_learns_separable_clusters(void) {
  static const float centers[K][D] = {
      {2.0f, 0.0f, 0.0f, 1.0f, -1.0f},
      {-2.0f, 2.0f, 0.0f, -1.0f, 0.0f},
      {0.0f, -2.0f, 2.0f, 0.0f, 1.0f},
  };
  lastlayer_model* m = NULL;
  float x[D], p[K];
  size_t epoch, i, k, j, correct = 0;
  float first_loss = 0.0f, last_loss = 0.0f;
  lastlayer_init(storage, sizeof storage, D, K, &m);
  for (epoch = 0; epoch < 20; ++epoch) {
    for (i = 0; i < 30; ++i) {
      k = (i * 7) % K;
      for (j = 0; j < D; ++j) x[j] = centers[k][j] + 0.3f * (float)(((i + j) % 5)) - 0.6f;
      if (epoch == 0 && i == 0) first_loss = lastlayer_loss(m, x, k);
      CHECK(lastlayer_train(m, x, k, 0.05f) == LASTLAYER_OK);
    }
  }
  for (k = 0; k < K; ++k) {
    correct += lastlayer_predict(m, centers[k]) == k;
    last_loss += lastlayer_loss(m, centers[k], k) / K;
    CHECK(lastlayer_probabilities(m, centers[k], p) == LASTLAYER_OK);
    CHECK(near(p[0] + p[1] + p[2], 1.0f, 1e-5f));
    CHECK(p[k] > 0.9f);
  }
  CHECK(correct == K);
  CHECK(last_loss < 0.1f * first_loss);
  lastlayer_reset(m);
  CHECK(lastlayer_bias(m, 0) == 0.0f && lastlayer_weight(m, 2, D - 1) == 0.0f);
}

/* A checkpoint round-trips, and a damaged one is refused without touching the model. */
static void test_save_and_load(void) {
  static unsigned char bytes[LASTLAYER_CHECKPOINT_SIZE(D, K) + 8];
  static LASTLAYER_MODEL_STORAGE(small_storage, D - 1, K);
  const float x[D] = {0.5f, -1.0f, 2.0f, 0.25f, 1.5f};
  lastlayer_model* m = NULL;
  lastlayer_model* restored = NULL;
  lastlayer_model* small = NULL;
  size_t written = 1;
  lastlayer_init(storage, sizeof storage, D, K, &m);
  CHECK(lastlayer_train(m, x, 2, 0.3f) == LASTLAYER_OK);
  CHECK(lastlayer_train(m, x, 0, 0.1f) == LASTLAYER_OK);

  CHECK(lastlayer_save(m, bytes, LASTLAYER_CHECKPOINT_SIZE(D, K) - 1, &written) ==
        LASTLAYER_BUFFER_TOO_SMALL);
  CHECK(written == 0);
  CHECK(lastlayer_save(NULL, bytes, sizeof bytes, &written) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_save(m, bytes, sizeof bytes, &written) == LASTLAYER_OK);
  CHECK(written == LASTLAYER_CHECKPOINT_SIZE(D, K));

  lastlayer_init(other_storage, sizeof other_storage, D, K, &restored);
  CHECK(lastlayer_load(restored, bytes, written) == LASTLAYER_OK);
  CHECK(same_model(m, restored));
  CHECK(lastlayer_predict(restored, x) == lastlayer_predict(m, x));
  /* Training goes on from the loaded weights exactly as from the saved ones. */
  CHECK(lastlayer_train(m, x, 1, 0.2f) == LASTLAYER_OK);
  CHECK(lastlayer_train(restored, x, 1, 0.2f) == LASTLAYER_OK);
  CHECK(same_model(m, restored));

  lastlayer_reset(restored);
  CHECK(lastlayer_load(restored, bytes, written - 1) == LASTLAYER_TRUNCATED);
  CHECK(lastlayer_load(restored, bytes, written + 1) == LASTLAYER_TRUNCATED);
  bytes[0] ^= 0xFFu;
  CHECK(lastlayer_load(restored, bytes, written) == LASTLAYER_BAD_MAGIC);
  bytes[0] ^= 0xFFu;
  bytes[written / 2] ^= 0x01u;
  CHECK(lastlayer_load(restored, bytes, written) == LASTLAYER_BAD_CHECKSUM);
  bytes[written / 2] ^= 0x01u;
  CHECK(lastlayer_load(restored, NULL, written) == LASTLAYER_INVALID_ARGUMENT);
  CHECK(lastlayer_bias(restored, 0) == 0.0f && lastlayer_weight(restored, 2, 0) == 0.0f);

  lastlayer_init(small_storage, sizeof small_storage, D - 1, K, &small);
  CHECK(lastlayer_load(small, bytes, written) == LASTLAYER_SHAPE_MISMATCH);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_BAD_CHECKSUM), "bad_checksum") == 0);
  CHECK(strcmp(lastlayer_status_string(LASTLAYER_SHAPE_MISMATCH), "shape_mismatch") == 0);
}

int main(void) {
  test_sizes_and_status_codes();
  test_init_rejects_bad_storage();
  test_null_and_uninitialized_models();
  test_zero_model();
  test_one_step_by_hand();
  test_soft_target_matches_label();
  test_failures_leave_model_unchanged();
  test_train_many_equals_single_steps();
  test_normalized_step();
  test_learns_separable_clusters();
  test_save_and_load();
  printf("c_api_test: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
