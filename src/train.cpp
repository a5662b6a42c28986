// Per-sample SGD and mini-batch gradient accumulation: one validated forward pass that leaves
// g = p - t, then the update. Every check runs before the first write, so a refused step leaves
// the model's bytes as they were.
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "kernels/kernels.hpp"
#include "lastlayer/algorithms.hpp"

namespace lastlayer {
namespace {

// g = softmax(W x + b) - t, t = target or the one-hot of label (target == nullptr),
// *x_max = max |x| and *g_max = max |g|. The label or target must already be validated.
// (A template over the view type: converting a ModelView would copy it on every step.)
template <class View>
Status residual(const View& m, const float* x, std::size_t label, const float* target, float* g,
                float* x_max, float* g_max) {
  if (x == nullptr) return Status::invalid_argument;
  // Logits, and max |x| from the same loads of x. A NaN or Inf feature makes every logit NaN or
  // Inf (0 * Inf is NaN), so the check of the logits below refuses it as well.
  kernels::logits(m.weights, m.stride, m.bias, x, m.inputs, m.classes, g, x_max);
  // Soft-max, target and max |g| in one fused pass, which first checks the logits: finite x
  // and finite weights can still overflow a dot product, and soft-max of it would be NaN.
  *g_max = kernels::softmax_residual(g, m.classes, target != nullptr ? 0 : label, target);
  if (!(*g_max <= std::numeric_limits<float>::max())) return Status::non_finite;
  return Status::ok;
}

Status check_sample(const ConstModelView& m, std::size_t label, const float* target) {
  if (target != nullptr) return detail::check_target(target, m.classes);
  return label < m.classes ? Status::ok : Status::invalid_label;
}

// The rate of the normalized step (MATH.md fact 8): alpha / L_i, L_i = |x~|^2 / 2 the curvature
// bound of this sample's loss. |x|^2 is summed in double so it cannot overflow to Inf.
float normalized_rate(float alpha, const float* x, std::size_t d) {
  double sq = 1.0;
  for (std::size_t j = 0; j < d; ++j) sq += static_cast<double>(x[j]) * x[j];
  return static_cast<float>(alpha / (0.5 * sq));
}

// The learning rate of one step and the model's bound after it, or diverged.
LASTLAYER_INLINE Status rate_and_bound(const ModelView& m, const float* x, const SgdOptions& opt,
                                       float x_max, float g_max, float* lr, float* new_bound) {
  *lr = opt.rule == SgdOptions::StepRule::normalized ? normalized_rate(opt.alpha, x, m.inputs)
                                                     : opt.learning_rate;
  const float delta = detail::with_rounding_slack(*lr * g_max * (x_max > 1.0f ? x_max : 1.0f));
  return detail::bound_after_step(m, delta, new_bound) ? Status::ok : Status::diverged;
}

LASTLAYER_INLINE Status check_options(const SgdOptions& opt) {
  if (opt.rule == SgdOptions::StepRule::normalized) {
    return opt.alpha > 0.0f && opt.alpha < 2.0f ? Status::ok : Status::invalid_argument;
  }
  return detail::check_learning_rate(opt);
}

// No weight moves by more than lr * max |p - t| * max |x| (bias: lr * max |p - t|). Not simply
// lr * max |x|: a soft target may sum to 1 + 1e-3, so |p - t| can exceed 1.
Status step(const ModelView& m, const float* x, std::size_t label, const float* target,
            const SgdOptions& opt, float* g) {
  Status s = check_options(opt);
  if (s == Status::ok) s = check_sample(m, label, target);
  float x_max = 0.0f, g_max = 0.0f, lr = 0.0f, new_bound = 0.0f;
  if (s == Status::ok) s = residual(m, x, label, target, g, &x_max, &g_max);
  if (s != Status::ok) return s;
  s = rate_and_bound(m, x, opt, x_max, g_max, &lr, &new_bound);
  if (s != Status::ok) return s;
  kernels::rank_one_update(m.weights, m.stride, m.bias, g, lr, x, m.inputs, m.classes);
  *m.bound = new_bound;
  return Status::ok;
}

// Steps on rows[0 .. count): sample i's residual is in g when its step is decided; its update
// then runs fused with sample i + 1's logits (into z), whose residual becomes the next g.
Status steps(const ModelView& m, const float* const* rows, const std::size_t* labels,
             std::size_t count, const SgdOptions& opt, float* g, float* z, std::size_t* done) {
  if (count > 0 && (rows == nullptr || labels == nullptr)) return Status::invalid_argument;
  const auto check = [&](std::size_t i) {
    if (rows[i] == nullptr) return Status::invalid_argument;
    return check_sample(m, labels[i], nullptr);
  };
  std::size_t i = 0;
  float x_max = 0.0f, g_max = 0.0f;
  Status s = check_options(opt);
  if (s == Status::ok && count > 0) s = check(0);
  if (s == Status::ok && count > 0) s = residual(m, rows[0], labels[0], nullptr, g, &x_max, &g_max);
  for (; s == Status::ok && i < count; ++i) {
    float lr = 0.0f, new_bound = 0.0f;
    s = rate_and_bound(m, rows[i], opt, x_max, g_max, &lr, &new_bound);
    if (s != Status::ok) break;
    const Status next = i + 1 < count ? check(i + 1) : Status::invalid_argument;
    if (next != Status::ok) {  // the last sample, or a next one that cannot be read
      kernels::rank_one_update(m.weights, m.stride, m.bias, g, lr, rows[i], m.inputs, m.classes);
      *m.bound = new_bound;
      if (i + 1 < count) {
        s = next;
        ++i;
        break;
      }
      continue;
    }
    kernels::update_then_logits(m.weights, m.stride, m.bias, g, lr, rows[i], rows[i + 1], m.inputs,
                                m.classes, z, &x_max);
    *m.bound = new_bound;
    // Sample i + 1's soft-max residual, which checks its logits as residual() does.
    g_max = kernels::softmax_residual(z, m.classes, labels[i + 1], nullptr);
    if (!(g_max <= std::numeric_limits<float>::max())) {
      s = Status::non_finite;
      ++i;
      break;
    }
    float* const t = g;
    g = z;
    z = t;
  }
  if (done != nullptr) *done = i;
  return s;
}

Status accumulate(const ConstModelView& m, const GradientView& gv, const float* x,
                  std::size_t label, const float* target, float* g) {
  Status s = check_sample(m, label, target);
  float x_max = 0.0f;
  float g_max = 0.0f;  // not needed here: each accumulated entry is bounded through max |x|
  if (s == Status::ok) s = residual(m, x, label, target, g, &x_max, &g_max);
  if (s != Status::ok) return s;
  // Each accumulated entry is at most count * max |x| in magnitude; keep that finite.
  const float feature_bound = std::fmax(std::fmax(*gv.feature_bound, x_max), 1.0f);
  if (!(feature_bound * static_cast<float>(*gv.count + 1) <= detail::kWeightLimit)) {
    return Status::diverged;
  }
  kernels::accumulate_outer(gv.weights, gv.stride, gv.bias, g, x, gv.inputs, gv.classes);
  *gv.feature_bound = feature_bound;
  ++*gv.count;
  return Status::ok;
}

}  // namespace

Status train_step(const ModelView& m, const float* x, std::size_t label, const SgdOptions& opt,
                  float* scratch) {
  return step(m, x, label, nullptr, opt, scratch);
}

Status train_steps(const ModelView& m, const float* const* rows, const std::size_t* labels,
                   std::size_t count, const SgdOptions& opt, float* scratch, std::size_t* done) {
  return steps(m, rows, labels, count, opt, scratch, scratch + m.classes, done);
}

Status train_step(const ModelView& m, const float* x, const float* target, const SgdOptions& opt,
                  float* scratch) {
  if (target == nullptr) return Status::invalid_argument;
  return step(m, x, 0, target, opt, scratch);
}

Status accumulate_gradient(const ConstModelView& m, const GradientView& g, const float* x,
                           std::size_t label, float* scratch) {
  return accumulate(m, g, x, label, nullptr, scratch);
}

Status accumulate_gradient(const ConstModelView& m, const GradientView& g, const float* x,
                           const float* target, float* scratch) {
  if (target == nullptr) return Status::invalid_argument;
  return accumulate(m, g, x, 0, target, scratch);
}

Status apply_mean_gradient(const ModelView& m, const GradientView& g, const SgdOptions& opt) {
  if (*g.count == 0) return Status::empty_batch;
  if (g.inputs != m.inputs || g.classes != m.classes || g.stride != m.stride) {
    return Status::invalid_argument;
  }
  const Status s = detail::check_learning_rate(opt);
  if (s != Status::ok) return s;
  // The largest entry of the sum, taken exactly: a bound from max |x| alone would assume
  // |p - t| <= 1 and exact sums, neither of which holds.
  const float c = opt.learning_rate / static_cast<float>(*g.count);
  const ConstModelView sum(g.weights, g.bias, g.feature_bound, g.inputs, g.classes, g.stride);
  float new_bound = 0.0f;
  if (!detail::bound_after_step(m, detail::with_rounding_slack(c * detail::max_abs_weight(sum)),
                                &new_bound)) {
    return Status::diverged;
  }
  kernels::subtract_scaled(m.weights, m.bias, g.weights, g.bias, c, m.stride, m.inputs, m.classes);
  *m.bound = new_bound;
  clear_gradient(g);
  return Status::ok;
}

void clear_gradient(const GradientView& g) {
  for (std::size_t i = 0; i < g.classes * g.stride; ++i) g.weights[i] = 0.0f;
  for (std::size_t k = 0; k < g.classes; ++k) g.bias[k] = 0.0f;
  *g.feature_bound = 0.0f;
  *g.count = 0;
}

}  // namespace lastlayer
