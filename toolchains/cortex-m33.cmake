# Cortex-M33 with single-precision FPU (FPv5-SP-D16, hard float), secure state
# on the mps2-an505 board (QEMU machine of the same name), bare metal with newlib.
set(LASTLAYER_CPU_FLAGS -mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard -mthumb)
set(LASTLAYER_BOARD mps2-an505)
include(${CMAKE_CURRENT_LIST_DIR}/common/arm-none-eabi.cmake)
