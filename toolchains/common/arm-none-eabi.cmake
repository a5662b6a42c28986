# Shared part of the bare-metal Cortex-M toolchains. The including file sets:
#   LASTLAYER_CPU_FLAGS  -mcpu/-mfpu/-mfloat-abi for the core
#   LASTLAYER_BOARD      the folder under platform/boards/ and the QEMU machine of the same name
# Programs run under qemu-system-arm; their semihosting output lands on QEMU's stderr and their
# exit code comes back through SYS_EXIT_EXTENDED, so ctest sees pass and fail as on the host.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)

# Compiler checks link without a start-up file or linker script; a static library needs neither.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Pass the core flags and board through to try_compile projects and to the project.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES LASTLAYER_CPU_FLAGS LASTLAYER_BOARD)
set(LASTLAYER_BOARD "${LASTLAYER_BOARD}" CACHE STRING "Board under platform/boards/")

string(JOIN " " _lastlayer_cpu ${LASTLAYER_CPU_FLAGS})
# Sections per function and object, so --gc-sections leaves only what a program uses.
set(CMAKE_C_FLAGS_INIT "${_lastlayer_cpu} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${_lastlayer_cpu} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_lastlayer_cpu}")
# The board's start-up replaces crt0; newlib is the C library.
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_lastlayer_cpu} -nostartfiles -Wl,--gc-sections")

# A hang is caught by the test timeout (CMakePresets.json), a fault by the board's handler.
set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-system-arm -M ${LASTLAYER_BOARD} -display none -serial none -monitor none
    -semihosting-config enable=on,target=native -kernel)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
