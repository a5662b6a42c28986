// A model whose sizes are known only at run time: the same padded, aligned layout as
// Classifier<D, K>, on the heap (this is a host tool), handed to the library as a ModelView.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "lastlayer/layout.hpp"
#include "lastlayer/model_view.hpp"

namespace lastlayer_train {

class RuntimeModel {
 public:
  RuntimeModel(std::size_t inputs, std::size_t classes)
      : inputs_(inputs),
        classes_(classes),
        stride_(lastlayer::padded_stride(inputs)),
        weights_(new (std::align_val_t{lastlayer::kRowAlignBytes}) float[classes * stride_]()),
        bias_(classes, 0.0f),
        scratch_(classes, 0.0f) {}

  lastlayer::ModelView view() {
    return {weights_.get(), bias_.data(), &bound_, inputs_, classes_, stride_};
  }
  lastlayer::ConstModelView view() const {
    return {weights_.get(), bias_.data(), &bound_, inputs_, classes_, stride_};
  }
  // K floats the algorithms use as work space.
  float* scratch() const { return scratch_.data(); }

  std::size_t inputs() const { return inputs_; }
  std::size_t classes() const { return classes_; }
  float weight(std::size_t k, std::size_t j) const { return weights_[k * stride_ + j]; }
  float bias(std::size_t k) const { return bias_[k]; }

 private:
  struct AlignedDelete {
    void operator()(float* p) const {
      ::operator delete[](p, std::align_val_t{lastlayer::kRowAlignBytes});
    }
  };

  std::size_t inputs_;
  std::size_t classes_;
  std::size_t stride_;
  std::unique_ptr<float[], AlignedDelete> weights_;
  std::vector<float> bias_;
  mutable std::vector<float> scratch_;
  float bound_ = 0.0f;
};

}  // namespace lastlayer_train
