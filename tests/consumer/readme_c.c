/* The README's C snippet as a whole program, compiled as C99 against the installed headers. */
#include <lastlayer/lastlayer.h>
#include <stdio.h>

/* --- README snippet --- */
static LASTLAYER_MODEL_STORAGE(storage, 64, 10); /* static, aligned, no heap */

int main(void) {
  lastlayer_model* model = NULL;
  lastlayer_status s = lastlayer_init(storage, sizeof storage, 64, 10, &model);
  float x[64] = {0};
  size_t k;
  x[3] = 1.0f;
  if (s == LASTLAYER_OK) s = lastlayer_train(model, x, 3, 0.1f);
  k = lastlayer_predict(model, x);
  /* --- end of snippet --- */
  printf("readme_c: %s, predicted %u\n", lastlayer_status_string(s), (unsigned)k);
  return s == LASTLAYER_OK && k == 3 ? 0 : 1;
}
