# 64-bit Arm Linux (Armv8-A, NEON always present), run under qemu-aarch64.
set(LASTLAYER_TRIPLE aarch64-linux-gnu)
set(LASTLAYER_CPU_FLAGS "")
set(LASTLAYER_QEMU qemu-aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/common/linux-user.cmake)
