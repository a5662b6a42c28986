// Runs the example sketch on the host: setup() once, then loop() until the model is trained.
#include "Arduino.h"
#include "TrainOnDevice.ino"

int main() {
  setup();
  for (int i = 0; i < 10; ++i) loop();
  float x[kInputs];
  unsigned correct = 0;
  for (unsigned i = 0; i < 20; ++i) {
    read_features(i % kClasses, i, x);
    correct += model.predict(x) == i % kClasses;
  }
  return correct == 20 ? 0 : 1;
}
