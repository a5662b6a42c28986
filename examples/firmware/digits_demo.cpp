// The digits demo as firmware: the same reference protocol as examples/digits_demo.cpp
// (Experiment from protocol/: stratified 80/20 split, standardization, 10 epochs of per-sample
// SGD at learning rate 0.01), trained on the board and reported through semihosting. The last
// line has the host demo's format, so the two runs compare line for line. Everything is static;
// the ELF links without malloc (tools/check_no_heap).
#include "data/digits.hpp"
#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/experiment.hpp"
#include "print.hpp"

namespace {

constexpr std::size_t kInputs = 64, kClasses = 10, kSamples = 1797;
constexpr int kEpochs = 10;

lastlayer::Classifier<kInputs, kClasses> model;
lastlayer::protocol::Experiment<kInputs, kClasses, kSamples> experiment(lastlayer::data::digits);
unsigned confusion[kClasses][kClasses];

}  // namespace

int main() {
  using lastlayer::firmware::print;
  using lastlayer::firmware::print_fixed;
  if (!experiment.shape_matches()) {
    print("digits data set has an unexpected shape\n");
    return 1;
  }
  const auto& split = experiment.split();
  print("digits: ");
  print(split.train_count);
  print(" training and ");
  print(split.test_count);
  print(" test samples, 64 features, 10 classes\n");

  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.01f;
  for (int e = 1; e <= kEpochs; ++e) {
    const lastlayer::Status s = experiment.epoch(model, opt);
    if (s != lastlayer::Status::ok) {
      print("training step refused: ");
      print(lastlayer::to_string(s));
      print("\n");
      return 1;
    }
    const auto m = experiment.evaluate(model, false);
    print("epoch ");
    print(static_cast<unsigned long>(e), 2);
    print("/10  mean loss ");
    print_fixed(m.cross_entropy, 4);
    print("  train accuracy ");
    print_fixed(m.accuracy, 4);
    print("\n");
  }

  const auto test = experiment.evaluate(model, true, confusion);
  print("\nconfusion matrix of the test part (rows: true digit, columns: predicted)\n    ");
  for (unsigned long b = 0; b < kClasses; ++b) print(b, 4);
  print("\n");
  for (unsigned long a = 0; a < kClasses; ++a) {
    print(a, 4);
    for (std::size_t b = 0; b < kClasses; ++b) print(confusion[a][b], 4);
    print("\n");
  }
  print("test loss: ");
  print_fixed(test.cross_entropy, 4);
  print("\ntest accuracy: ");
  print_fixed(test.accuracy, 4);
  print("\n");
  return test.accuracy >= 0.95 ? 0 : 2;
}
