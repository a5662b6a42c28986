/* A header exported by lastlayer-train (iris, standardized) compiles as C99 and its checkpoint
 * loads into the C API with the same weights as its arrays; the model then classifies typical
 * flowers of each species from their raw measurements. */
#include <stdio.h>

#include "iris_model.h"
#include "lastlayer/lastlayer.h"

static LASTLAYER_MODEL_STORAGE(storage, IRIS_MODEL_INPUTS, IRIS_MODEL_CLASSES);

int main(void) {
  /* The first flower of each species in the data set: label, then 4 raw measurements (cm). */
  static const float flowers[3][5] = {
      {0.0f, 5.1f, 3.5f, 1.4f, 0.2f},
      {1.0f, 7.0f, 3.2f, 4.7f, 1.4f},
      {2.0f, 6.3f, 3.3f, 6.0f, 2.5f},
  };
  lastlayer_model* model = NULL;
  float x[IRIS_MODEL_INPUTS];
  size_t i, j, k;
  int failures = 0;
  lastlayer_status s =
      lastlayer_init(storage, sizeof storage, IRIS_MODEL_INPUTS, IRIS_MODEL_CLASSES, &model);
  if (s == LASTLAYER_OK)
    s = lastlayer_load(model, iris_model_checkpoint, sizeof iris_model_checkpoint);
  if (s != LASTLAYER_OK || !IRIS_MODEL_STANDARDIZED) {
    printf("FAIL: load: %s\n", lastlayer_status_string(s));
    return 1;
  }
  for (k = 0; k < IRIS_MODEL_CLASSES; ++k) {
    failures += lastlayer_bias(model, k) != iris_model_bias[k];
    for (j = 0; j < IRIS_MODEL_INPUTS; ++j) {
      failures += lastlayer_weight(model, k, j) != iris_model_weights[k][j];
    }
  }
  for (i = 0; i < 3; ++i) {
    for (j = 0; j < IRIS_MODEL_INPUTS; ++j) {
      x[j] = (flowers[i][j + 1] - iris_model_mean[j]) / iris_model_scale[j];
    }
    k = lastlayer_predict(model, x);
    if (k != (size_t)flowers[i][0]) {
      printf("FAIL: flower %u predicted as %u\n", (unsigned)i, (unsigned)k);
      ++failures;
    }
  }
  printf("exported_header_test: %d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
