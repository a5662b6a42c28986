// Input validation and the overflow guard shared by every algorithm that writes weights.
#pragma once

#include <cstddef>
#include <limits>

#include "lastlayer/model_view.hpp"
#include "lastlayer/options.hpp"
#include "lastlayer/status.hpp"

namespace lastlayer::detail {

// No weight or bias is ever allowed past this magnitude. It sits below FLT_MAX (3.4e38) so that
// the rounding of w - c, with |w| + |c| <= kWeightLimit, cannot reach infinity.
inline constexpr float kWeightLimit = 1e38f;

inline Status check_learning_rate(const SgdOptions& opt) {
  const float lr = opt.learning_rate;
  return (lr > 0.0f && lr <= std::numeric_limits<float>::max()) ? Status::ok
                                                                : Status::invalid_argument;
}

// A probability vector: every entry finite and >= 0, the sum within 1e-3 of 1.
Status check_target(const float* t, std::size_t k);

// A step that moves each weight and bias by at most `delta` keeps every one of them within
// kWeightLimit: true, with the model's new bound in *new_bound. The stored bound only grows
// (by delta per step), so when it runs out the exact maximum is taken before giving up.
bool bound_after_step_exact(const ConstModelView& m, float delta, float* new_bound);
// (A template over the view type: the ConstModelView that the exact check takes is then built
// only on its own, rare path, not in every step.)
template <class View>
inline bool bound_after_step(const View& m, float delta, float* new_bound) {
  const float b = *m.bound + delta;
  if (!(b <= kWeightLimit)) return bound_after_step_exact(ConstModelView(m), delta, new_bound);
  *new_bound = b;
  return true;
}

// max |w|, |b| over the model.
float max_abs_weight(const ConstModelView& m);

// A step's bound on how far a weight moves, widened to cover rounding: the kernels may form
// lr * g * x in any order or fused, each within a few units in the last place of the exact
// product, and the margin makes |w - that| <= bound + delta hold after rounding too.
inline float with_rounding_slack(float delta) {
  return delta * 1.000001f;
}

}  // namespace lastlayer::detail
