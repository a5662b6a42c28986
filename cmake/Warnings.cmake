# lastlayer_warnings: the warning flags every target of the project builds with.
add_library(lastlayer_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(lastlayer_warnings INTERFACE -Wall -Wextra -Wshadow -Wconversion
                                                      -Wno-sign-conversion)
  # GCC on 32-bit ARM notes an ABI change of GCC 7.1 at every std::vector<double> iterator
  # passed by value: not a warning about this code, and hundreds of lines per test file.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_SYSTEM_PROCESSOR MATCHES "^arm")
    target_compile_options(lastlayer_warnings INTERFACE -Wno-psabi)
  endif()
  if(LASTLAYER_WERROR)
    target_compile_options(lastlayer_warnings INTERFACE -Werror)
  endif()
endif()
