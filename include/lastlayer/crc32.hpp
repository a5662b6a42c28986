// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF),
// the checksum of checkpoints and of the checkpoint store's records.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lastlayer {

// CRC-32 of `size` bytes. Pass the previous result as `crc` to continue over a further piece:
// crc32(b, m, crc32(a, n)) == crc32 of a followed by b. crc32("123456789", 9) == 0xCBF43926.
std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace lastlayer
