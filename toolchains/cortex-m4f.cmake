# Cortex-M4 with single-precision FPU (FPv4-SP-D16, hard float)
# on the mps2-an386 board (QEMU machine of the same name), bare metal with newlib.
set(LASTLAYER_CPU_FLAGS -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb)
set(LASTLAYER_BOARD mps2-an386)
include(${CMAKE_CURRENT_LIST_DIR}/common/arm-none-eabi.cmake)
