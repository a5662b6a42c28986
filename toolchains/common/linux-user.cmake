# Shared part of the ARM Linux toolchains. The including file sets:
#   LASTLAYER_TRIPLE     the GNU triple of the cross compiler (aarch64-linux-gnu, ...)
#   LASTLAYER_CPU_FLAGS  extra code generation flags (may be empty)
#   LASTLAYER_QEMU       the qemu-user program for the instruction set
# Programs run under qemu-user with the target's sysroot (binfmt_misc is not relied on).
set(CMAKE_SYSTEM_NAME Linux)

set(CMAKE_C_COMPILER ${LASTLAYER_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${LASTLAYER_TRIPLE}-g++)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES LASTLAYER_CPU_FLAGS)
string(JOIN " " _lastlayer_cpu ${LASTLAYER_CPU_FLAGS})
set(CMAKE_C_FLAGS_INIT "${_lastlayer_cpu}")
set(CMAKE_CXX_FLAGS_INIT "${_lastlayer_cpu}")

set(CMAKE_FIND_ROOT_PATH /usr/${LASTLAYER_TRIPLE})
set(CMAKE_CROSSCOMPILING_EMULATOR ${LASTLAYER_QEMU} -L /usr/${LASTLAYER_TRIPLE})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
