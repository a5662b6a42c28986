// The kernels the algorithms call. Each forwards to the implementation selected for this build.
#pragma once

#include <cstddef>

#include "kernels/reference.hpp"

namespace lastlayer::kernels {

using reference::accumulate_outer;
using reference::cross_entropy;
using reference::log_softmax;
using reference::logits;
using reference::logsumexp;
using reference::rank_one_update;
using reference::softmax;
using reference::subtract_scaled;

}  // namespace lastlayer::kernels
