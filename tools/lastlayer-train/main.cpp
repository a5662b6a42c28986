// lastlayer-train: trains a soft-max classifier from a CSV file on the host, with the library's
// own algorithms, and exports it for firmware. See usage() in options.cpp, or --help.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "csv.hpp"
#include "export_header.hpp"
#include "lastlayer/checkpoint.hpp"
#include "lastlayer_protocol/protocol.hpp"
#include "model.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "trainer.hpp"

namespace {

using lastlayer_train::Options;
using lastlayer_train::Samples;

constexpr std::uint32_t kDefaultLabelLimit = 65536;

int fail(const std::string& message) {
  std::fprintf(stderr, "lastlayer-train: error: %s\n", message.c_str());
  return 1;
}

// The rows of a split, as float features for the model (standardized when asked).
Samples take_rows(const lastlayer_train::LabelledData& data, const std::vector<std::uint32_t>& rows,
                  const std::vector<double>* mean, const std::vector<double>* scale) {
  Samples s;
  s.count = rows.size();
  s.inputs = data.inputs;
  s.x.resize(s.count * s.inputs);
  s.labels.resize(s.count);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    float* x = s.x.data() + i * s.inputs;
    if (mean != nullptr) {
      lastlayer::protocol::standardize(data.features.data(), data.inputs, rows[i], mean->data(),
                                       scale->data(), x);
    } else {
      for (std::size_t j = 0; j < s.inputs; ++j) {
        x[j] = static_cast<float>(data.features[rows[i] * data.inputs + j]);
      }
    }
    s.labels[i] = data.labels[rows[i]];
  }
  return s;
}

std::vector<std::uint32_t> all_rows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<std::uint32_t>(i);
  return rows;
}

// scikit-learn's stratified split needs every class twice; the protocol holds up to
// kMaxClasses classes.
bool split_rows(const lastlayer_train::LabelledData& data, std::size_t classes, const Options& opt,
                std::vector<std::uint32_t>* train, std::vector<std::uint32_t>* test,
                std::string* error) {
  if (classes > lastlayer::protocol::kMaxClasses) {
    *error = "--split supports at most " + std::to_string(lastlayer::protocol::kMaxClasses) +
             " classes, the data has " + std::to_string(classes) + "; give a --test file";
    return false;
  }
  std::vector<std::size_t> counts(classes, 0);
  for (std::uint32_t label : data.labels) ++counts[label];
  for (std::size_t k = 0; k < classes; ++k) {
    if (counts[k] < 2) {
      *error = "--split needs at least 2 samples of every class 0.." + std::to_string(classes - 1) +
               "; class " + std::to_string(k) + " has " + std::to_string(counts[k]) + " in " +
               opt.train_path;
      return false;
    }
  }
  const std::vector<unsigned char> labels(data.labels.begin(), data.labels.end());
  train->assign(data.samples, 0);
  test->assign(data.samples, 0);
  const lastlayer::protocol::Split split = lastlayer::protocol::stratified_split(
      labels.data(), data.samples, classes, opt.split, opt.seed, train->data(), test->data());
  if (split.train_count == 0 || split.test_count == 0) {
    *error = "--split " + std::to_string(opt.split) + " leaves an empty part of " +
             std::to_string(data.samples) + " samples";
    return false;
  }
  train->resize(split.train_count);
  test->resize(split.test_count);
  return true;
}

std::string describe_rate(const Options& opt) {
  char text[64];
  if (opt.auto_learning_rate) {
    std::snprintf(text, sizeof text, "auto (normalized, alpha %g)", static_cast<double>(opt.alpha));
  } else {
    std::snprintf(text, sizeof text, "%g", static_cast<double>(opt.learning_rate));
  }
  return text;
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::string message;
  switch (lastlayer_train::parse_options(argc, argv, &opt, &message)) {
    case lastlayer_train::ParseResult::help:
      std::fputs(lastlayer_train::usage(), stdout);
      return 0;
    case lastlayer_train::ParseResult::version:
      std::printf("lastlayer-train %s\n", LASTLAYER_VERSION);
      return 0;
    case lastlayer_train::ParseResult::error:
      std::fprintf(stderr, "lastlayer-train: error: %s\n", message.c_str());
      return 2;
    case lastlayer_train::ParseResult::run:
      break;
  }
  // Data: the training file fixes the number of features and, without --classes, of classes.
  lastlayer_train::LabelledData train_data, test_data;
  lastlayer_train::CsvError csv_error;
  const std::uint32_t limit = opt.classes != 0 ? opt.classes : kDefaultLabelLimit;
  const std::string reason =
      opt.classes != 0 ? "--classes " + std::to_string(opt.classes) : "without --classes";
  if (!lastlayer_train::read_csv(opt.train_path, 0, limit, reason, &train_data, &csv_error)) {
    return fail(csv_error.describe());
  }
  const std::size_t classes = opt.classes != 0 ? opt.classes : train_data.max_label + 1u;
  const std::size_t inputs = train_data.inputs;

  std::vector<std::uint32_t> train_rows, test_rows;
  if (!opt.test_path.empty()) {
    const std::string test_reason =
        opt.classes != 0 ? reason : "the training file has " + std::to_string(classes) + " classes";
    if (!lastlayer_train::read_csv(opt.test_path, inputs, static_cast<std::uint32_t>(classes),
                                   test_reason, &test_data, &csv_error)) {
      return fail(csv_error.describe());
    }
    train_rows = all_rows(train_data.samples);
    test_rows = all_rows(test_data.samples);
  } else if (!split_rows(train_data, classes, opt, &train_rows, &test_rows, &message)) {
    return fail(message);
  }
  const lastlayer_train::LabelledData& test_source = opt.test_path.empty() ? train_data : test_data;

  std::vector<double> mean(inputs, 0.0), scale(inputs, 1.0);
  if (opt.standardize) {
    lastlayer::protocol::fit_standardizer(train_data.features.data(), inputs, train_rows.data(),
                                          train_rows.size(), mean.data(), scale.data());
  }
  const std::vector<double>* m = opt.standardize ? &mean : nullptr;
  const std::vector<double>* s = opt.standardize ? &scale : nullptr;
  const Samples train = take_rows(train_data, train_rows, m, s);
  const Samples test = take_rows(test_source, test_rows, m, s);

  std::printf("data: %s, %zu samples, %zu features, %zu classes\n", opt.train_path.c_str(),
              train_data.samples, inputs, classes);
  if (opt.test_path.empty()) {
    std::printf("split: stratified, test fraction %g, seed %u: %zu train, %zu test\n", opt.split,
                opt.seed, train.count, test.count);
  } else {
    std::printf("test: %s, %zu samples\n", opt.test_path.c_str(), test.count);
  }
  const std::string rate = describe_rate(opt);
  std::printf("training: %u epochs of per-sample SGD, learning rate %s, %s features\n", opt.epochs,
              rate.c_str(), opt.standardize ? "standardized" : "raw");
  std::fflush(stdout);

  lastlayer_train::RuntimeModel model(inputs, classes);
  lastlayer::SgdOptions sgd;
  sgd.learning_rate = opt.learning_rate;
  if (opt.auto_learning_rate) {
    sgd.rule = lastlayer::SgdOptions::StepRule::normalized;
    sgd.alpha = opt.alpha;
  }
  lastlayer_train::Progress progress(stdout, lastlayer_train::Progress::is_terminal(stdout),
                                     opt.quiet, opt.epochs, train.count);
  const lastlayer_train::TrainResult result =
      lastlayer_train::train(model, train, opt.epochs, opt.seed, sgd, progress);
  progress.finish();
  if (result.status != lastlayer::Status::ok) {
    return fail("training step refused (" + std::string(lastlayer::to_string(result.status)) +
                ") in epoch " + std::to_string(result.epoch) + " on training sample " +
                std::to_string(result.sample) + "; try a smaller --lr or --standardize");
  }

  const lastlayer_train::Metrics train_metrics = lastlayer_train::evaluate(model, train);
  const lastlayer_train::Metrics test_metrics = lastlayer_train::evaluate(model, test);
  lastlayer_train::print_metrics(stdout, "train", train_metrics);
  lastlayer_train::print_metrics(stdout, "test", test_metrics);
  lastlayer_train::print_confusion(stdout, test_metrics, classes);

  std::vector<std::uint8_t> checkpoint(lastlayer::checkpoint_size(inputs, classes));
  std::size_t written = 0;
  const lastlayer::Status saved =
      lastlayer::save_checkpoint(model.view(), checkpoint.data(), checkpoint.size(), &written);
  if (saved != lastlayer::Status::ok) {
    return fail(std::string("cannot make a checkpoint: ") + lastlayer::to_string(saved));
  }
  if (!opt.save_path.empty()) {
    if (!write_file(opt.save_path, checkpoint)) return fail("cannot write " + opt.save_path);
    std::printf("checkpoint: %s (%zu bytes)\n", opt.save_path.c_str(), written);
  }
  if (!opt.header_path.empty()) {
    lastlayer_train::HeaderContents h;
    h.name = opt.name;
    char line[256];
    std::snprintf(line, sizeof line,
                  "%zu features, %zu classes; %u epochs, learning rate %s, seed %u; test "
                  "accuracy %.4f.",
                  inputs, classes, opt.epochs, rate.c_str(), opt.seed, test_metrics.accuracy);
    h.provenance = line;
    h.standardized = opt.standardize;
    h.mean = mean;
    h.scale = scale;
    h.checkpoint = checkpoint;
    if (!lastlayer_train::write_header(opt.header_path, model, h, &message)) return fail(message);
    std::printf("header: %s\n", opt.header_path.c_str());
  }
  std::printf("test accuracy: %.4f\n", test_metrics.accuracy);
  return 0;
}
