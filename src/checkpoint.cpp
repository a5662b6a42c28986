// Checkpoint encoding and the verify-then-copy loader (docs/checkpoint-format.md).
#include "lastlayer/checkpoint.hpp"

#include <cmath>

#include "byte_order.hpp"
#include "checks.hpp"
#include "lastlayer/algorithms.hpp"
#include "lastlayer/crc32.hpp"

namespace lastlayer {
namespace {

bool valid_view(const ConstModelView& m) {
  return m.weights != nullptr && m.bias != nullptr && m.bound != nullptr && m.stride >= m.inputs &&
         checkpoint_size(m.inputs, m.classes) != 0;
}

// A value a model may hold: finite and within the limit the overflow guard relies on.
bool storable(float v) {
  return std::fabs(v) <= detail::kWeightLimit;
}

// Checks everything up to and including the length; *d and *k get the header's shape.
Status check_header(const std::uint8_t* in, std::size_t size, std::size_t* d, std::size_t* k) {
  if (in == nullptr) return Status::invalid_argument;
  if (size < kCheckpointHeaderBytes) return Status::truncated;
  for (std::size_t i = 0; i < 4; ++i) {
    if (in[i] != kCheckpointMagic[i]) return Status::bad_magic;
  }
  if (detail::get_u16(in + 4) != kCheckpointVersion || in[6] != kCheckpointFloat32 || in[7] != 0) {
    return Status::bad_version;
  }
  *d = detail::get_u32(in + 8);
  *k = detail::get_u32(in + 12);
  return Status::ok;
}

Status check_length_and_body(const std::uint8_t* in, std::size_t size, std::size_t d,
                             std::size_t k) {
  const std::size_t n = checkpoint_size(d, k);
  if (n == 0 || size != n) return Status::truncated;
  const std::size_t body = n - kCheckpointTrailerBytes;
  if (crc32(in, body) != detail::get_u32(in + body)) return Status::bad_checksum;
  for (std::size_t i = kCheckpointHeaderBytes; i < body; i += 4) {
    if (!storable(detail::bits_float(detail::get_u32(in + i)))) return Status::non_finite;
  }
  return Status::ok;
}

}  // namespace

Status save_checkpoint(const ConstModelView& m, std::uint8_t* out, std::size_t capacity,
                       std::size_t* written) {
  if (written != nullptr) *written = 0;
  if (out == nullptr || written == nullptr || !valid_view(m)) return Status::invalid_argument;
  const std::size_t n = checkpoint_size(m.inputs, m.classes);
  if (capacity < n) return Status::buffer_too_small;
  // Refuse before writing, so a failed save leaves `out` as it was.
  for (std::size_t k = 0; k < m.classes; ++k) {
    if (!storable(m.bias[k])) return Status::non_finite;
    for (std::size_t j = 0; j < m.inputs; ++j) {
      if (!storable(m.weights[k * m.stride + j])) return Status::non_finite;
    }
  }
  for (std::size_t i = 0; i < 4; ++i) out[i] = kCheckpointMagic[i];
  detail::put_u16(out + 4, kCheckpointVersion);
  out[6] = kCheckpointFloat32;
  out[7] = 0;
  detail::put_u32(out + 8, static_cast<std::uint32_t>(m.inputs));
  detail::put_u32(out + 12, static_cast<std::uint32_t>(m.classes));
  std::uint8_t* p = out + kCheckpointHeaderBytes;
  for (std::size_t k = 0; k < m.classes; ++k) {
    for (std::size_t j = 0; j < m.inputs; ++j, p += 4) {
      detail::put_u32(p, detail::float_bits(m.weights[k * m.stride + j]));
    }
  }
  for (std::size_t k = 0; k < m.classes; ++k, p += 4) {
    detail::put_u32(p, detail::float_bits(m.bias[k]));
  }
  detail::put_u32(p, crc32(out, n - kCheckpointTrailerBytes));
  *written = n;
  return Status::ok;
}

Status checkpoint_shape(const std::uint8_t* in, std::size_t size, std::size_t* d, std::size_t* k) {
  if (d == nullptr || k == nullptr) return Status::invalid_argument;
  std::size_t hd = 0, hk = 0;
  const Status s = check_header(in, size, &hd, &hk);
  if (s != Status::ok) return s;
  const std::size_t n = checkpoint_size(hd, hk);
  if (n == 0 || size != n) return Status::truncated;
  *d = hd;
  *k = hk;
  return Status::ok;
}

Status verify_checkpoint(const std::uint8_t* in, std::size_t size, std::size_t d, std::size_t k) {
  std::size_t hd = 0, hk = 0;
  const Status s = check_header(in, size, &hd, &hk);
  if (s != Status::ok) return s;
  if (hd != d || hk != k) return Status::shape_mismatch;
  return check_length_and_body(in, size, d, k);
}

Status load_checkpoint(const ModelView& m, const std::uint8_t* in, std::size_t size) {
  if (!valid_view(m)) return Status::invalid_argument;
  const Status s = verify_checkpoint(in, size, m.inputs, m.classes);
  if (s != Status::ok) return s;
  // Verified: now copy. The row padding is set to 0 too, as the kernels expect.
  const std::uint8_t* p = in + kCheckpointHeaderBytes;
  for (std::size_t k = 0; k < m.classes; ++k) {
    float* row = m.weights + k * m.stride;
    for (std::size_t j = 0; j < m.inputs; ++j, p += 4) {
      row[j] = detail::bits_float(detail::get_u32(p));
    }
    for (std::size_t j = m.inputs; j < m.stride; ++j) row[j] = 0.0f;
  }
  for (std::size_t k = 0; k < m.classes; ++k, p += 4) {
    m.bias[k] = detail::bits_float(detail::get_u32(p));
  }
  refresh_bound(m);
  return Status::ok;
}

}  // namespace lastlayer
