// Checkpoints: the format (a golden file saved on x86 must load and re-save identically on every
// target), round trips, and every rejection leaving the model byte-for-byte unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lastlayer/lastlayer.hpp"
#include "support/model_bytes.hpp"

namespace {

using lastlayer::Classifier;
using lastlayer::Status;
using lastlayer_test::Snapshot;

// Classifier<3, 2> with W = {{1, -0, 1.5e-42 (subnormal)}, {-3.25, 1e38, 0.1}},
// b = {-1e-3, 42}, as saved by x86-64. Do not regenerate: this is the portability contract.
constexpr std::uint8_t kGolden[52] = {
    0x4C, 0x4C, 0x43, 0x4B, 0x01, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,  // magic, v1, f32, D=3
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x80,  // K=2, W
    0x2E, 0x04, 0x00, 0x00, 0x00, 0x00, 0x50, 0xC0, 0x99, 0x76, 0x96, 0x7E,  //
    0xCD, 0xCC, 0xCC, 0x3D, 0x6F, 0x12, 0x83, 0xBA, 0x00, 0x00, 0x28, 0x42,  // b
    0xD6, 0xFD, 0xE7, 0x22};                                                 // CRC-32

using Small = Classifier<3, 2>;

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

void fill(Small& m) {
  const float w[2][3] = {{1.0f, -0.0f, 1.5e-42f}, {-3.25f, 1e38f, 0.1f}};
  const float b[2] = {-1e-3f, 42.0f};
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t j = 0; j < 3; ++j) ASSERT_EQ(m.set_weight(k, j, w[k][j]), Status::ok);
    ASSERT_EQ(m.set_bias(k, b[k]), Status::ok);
  }
}

// Rewrites the CRC after a deliberate edit, so a test reaches the checks behind the checksum.
void reseal(std::uint8_t* c, std::size_t n) {
  const std::uint32_t crc = lastlayer::crc32(c, n - 4);
  for (int i = 0; i < 4; ++i) c[n - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

void put_float(std::uint8_t* p, float f) {
  const std::uint32_t u = bits(f);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(u >> (8 * i));
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::uint8_t s[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(lastlayer::crc32(s, 9), 0xCBF43926u);
  EXPECT_EQ(lastlayer::crc32(s + 4, 5, lastlayer::crc32(s, 4)), 0xCBF43926u);
  EXPECT_EQ(lastlayer::crc32(s, 0), 0u);
}

TEST(Checkpoint, SizeIsAConstantOfTheShape) {
  static_assert(Small::checkpoint_size == 52);
  static_assert(Classifier<64, 10>::checkpoint_size == 20 + 4 * 10 * 65);
  static_assert(lastlayer::checkpoint_size(0, 3) == 0);
  static_assert(lastlayer::checkpoint_size(3, 0) == 0);
  EXPECT_EQ(sizeof kGolden, Small::checkpoint_size);
}

TEST(Checkpoint, GoldenBytesLoadAndSaveIdentically) {
  Small m;
  ASSERT_EQ(m.load(kGolden, sizeof kGolden), Status::ok);
  EXPECT_EQ(bits(m.weight(0, 0)), bits(1.0f));
  EXPECT_EQ(bits(m.weight(0, 1)), bits(-0.0f));
  EXPECT_EQ(bits(m.weight(0, 2)), bits(1.5e-42f));
  EXPECT_EQ(bits(m.weight(1, 0)), bits(-3.25f));
  EXPECT_EQ(bits(m.weight(1, 1)), bits(1e38f));
  EXPECT_EQ(bits(m.weight(1, 2)), bits(0.1f));
  EXPECT_EQ(bits(m.bias(0)), bits(-1e-3f));
  EXPECT_EQ(bits(m.bias(1)), bits(42.0f));
  std::uint8_t out[sizeof kGolden + 8];
  std::size_t n = 0;
  ASSERT_EQ(m.save(out, sizeof out, &n), Status::ok);
  ASSERT_EQ(n, sizeof kGolden);
  EXPECT_EQ(std::memcmp(out, kGolden, n), 0);
}

TEST(Checkpoint, SaveOfTheGoldenModelGivesTheGoldenBytes) {
  Small m;
  fill(m);
  std::uint8_t out[Small::checkpoint_size];
  std::size_t n = 0;
  ASSERT_EQ(m.save(out, sizeof out, &n), Status::ok);
  ASSERT_EQ(n, sizeof out);
  EXPECT_EQ(std::memcmp(out, kGolden, n), 0);
}

TEST(Checkpoint, TrainedModelRoundTripsBitExactly) {
  using M = Classifier<10, 4>;
  static M a, b;
  float x[10];
  for (int step = 0; step < 200; ++step) {
    for (int j = 0; j < 10; ++j) x[j] = std::sin(0.37f * static_cast<float>(step * 10 + j));
    ASSERT_EQ(a.train(x, step % 4, {0.1f}), Status::ok);
  }
  std::uint8_t buf[M::checkpoint_size];
  std::size_t n = 0;
  ASSERT_EQ(a.save(buf, sizeof buf, &n), Status::ok);
  ASSERT_EQ(b.load(buf, n), Status::ok);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(bits(a.bias(k)), bits(b.bias(k)));
    for (std::size_t j = 0; j < 10; ++j) EXPECT_EQ(bits(a.weight(k, j)), bits(b.weight(k, j)));
  }
  // The loaded model trains on exactly as the original does.
  ASSERT_EQ(a.train(x, 1, {0.1f}), Status::ok);
  ASSERT_EQ(b.train(x, 1, {0.1f}), Status::ok);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(bits(a.bias(k)), bits(b.bias(k)));
}

class Rejection : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(model.set_weight(1, 2, 7.0f), Status::ok);
    std::memcpy(c, kGolden, sizeof kGolden);
  }
  // Loads c[0, n) into the model, expecting `want` and the model's bytes untouched.
  void expect_refused(std::size_t n, Status want) {
    const Snapshot<Small> before(model);
    EXPECT_EQ(model.load(c, n), want);
    EXPECT_TRUE(before.unchanged());
  }
  Small model;
  std::uint8_t c[sizeof kGolden + 4] = {};
};

TEST_F(Rejection, WrongMagic) {
  c[0] = 'X';
  expect_refused(sizeof kGolden, Status::bad_magic);
}

TEST_F(Rejection, WrongVersionElementTypeOrReservedByte) {
  c[4] = 2;
  reseal(c, sizeof kGolden);
  expect_refused(sizeof kGolden, Status::bad_version);
  std::memcpy(c, kGolden, sizeof kGolden);
  c[6] = 2;  // say, binary16
  reseal(c, sizeof kGolden);
  expect_refused(sizeof kGolden, Status::bad_version);
  std::memcpy(c, kGolden, sizeof kGolden);
  c[7] = 1;
  reseal(c, sizeof kGolden);
  expect_refused(sizeof kGolden, Status::bad_version);
}

TEST_F(Rejection, WrongShape) {
  Classifier<2, 3> other;
  const Snapshot<Classifier<2, 3>> before(other);
  EXPECT_EQ(other.load(kGolden, sizeof kGolden), Status::shape_mismatch);
  EXPECT_TRUE(before.unchanged());
  c[8] = 4;  // D = 4 in a buffer that is still 3 x 2
  reseal(c, sizeof kGolden);
  expect_refused(sizeof kGolden, Status::shape_mismatch);
}

TEST_F(Rejection, EveryTruncationAndTrailingBytes) {
  for (std::size_t n = 0; n < sizeof kGolden; ++n) {
    SCOPED_TRACE(n);
    expect_refused(n, Status::truncated);
  }
  expect_refused(sizeof kGolden + 1, Status::truncated);
}

TEST_F(Rejection, EverySingleBitFlip) {
  for (std::size_t i = 0; i < sizeof kGolden; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      SCOPED_TRACE(i * 8 + static_cast<std::size_t>(bit));
      std::memcpy(c, kGolden, sizeof kGolden);
      c[i] = static_cast<std::uint8_t>(c[i] ^ (1u << bit));
      const Snapshot<Small> before(model);
      EXPECT_NE(model.load(c, sizeof kGolden), Status::ok);
      EXPECT_TRUE(before.unchanged());
    }
  }
}

TEST_F(Rejection, NonFiniteOrOutOfRangeValuesBehindAValidChecksum) {
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(), 3e38f, -1.5e38f};
  for (float v : bad) {
    for (std::size_t at : {std::size_t{16}, std::size_t{36}, std::size_t{44}}) {  // W, W, b
      std::memcpy(c, kGolden, sizeof kGolden);
      put_float(c + at, v);
      reseal(c, sizeof kGolden);
      expect_refused(sizeof kGolden, Status::non_finite);
    }
  }
}

TEST_F(Rejection, NullInput) {
  const Snapshot<Small> before(model);
  EXPECT_EQ(model.load(nullptr, sizeof kGolden), Status::invalid_argument);
  EXPECT_EQ(model.load(nullptr, 0), Status::invalid_argument);
  EXPECT_TRUE(before.unchanged());
}

TEST(CheckpointSave, RefusesBadBuffersWithoutWriting) {
  Small m;
  fill(m);
  std::uint8_t out[Small::checkpoint_size];
  std::memset(out, 0xA5, sizeof out);
  std::size_t n = 99;
  EXPECT_EQ(m.save(out, sizeof out - 1, &n), Status::buffer_too_small);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(m.save(out, 0, &n), Status::buffer_too_small);
  EXPECT_EQ(m.save(nullptr, sizeof out, &n), Status::invalid_argument);
  EXPECT_EQ(m.save(out, sizeof out, nullptr), Status::invalid_argument);
  for (std::uint8_t b : out) ASSERT_EQ(b, 0xA5);
}

TEST(CheckpointSave, RefusesAHandWrittenNonFiniteView) {
  float w[4] = {1.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f, 0.0f};
  float b[1] = {0.0f};
  float bound = 1.0f;
  const lastlayer::ConstModelView v(w, b, &bound, 2, 1, 4);
  std::uint8_t out[64];
  std::size_t n = 1;
  EXPECT_EQ(lastlayer::save_checkpoint(v, out, sizeof out, &n), Status::non_finite);
  EXPECT_EQ(n, 0u);
}

TEST(CheckpointView, ShapeAndVerifyWithoutAModel) {
  std::size_t d = 0, k = 0;
  ASSERT_EQ(lastlayer::checkpoint_shape(kGolden, sizeof kGolden, &d, &k), Status::ok);
  EXPECT_EQ(d, 3u);
  EXPECT_EQ(k, 2u);
  EXPECT_EQ(lastlayer::verify_checkpoint(kGolden, sizeof kGolden, 3, 2), Status::ok);
  EXPECT_EQ(lastlayer::verify_checkpoint(kGolden, sizeof kGolden, 2, 3), Status::shape_mismatch);
  EXPECT_EQ(lastlayer::checkpoint_shape(kGolden, 20, &d, &k), Status::truncated);
  EXPECT_EQ(lastlayer::checkpoint_shape(kGolden, sizeof kGolden, nullptr, &k),
            Status::invalid_argument);
}

TEST(CheckpointView, LoadKeepsRowPaddingZeroAndRefreshesTheBound) {
  Small m;
  ASSERT_EQ(m.load(kGolden, sizeof kGolden), Status::ok);
  const lastlayer::ConstModelView v = m.view();
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t j = 3; j < Small::stride; ++j)
      EXPECT_EQ(bits(v.weights[k * v.stride + j]), 0u);
  }
  EXPECT_EQ(*v.bound, 1e38f);
}

}  // namespace
