# Cortex-M55 with Helium (MVE with float) and FPU, hard float, secure state
# on the mps3-an547 board (QEMU machine of the same name), bare metal with newlib.
set(LASTLAYER_CPU_FLAGS -mcpu=cortex-m55 -mfloat-abi=hard -mthumb)
set(LASTLAYER_BOARD mps3-an547)
include(${CMAKE_CURRENT_LIST_DIR}/common/arm-none-eabi.cmake)
