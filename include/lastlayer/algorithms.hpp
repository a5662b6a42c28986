// The algorithms over runtime-size model views. Classifier<D, K> calls these; host tools with
// runtime sizes call them directly. Every function that can fail returns a Status and, when it
// does, leaves the model's bytes unchanged.
#pragma once

#include <cstddef>

#include "lastlayer/model_view.hpp"
#include "lastlayer/options.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer {

// One SGD step on one sample with a class label. `scratch` holds K floats.
Status train_step(const ModelView& m, const float* x, std::size_t label, const SgdOptions& opt,
                  float* scratch);

// One SGD step on one sample with a soft target (a probability vector of K entries).
Status train_step(const ModelView& m, const float* x, const float* target, const SgdOptions& opt,
                  float* scratch);

// `count` SGD steps in order, sample i being rows[i] (D floats) with labels[i]: the same steps,
// to the bit, as `count` calls of train_step, but each step's update shares one pass over the
// weights with the next sample's logits. Stops at the first sample whose step is refused and
// returns its status, with *done = its index and the model as the steps before it left it;
// returns ok with *done = count otherwise (`done` may be null). `scratch` holds 2 K floats.
Status train_steps(const ModelView& m, const float* const* rows, const std::size_t* labels,
                   std::size_t count, const SgdOptions& opt, float* scratch, std::size_t* done);

// p = softmax(W x + b).
Status probabilities(const ConstModelView& m, const float* x, float* p);

// argmax of W x + b (the first on ties), or K when x holds a NaN or Inf. `scratch`: K floats.
std::size_t predict(const ConstModelView& m, const float* x, float* scratch);

// Cross-entropy in nats, logsumexp(a) - a[label] with a = W x + b; NaN for a bad label or x.
// `scratch` holds K floats.
float loss(const ConstModelView& m, const float* x, std::size_t label, float* scratch);
float loss(const ConstModelView& m, const float* x, const float* target, float* scratch);

// G += (p - t) x^T, gb += p - t for one sample (mini-batches). `scratch` holds K floats.
Status accumulate_gradient(const ConstModelView& m, const GradientView& g, const float* x,
                           std::size_t label, float* scratch);
Status accumulate_gradient(const ConstModelView& m, const GradientView& g, const float* x,
                           const float* target, float* scratch);

// W -= lr * G / n, b -= lr * gb / n with n the accumulated count; then clears the accumulator.
Status apply_mean_gradient(const ModelView& m, const GradientView& g, const SgdOptions& opt);

// Zeroes the accumulator (weights, bias, count, feature bound).
void clear_gradient(const GradientView& g);

// Sets one weight or bias, keeping the bound current. invalid_argument for an index out of range,
// non_finite for a value that is not finite.
Status set_weight(const ModelView& m, std::size_t k, std::size_t j, float value);
Status set_bias(const ModelView& m, std::size_t k, float value);

// Recomputes *m.bound exactly from the weights (after writing weights by hand).
void refresh_bound(const ModelView& m);

}  // namespace lastlayer
