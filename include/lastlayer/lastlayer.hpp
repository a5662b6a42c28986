// lastlayer: train a soft-max classifier (multinomial logistic regression) on the device.
// Fixed sizes, no heap, no exceptions. See README.md for a tour.
#pragma once

#include "lastlayer/algorithms.hpp"
#include "lastlayer/batch_trainer.hpp"
#include "lastlayer/classifier.hpp"
#include "lastlayer/checkpoint.hpp"
#include "lastlayer/checkpoint_store.hpp"
#include "lastlayer/convex.hpp"
#include "lastlayer/crc32.hpp"
#include "lastlayer/gradient_accumulator.hpp"
#include "lastlayer/options.hpp"
#include "lastlayer/softmax.hpp"
#include "lastlayer/status.hpp"
