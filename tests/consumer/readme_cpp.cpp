// The README's C++ snippet as a whole program: it must compile against the installed headers and
// learn a trivially separable problem.
#include <cstdio>
#include <lastlayer/lastlayer.hpp>

static lastlayer::Classifier<64, 10> model;  // 64 features, 10 classes; zero weights, no heap

int main() {
  float x[64];
  int wrong = 0;
  for (int epoch = 0; epoch < 5; ++epoch) {
    for (std::size_t label = 0; label < 10; ++label) {
      for (int j = 0; j < 64; ++j) x[j] = (static_cast<std::size_t>(j) % 10 == label) ? 1.0f : 0.0f;
      // --- README snippet ---
      lastlayer::SgdOptions opt;
      opt.learning_rate = 0.01f;
      lastlayer::Status s = model.train(x, label, opt);  // one SGD step on one sample
      std::size_t k = model.predict(x);                  // the most probable class
      float p[10];
      s = model.probabilities(x, p);                     // soft-max of W x + b
      float l = model.loss(x, label);                    // cross-entropy in nats
      // --- end of snippet ---
      if (s != lastlayer::Status::ok || !(l >= 0.0f)) return 1;
      wrong += (epoch == 4 && k != label);
    }
  }
  std::printf("readme_cpp: %d wrong\n", wrong);
  return wrong == 0 ? 0 : 1;
}
