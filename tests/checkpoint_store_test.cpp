// The A/B checkpoint store on a simulated flash that obeys flash rules (erase before write,
// aligned write units) and loses power after any single write unit or during any erase. After
// each cut and restart, restore must give the model before the interrupted save or the one it
// was saving, bit-exact: never a mixture, never garbage, never nothing.
#include "lastlayer/checkpoint_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "lastlayer/lastlayer.hpp"
#include "support/model_bytes.hpp"

namespace {

using lastlayer::CheckpointStorage;
using lastlayer::Status;
using Model = lastlayer::Classifier<8, 3>;

// NOR-like flash. Every erase call and every write unit is one event; with a cut armed at event
// e, events before e complete, event e is torn (half done, the rest garbage for an erase) or
// skipped, and then the power is gone: every later call fails and changes nothing.
struct SimFlash {
  static constexpr std::size_t kCapacity = 2048;
  std::uint8_t mem[kCapacity];
  std::size_t write_size = 1, erase_size = 32;
  long cut_at = -1;  // event index of the power cut; -1: none
  bool tear = true;
  bool powered = true;
  bool rule_broken = false;  // a misaligned access or a write to bytes not erased
  bool fail_reads = false, fail_writes = false;
  long stuck_bit_at = -1;  // a byte whose bit 0 never programs to 0 (worn flash)
  long events = 0;

  SimFlash() { std::memset(mem, 0xFF, sizeof mem); }

  // True when event may run in full.
  bool next_event() {
    const bool cut = cut_at >= 0 && events == cut_at;
    ++events;
    if (cut) powered = false;
    return !cut;
  }

  static int read(void* c, std::size_t offset, std::uint8_t* out, std::size_t size) {
    auto* f = static_cast<SimFlash*>(c);
    if (!f->powered || f->fail_reads || offset + size > kCapacity) return -1;
    std::memcpy(out, f->mem + offset, size);
    return 0;
  }

  static int write(void* c, std::size_t offset, const std::uint8_t* in, std::size_t size) {
    auto* f = static_cast<SimFlash*>(c);
    if (!f->powered || f->fail_writes) return -1;
    if (offset % f->write_size != 0 || size % f->write_size != 0 || offset + size > kCapacity) {
      f->rule_broken = true;
      return -1;
    }
    for (std::size_t unit = 0; unit < size; unit += f->write_size) {
      const bool whole = f->next_event();
      // A torn unit: its first half programmed, the rest only partly (some bits cleared).
      const std::size_t full = whole ? f->write_size : (f->tear ? f->write_size / 2 : 0);
      const std::size_t part = whole || !f->tear ? full : f->write_size;
      for (std::size_t i = unit; i < unit + part; ++i) {
        if (f->mem[offset + i] != 0xFF) f->rule_broken = true;
        // Programming only clears bits.
        f->mem[offset + i] &= i < unit + full ? in[i] : static_cast<std::uint8_t>(in[i] | 0xF0);
        if (static_cast<long>(offset + i) == f->stuck_bit_at) f->mem[offset + i] |= 1u;
      }
      if (!whole) return -1;
    }
    return 0;
  }

  static int erase(void* c, std::size_t offset, std::size_t size) {
    auto* f = static_cast<SimFlash*>(c);
    if (!f->powered) return -1;
    if (offset % f->erase_size != 0 || size != f->erase_size || offset + size > kCapacity) {
      f->rule_broken = true;
      return -1;
    }
    if (!f->next_event()) {
      if (f->tear) {  // half erased, then indeterminate bits
        std::memset(f->mem + offset, 0xFF, size / 2);
        for (std::size_t i = size / 2; i < size; ++i) f->mem[offset + i] ^= 0x5A;
      }
      return -1;
    }
    std::memset(f->mem + offset, 0xFF, size);
    return 0;
  }

  CheckpointStorage storage() {
    const std::size_t record = lastlayer::checkpoint_record_size(8, 3, write_size);
    const std::size_t slot = lastlayer::round_up_to(record, erase_size);
    return {this, read, write, erase, {0, slot}, slot, erase_size, write_size};
  }

  void restart() {
    powered = true;
    cut_at = -1;
  }
};

// The largest record of the geometries below (write unit 256).
constexpr std::size_t kBufferSize = lastlayer::checkpoint_record_size(8, 3, 256);

// A distinct trained model per generation.
void make_model(int generation, Model* m) {
  m->reset();
  float x[8];
  for (int step = 0; step < 20 + generation; ++step) {
    for (int j = 0; j < 8; ++j)
      x[j] = std::cos(0.3f * static_cast<float>(step * 8 + j + generation));
    ASSERT_EQ(m->train(x, (step + generation) % 3, {0.2f}), Status::ok);
  }
}

struct Saved {
  std::uint8_t bytes[Model::checkpoint_size];
};

Saved bytes_of(const Model& m) {
  Saved s;
  std::size_t n = 0;
  EXPECT_EQ(m.save(s.bytes, sizeof s.bytes, &n), Status::ok);
  return s;
}

bool same(const Saved& a, const Saved& b) {
  return std::memcmp(a.bytes, b.bytes, sizeof a.bytes) == 0;
}

struct Geometry {
  std::size_t write_size, erase_size;
};

class PowerCut : public ::testing::TestWithParam<Geometry> {};

// Stores `before` generations, then cuts the power at every event of the next store.
void cut_every_event(const Geometry& g, int before, bool tear) {
  static Model models[5], restored;
  for (int i = 0; i <= before + 1; ++i) make_model(i, &models[i]);
  static std::uint8_t buffer[kBufferSize];

  // How many events one store takes.
  long events_per_store = 0;
  {
    SimFlash f;
    f.write_size = g.write_size;
    f.erase_size = g.erase_size;
    const CheckpointStorage s = f.storage();
    ASSERT_EQ(lastlayer::store_checkpoint(s, models[0], buffer, sizeof buffer), Status::ok);
    events_per_store = f.events;
  }
  ASSERT_GT(events_per_store, 0);

  int got_previous = 0, got_new = 0;
  for (long e = 0; e <= events_per_store; ++e) {
    SCOPED_TRACE(e);
    static SimFlash f;
    f = SimFlash();
    f.write_size = g.write_size;
    f.erase_size = g.erase_size;
    f.tear = tear;
    const CheckpointStorage s = f.storage();
    for (int i = 0; i < before; ++i) {
      ASSERT_EQ(lastlayer::store_checkpoint(s, models[i], buffer, sizeof buffer), Status::ok);
    }
    f.cut_at = f.events + e;
    const Status cut = lastlayer::store_checkpoint(s, models[before], buffer, sizeof buffer);
    EXPECT_EQ(cut == Status::ok, e == events_per_store);
    f.restart();

    restored.reset();
    std::uint32_t seq = 0;
    const Status r = lastlayer::restore_checkpoint(s, restored, buffer, sizeof buffer, &seq);
    if (before == 0 && r == Status::no_checkpoint) {
      ++got_previous;  // nothing before, nothing after: the blank store is the previous state
    } else {
      ASSERT_EQ(r, Status::ok);
      const Saved now = bytes_of(restored);
      const bool previous = before > 0 && same(now, bytes_of(models[before - 1]));
      const bool fresh = same(now, bytes_of(models[before]));
      ASSERT_TRUE(previous || fresh) << "restored a model that was never saved";
      got_previous += previous;
      got_new += fresh;
      // Commit-last: a cut before the final write unit always keeps the previous model.
      if (e + 1 < events_per_store) {
        EXPECT_TRUE(previous || before == 0);
      }
      if (e == events_per_store) {
        EXPECT_TRUE(fresh);
      }
      EXPECT_EQ(seq, static_cast<std::uint32_t>(fresh ? before + 1 : before));
    }
    // A second cut at the same point of the next save (power failing again at boot) must not
    // lose what survived the first.
    Saved survivor;
    const bool had_one = r == Status::ok;
    if (had_one) survivor = bytes_of(restored);
    f.cut_at = f.events + e;
    lastlayer::store_checkpoint(s, models[before + 1], buffer, sizeof buffer);
    f.restart();
    restored.reset();
    const Status r2 = lastlayer::restore_checkpoint(s, restored, buffer, sizeof buffer);
    if (r2 == Status::ok) {
      EXPECT_TRUE((had_one && same(bytes_of(restored), survivor)) ||
                  same(bytes_of(restored), bytes_of(models[before + 1])));
    } else {
      EXPECT_FALSE(had_one);
      EXPECT_EQ(r2, Status::no_checkpoint);
    }
    // The store carries on: the next save lands and is the newest.
    ASSERT_EQ(lastlayer::store_checkpoint(s, models[before + 1], buffer, sizeof buffer),
              Status::ok);
    ASSERT_EQ(lastlayer::restore_checkpoint(s, restored, buffer, sizeof buffer), Status::ok);
    EXPECT_TRUE(same(bytes_of(restored), bytes_of(models[before + 1])));
    EXPECT_FALSE(f.rule_broken);
  }
  EXPECT_EQ(got_new + got_previous, events_per_store + 1);
}

TEST_P(PowerCut, TornAtEveryEventIntoABlankSlot) {
  cut_every_event(GetParam(), 1, true);
}
TEST_P(PowerCut, TornAtEveryEventOverTheOlderSlot) {
  cut_every_event(GetParam(), 2, true);
}
TEST_P(PowerCut, TornAtEveryEventThirdGeneration) {
  cut_every_event(GetParam(), 3, true);
}
TEST_P(PowerCut, CleanCutAtEveryEvent) {
  cut_every_event(GetParam(), 2, false);
}
TEST_P(PowerCut, CutDuringTheFirstEverSave) {
  cut_every_event(GetParam(), 0, true);
}

INSTANTIATE_TEST_SUITE_P(Geometries, PowerCut,
                         ::testing::Values(Geometry{1, 32}, Geometry{4, 64}, Geometry{16, 128},
                                           Geometry{256, 256}));

class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    make_model(0, &a);
    make_model(1, &b);
    s = flash.storage();
  }
  SimFlash flash;
  CheckpointStorage s{};
  Model a, b, target;
  std::uint8_t buffer[kBufferSize];
};

TEST_F(Store, BlankStorageHasNoCheckpointAndLeavesTheModel) {
  ASSERT_EQ(target.set_bias(1, 3.0f), Status::ok);
  const lastlayer_test::Snapshot<Model> before(target);
  EXPECT_EQ(lastlayer::restore_checkpoint(s, target, buffer, sizeof buffer), Status::no_checkpoint);
  EXPECT_TRUE(before.unchanged());
}

TEST_F(Store, AlternatesSlotsAndCountsUp) {
  std::uint32_t seq = 0;
  for (std::uint32_t i = 1; i <= 5; ++i) {
    ASSERT_EQ(lastlayer::store_checkpoint(s, i % 2 ? a : b, buffer, sizeof buffer, &seq),
              Status::ok);
    EXPECT_EQ(seq, i);
    ASSERT_EQ(lastlayer::restore_checkpoint(s, target, buffer, sizeof buffer, &seq), Status::ok);
    EXPECT_EQ(seq, i);
    EXPECT_TRUE(same(bytes_of(target), bytes_of(i % 2 ? a : b)));
  }
}

TEST_F(Store, ADamagedNewestRecordFallsBackToTheOther) {
  ASSERT_EQ(lastlayer::store_checkpoint(s, a, buffer, sizeof buffer), Status::ok);  // slot A
  ASSERT_EQ(lastlayer::store_checkpoint(s, b, buffer, sizeof buffer), Status::ok);  // slot B
  flash.mem[s.slot_offset[1] + 40] ^= 0x10;  // bit rot inside b's weights
  ASSERT_EQ(lastlayer::restore_checkpoint(s, target, buffer, sizeof buffer), Status::ok);
  EXPECT_TRUE(same(bytes_of(target), bytes_of(a)));
}

TEST_F(Store, AnotherShapeIsNotACheckpointForThisModel) {
  ASSERT_EQ(lastlayer::store_checkpoint(s, a, buffer, sizeof buffer), Status::ok);
  lastlayer::Classifier<4, 5> other;  // fits the slots, but another shape
  CheckpointStorage s2 = s;
  EXPECT_EQ(lastlayer::restore_checkpoint(s2, other, buffer, sizeof buffer), Status::no_checkpoint);
}

TEST_F(Store, ReadFailuresStopBeforeAnythingIsErased) {
  ASSERT_EQ(lastlayer::store_checkpoint(s, a, buffer, sizeof buffer), Status::ok);
  const long events = flash.events;
  flash.fail_reads = true;
  EXPECT_EQ(lastlayer::store_checkpoint(s, b, buffer, sizeof buffer), Status::storage_error);
  EXPECT_EQ(flash.events, events);
  const lastlayer_test::Snapshot<Model> before(target);
  EXPECT_EQ(lastlayer::restore_checkpoint(s, target, buffer, sizeof buffer), Status::storage_error);
  EXPECT_TRUE(before.unchanged());
}

TEST_F(Store, AFailedOrUnverifiedWriteKeepsThePreviousModel) {
  ASSERT_EQ(lastlayer::store_checkpoint(s, a, buffer, sizeof buffer), Status::ok);
  flash.fail_writes = true;
  EXPECT_EQ(lastlayer::store_checkpoint(s, b, buffer, sizeof buffer), Status::storage_error);
  flash.fail_writes = false;
  // A worn bit in slot B's checkpoint: the read-back catches it and nothing is committed.
  flash.stuck_bit_at = static_cast<long>(s.slot_offset[1] + 21);  // version's high byte, 0
  EXPECT_EQ(lastlayer::store_checkpoint(s, b, buffer, sizeof buffer), Status::storage_error);
  ASSERT_EQ(lastlayer::restore_checkpoint(s, target, buffer, sizeof buffer), Status::ok);
  EXPECT_TRUE(same(bytes_of(target), bytes_of(a)));
}

TEST_F(Store, RefusesBadGeometryAndSmallBuffers) {
  const std::size_t record = lastlayer::checkpoint_record_size(8, 3, 1);
  EXPECT_EQ(lastlayer::store_checkpoint(s, a, buffer, record - 1), Status::buffer_too_small);
  EXPECT_EQ(lastlayer::store_checkpoint(s, a, nullptr, sizeof buffer), Status::invalid_argument);
  CheckpointStorage bad = s;
  bad.write = nullptr;
  EXPECT_EQ(lastlayer::store_checkpoint(bad, a, buffer, sizeof buffer), Status::invalid_argument);
  bad = s;
  bad.slot_offset[1] = bad.slot_offset[0];  // overlapping slots
  EXPECT_EQ(lastlayer::store_checkpoint(bad, a, buffer, sizeof buffer), Status::invalid_argument);
  bad = s;
  bad.slot_offset[1] += 1;  // not on an erase unit
  EXPECT_EQ(lastlayer::store_checkpoint(bad, a, buffer, sizeof buffer), Status::invalid_argument);
  bad = s;
  bad.slot_size = flash.erase_size;  // the record does not fit
  EXPECT_EQ(lastlayer::store_checkpoint(bad, a, buffer, sizeof buffer), Status::invalid_argument);
  bad = s;
  bad.write_size = 0;
  EXPECT_EQ(lastlayer::restore_checkpoint(bad, target, buffer, sizeof buffer),
            Status::invalid_argument);
  EXPECT_EQ(flash.events, 0);
}

TEST_F(Store, RefusesANonFiniteHandWrittenModelBeforeErasing) {
  float w[16] = {std::numeric_limits<float>::infinity()};
  float bias[1] = {0.0f};
  float bound = 0.0f;
  const lastlayer::ConstModelView v(w, bias, &bound, 8, 1, 16);
  CheckpointStorage s1 = s;
  EXPECT_EQ(lastlayer::store_checkpoint(s1, v, buffer, sizeof buffer), Status::non_finite);
  EXPECT_EQ(flash.events, 0);
}

}  // namespace
