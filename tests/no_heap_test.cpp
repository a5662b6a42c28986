// The no-heap promise, measured: training, inference and the reference protocol make no heap
// allocation. Every global operator new and delete is replaced by a counting one, and malloc,
// calloc, realloc and free are wrapped at link time (-Wl,--wrap, see tests/CMakeLists.txt), so
// a call from the library, the protocol or this file is counted whichever way it allocates.
// Works under AddressSanitizer too: the wrappers forward to the (intercepted) real functions.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "data/digits.hpp"
#include "lastlayer/lastlayer.hpp"
#include "lastlayer_protocol/experiment.hpp"

namespace {

// Allocations seen while `counting` is set. Plain globals: the tests are single-threaded.
std::size_t allocations = 0;
bool counting = false;

void note_allocation() {
  if (counting) ++allocations;
}

// Counts the allocations made while it is alive.
class AllocationCounter {
 public:
  AllocationCounter() {
    allocations = 0;
    counting = true;
  }
  ~AllocationCounter() { counting = false; }
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;
  std::size_t count() const { return allocations; }
};

}  // namespace

// The real allocator, reached through the linker's --wrap renaming.
extern "C" {
void* __real_malloc(std::size_t n);
void* __real_calloc(std::size_t n, std::size_t size);
void* __real_realloc(void* p, std::size_t n);
void __real_free(void* p);

void* __wrap_malloc(std::size_t n) {
  note_allocation();
  return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t size) {
  note_allocation();
  return __real_calloc(n, size);
}
void* __wrap_realloc(void* p, std::size_t n) {
  note_allocation();
  return __real_realloc(p, n);
}
void __wrap_free(void* p) {
  __real_free(p);
}
}

// Replaced global allocation functions. The array and nothrow forms of the standard library
// forward to these; the aligned forms keep the original pointer just below the aligned block.
void* operator new(std::size_t n) {
  note_allocation();
  void* p = __real_malloc(n == 0 ? 1 : n);
  if (p == nullptr) std::abort();  // out of memory in a test: nothing sensible to do
  return p;
}
void operator delete(void* p) noexcept {
  __real_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  __real_free(p);
}

void* operator new(std::size_t n, std::align_val_t align) {
  note_allocation();
  const auto a = static_cast<std::size_t>(align);
  void* raw = __real_malloc(n + a + sizeof(void*));
  if (raw == nullptr) std::abort();
  const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(raw) + sizeof(void*);
  void** aligned = reinterpret_cast<void**>((start + a - 1) / a * a);
  aligned[-1] = raw;
  return aligned;
}
void operator delete(void* p, std::align_val_t) noexcept {
  if (p != nullptr) __real_free(static_cast<void**>(p)[-1]);
}
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept {
  operator delete(p, a);
}

namespace {

constexpr std::size_t kInputs = 64, kClasses = 10, kSamples = 1797;
using Model = lastlayer::Classifier<kInputs, kClasses>;

// Stores a pointer where the optimizer cannot see it is unused, so the allocations under test
// are not elided.
void* volatile sink;

TEST(NoHeap, CounterSeesOperatorNewAndMalloc) {
  std::size_t seen = 0;
  {
    AllocationCounter counter;
    int* p = new int(1);
    sink = p;
    delete p;
    void* q = std::malloc(16);
    sink = q;
    std::free(q);
    seen = counter.count();
  }
  EXPECT_EQ(seen, 2u) << "the counting allocator is not in place; the other tests prove nothing";
}

TEST(NoHeap, TrainingAndInference) {
  static Model model;
  static lastlayer::GradientAccumulator<kInputs, kClasses> batch;
  float x[kInputs], target[kClasses] = {}, p[kClasses];
  for (std::size_t j = 0; j < kInputs; ++j) x[j] = 0.01f * static_cast<float>(j % 13) - 0.05f;
  target[2] = 0.25f;
  target[7] = 0.75f;
  lastlayer::SgdOptions opt;
  opt.learning_rate = 0.05f;

  std::size_t seen = 0;
  lastlayer::Status s[6];
  {
    AllocationCounter counter;
    s[0] = model.train(x, 3, opt);
    s[1] = model.train(x, target, opt);
    s[2] = model.probabilities(x, p);
    sink = p + model.predict(x);
    sink = &(p[0] = model.loss(x, 3) + model.loss(x, target));
    s[3] = batch.add(model, x, 4);
    s[4] = batch.add(model, x, target);
    s[5] = batch.step(model, opt);
    // Refused steps take the same path up to their checks.
    sink = &(s[0] == lastlayer::Status::ok ? s[0] : s[1]);
    (void)model.train(x, kClasses, opt);
    seen = counter.count();
  }
  for (const lastlayer::Status status : s) EXPECT_EQ(status, lastlayer::Status::ok);
  EXPECT_EQ(seen, 0u);
}

TEST(NoHeap, ReferenceProtocolRun) {
  using Experiment = lastlayer::protocol::Experiment<kInputs, kClasses, kSamples>;
  static Model model;
  lastlayer::SgdOptions opt;
  std::size_t seen = 0;
  lastlayer::Status status = lastlayer::Status::ok;
  double accuracy = 0.0;
  {
    AllocationCounter counter;
    static Experiment experiment(lastlayer::data::digits);  // split and scaler fitted here
    status = experiment.epoch(model, opt);
    accuracy = experiment.evaluate(model, true).accuracy;
    seen = counter.count();
  }
  EXPECT_EQ(status, lastlayer::Status::ok);
  EXPECT_GT(accuracy, 0.9);
  EXPECT_EQ(seen, 0u);
}

}  // namespace
