# Cortex-M7 with double-precision FPU (FPv5-D16, hard float)
# on the mps2-an500 board (QEMU machine of the same name), bare metal with newlib.
set(LASTLAYER_CPU_FLAGS -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard -mthumb)
set(LASTLAYER_BOARD mps2-an500)
include(${CMAKE_CURRENT_LIST_DIR}/common/arm-none-eabi.cmake)
