# 32-bit Armv7-A Linux, hard float, run under qemu-arm. neon-vfpv4 rather than plain neon:
# only VFPv4 has the fused multiply-add (vfmaq_f32) the vector kernels use.
set(LASTLAYER_TRIPLE arm-linux-gnueabihf)
set(LASTLAYER_CPU_FLAGS -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard)
set(LASTLAYER_QEMU qemu-arm)
set(CMAKE_SYSTEM_PROCESSOR armv7)
include(${CMAKE_CURRENT_LIST_DIR}/common/linux-user.cmake)
