// A program that uses both public headers, linked against the library compiled the way
// library.json tells PlatformIO to build it.
#include <lastlayer/lastlayer.h>

#include <lastlayer/lastlayer.hpp>

int main() {
  static lastlayer::Classifier<4, 3> model;
  const float x[4] = {1.0f, 0.0f, -1.0f, 0.5f};
  return model.train(x, 1) == lastlayer::Status::ok && model.predict(x) == 1 ? 0 : 1;
}
