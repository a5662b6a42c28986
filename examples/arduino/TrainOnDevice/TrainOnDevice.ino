// Learns on the board which of two "sensor" patterns a reading belongs to, one sample at a time,
// and prints the accuracy as it improves. Replace read_features() with a real feature extractor.
#include <lastlayer/lastlayer.hpp>

static const unsigned kInputs = 3;
static const unsigned kClasses = 2;
static lastlayer::Classifier<kInputs, kClasses> model;  // static storage: no heap
static unsigned long step_count = 0;

// A reading of class `label`: two clusters, with a deterministic wobble for the demo.
static void read_features(unsigned label, unsigned long n, float* x) {
  const float wobble = 0.1f * static_cast<float>(static_cast<long>(n % 7) - 3);
  x[0] = (label == 0 ? 1.0f : -1.0f) + wobble;
  x[1] = (label == 0 ? -0.5f : 0.5f) - wobble;
  x[2] = 0.2f * wobble;
}

void setup() {
  Serial.begin(115200);
  Serial.println("lastlayer: training on the device");
}

void loop() {
  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.05f;
  float x[kInputs];
  for (unsigned i = 0; i < 20; ++i, ++step_count) {
    const unsigned label = static_cast<unsigned>(step_count % kClasses);
    read_features(label, step_count, x);
    model.train(x, label, opt);
  }
  unsigned correct = 0;
  for (unsigned i = 0; i < 10; ++i) {
    const unsigned label = i % kClasses;
    read_features(label, step_count + i, x);
    correct += model.predict(x) == label;
  }
  Serial.print("steps ");
  Serial.print(step_count);
  Serial.print(", accuracy ");
  Serial.println(static_cast<float>(correct) / 10.0f);
}
