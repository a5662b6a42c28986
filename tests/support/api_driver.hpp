// Drives the public API with a stream of bytes: each call, its features, labels, targets,
// options and checkpoint bytes come from the stream, and after every call the invariants are
// checked. Shared by the randomized divergence test and the API fuzzer (fuzz/), so both check
// the same contract: weights stay finite and within the model's bound, row padding stays zero,
// and a call that returns an error leaves the model (and the accumulator) byte-for-byte as it
// was.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lastlayer/lastlayer.hpp"

namespace lastlayer_test {

// Bytes in, values out; past the end every read gives 0.
class ByteSource {
 public:
  ByteSource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(byte()) << (8 * i);
    return v;
  }
  float raw_float() {
    const std::uint32_t u = u32();
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  // Mostly ordinary values, often the values that break arithmetic.
  float value() {
    const std::uint8_t sel = byte();
    if (sel < 128) return (static_cast<float>(sel) - 64.0f) / 16.0f;
    constexpr float kMax = std::numeric_limits<float>::max();
    const float special[] = {0.0f,
                             -0.0f,
                             1e-45f,
                             -1e-38f,
                             1e-30f,
                             1e10f,
                             -1e20f,
                             1e30f,
                             3e38f,
                             -kMax,
                             kMax,
                             std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN()};
    constexpr std::size_t kSpecials = sizeof special / sizeof special[0];
    if (sel < 128 + kSpecials) return special[sel - 128];
    return raw_float();
  }
  float learning_rate() {
    const std::uint8_t sel = byte();
    const float rates[] = {0.01f,
                           0.1f,
                           1.0f,
                           10.0f,
                           1e10f,
                           1e30f,
                           3e38f,
                           std::numeric_limits<float>::max(),
                           1e-45f,
                           0.0f,
                           -0.1f,
                           std::numeric_limits<float>::infinity(),
                           std::numeric_limits<float>::quiet_NaN()};
    constexpr std::size_t kRates = sizeof rates / sizeof rates[0];
    return sel < kRates * 16 ? rates[sel % kRates] : raw_float();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

template <std::size_t D, std::size_t K>
class ApiDriver {
 public:
  using Model = lastlayer::Classifier<D, K>;
  using Accumulator = lastlayer::GradientAccumulator<D, K>;

  // Makes one call chosen by the stream and checks the invariants. nullptr when all held,
  // otherwise what broke.
  const char* step(ByteSource& in) {
    using lastlayer::Status;
    float x[D], target[K], p[K];
    for (float& v : x) v = in.value();
    fill_target(in, target);
    lastlayer::SgdOptions opt;
    opt.learning_rate = in.learning_rate();
    const std::uint8_t rule = in.byte();
    if (rule < 64) {  // the normalized step, sometimes with a hostile alpha
      opt.rule = lastlayer::SgdOptions::StepRule::normalized;
      opt.alpha = rule < 16 ? in.value() : static_cast<float>(rule) / 32.0f;
    }
    const std::uint8_t label_byte = in.byte();
    const std::size_t label = label_byte < 200 ? label_byte % K : label_byte;
    unsigned char before[sizeof(Model)], acc_before[sizeof(Accumulator)];
    std::memcpy(before, &model_, sizeof before);
    std::memcpy(acc_before, &acc_, sizeof acc_before);
    Status s = Status::ok;
    bool mutates = true;
    switch (in.byte() % 12) {
      case 0:
      case 1:
        s = model_.train(x, label, opt);
        break;
      case 2:
        s = model_.train(x, static_cast<int>(label) - 2, opt);
        break;
      case 3:
        s = model_.train(x, target, opt);
        break;
      case 4:
        s = model_.train(in.byte() & 1 ? x : nullptr, in.byte() & 1 ? target : nullptr, opt);
        break;
      case 5:
        s = acc_.add(model_, x, label);
        if (s != Status::ok && std::memcmp(acc_before, &acc_, sizeof acc_before) != 0) {
          return "a refused add changed the accumulator";
        }
        break;
      case 6:
        s = acc_.add(model_, x, target);
        break;
      case 7:
        s = acc_.step(model_, opt);
        break;
      case 8: {
        const std::size_t k = in.byte() % (K + 1), j = in.byte() % (D + 1);
        s = in.byte() & 1 ? model_.set_weight(k, j, x[0]) : model_.set_bias(k, x[0]);
        break;
      }
      case 9:
        s = load_mutated(in);
        break;
      case 10: {
        mutates = false;
        const std::size_t c = model_.predict(x);
        if (c > K) return "predict returned more than K";
        s = model_.probabilities(x, p);
        if (s == Status::ok) {
          float sum = 0.0f;
          for (float q : p) {
            if (!(q >= 0.0f && q <= 1.0f)) return "a probability outside [0, 1]";
            sum += q;
          }
          if (!(std::fabs(sum - 1.0f) <= 1e-4f)) return "probabilities do not sum to 1";
        }
        const float l = model_.loss(x, label);
        if (!std::isnan(l) && !(l >= 0.0f)) return "a negative loss";
        break;
      }
      default: {
        mutates = false;
        if (const char* e = round_trip()) return e;
        break;
      }
    }
    if (std::memcmp(before, &model_, sizeof before) != 0) {
      if (!mutates) return "a const call changed the model";
      if (s != Status::ok) return "a refused call changed the model";
    }
    return check_model();
  }

  const Model& model() const { return model_; }

 private:
  void fill_target(ByteSource& in, float* t) {
    const std::uint8_t kind = in.byte();
    for (std::size_t k = 0; k < K; ++k) t[k] = 0.0f;
    if (kind < 96) {  // one-hot
      t[kind % K] = 1.0f;
    } else if (kind < 160) {  // a valid mixture
      float sum = 0.0f;
      for (std::size_t k = 0; k < K; ++k) sum += t[k] = static_cast<float>(in.byte() % 8 + 1);
      for (std::size_t k = 0; k < K; ++k) t[k] /= sum;
    } else if (kind < 192) {  // one class, at the edges of the 1e-3 tolerance on the sum
      t[in.byte() % K] = 1.0f + (static_cast<float>(in.byte()) - 127.5f) / 127.5f * 1.1e-3f;
    } else {  // anything
      for (std::size_t k = 0; k < K; ++k) t[k] = in.value();
    }
  }

  // Saves, damages the copy as the stream says (flip, truncate, extend) and loads it.
  lastlayer::Status load_mutated(ByteSource& in) {
    std::uint8_t buf[Model::checkpoint_size + 4] = {};
    std::size_t n = 0;
    if (model_.save(buf, sizeof buf, &n) != lastlayer::Status::ok) return lastlayer::Status::ok;
    const std::uint8_t how = in.byte();
    if (how & 1) buf[in.byte() % n] ^= static_cast<std::uint8_t>(in.byte() | 1);
    if (how & 2) n = in.byte() % (n + 5);
    return model_.load(buf, n);
  }

  const char* round_trip() {
    std::uint8_t buf[Model::checkpoint_size], again[Model::checkpoint_size];
    std::size_t n = 0, m = 0;
    if (model_.save(buf, sizeof buf, &n) != lastlayer::Status::ok) return "save failed";
    static Model copy;
    if (copy.load(buf, n) != lastlayer::Status::ok) return "a saved checkpoint did not load";
    if (copy.save(again, sizeof again, &m) != lastlayer::Status::ok || m != n ||
        std::memcmp(buf, again, n) != 0) {
      return "save -> load -> save changed the bytes";
    }
    return nullptr;
  }

  const char* check_model() const {
    const lastlayer::ConstModelView v = model_.view();
    for (std::size_t k = 0; k < K; ++k) {
      if (!std::isfinite(v.bias[k])) return "a non-finite bias";
      if (!(std::fabs(v.bias[k]) <= *v.bound)) return "a bias above the bound";
      for (std::size_t j = 0; j < v.stride; ++j) {
        const float w = v.weights[k * v.stride + j];
        if (j >= D && w != 0.0f) return "row padding is not zero";
        if (!std::isfinite(w)) return "a non-finite weight";
        if (!(std::fabs(w) <= *v.bound)) return "a weight above the bound";
      }
    }
    if (!(*v.bound <= 1e38f)) return "the bound is past the weight limit";
    return nullptr;
  }

  Model model_;
  Accumulator acc_;
};

}  // namespace lastlayer_test
