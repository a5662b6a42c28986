// Non-owning views of a model and of a gradient accumulator with runtime sizes. The algorithms
// take these, so they are compiled once for every model size (small flash), and host tools
// with sizes known only at run time use the same code.
#pragma once

#include <cstddef>

namespace lastlayer {

struct ModelView {
  float* weights;     // K rows, `stride` floats apart; the padding after column D stays 0
  float* bias;        // K values
  float* bound;       // >= max |weight|, |bias|: lets a step prove, in O(1), that it stays finite
  std::size_t inputs;   // D
  std::size_t classes;  // K
  std::size_t stride;   // floats between rows, a multiple of kRowPadFloats, >= D
};

struct ConstModelView {
  const float* weights;
  const float* bias;
  const float* bound;
  std::size_t inputs;
  std::size_t classes;
  std::size_t stride;

  ConstModelView(const float* w, const float* b, const float* bd, std::size_t d, std::size_t k,
                 std::size_t s)
      : weights(w), bias(b), bound(bd), inputs(d), classes(k), stride(s) {}
  ConstModelView(const ModelView& m)  // NOLINT(google-explicit-constructor): views convert freely
      : ConstModelView(m.weights, m.bias, m.bound, m.inputs, m.classes, m.stride) {}
};

// Sum over samples of (p - t) x^T and of (p - t), same layout as the model it belongs to.
struct GradientView {
  float* weights;
  float* bias;
  float* feature_bound;  // max |x| seen, so the mean step can be checked for overflow up front
  std::size_t* count;    // samples accumulated
  std::size_t inputs;
  std::size_t classes;
  std::size_t stride;
};

}  // namespace lastlayer
