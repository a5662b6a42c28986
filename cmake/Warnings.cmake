# lastlayer_warnings: the warning flags every target of the project builds with.
add_library(lastlayer_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(lastlayer_warnings INTERFACE -Wall -Wextra -Wshadow -Wconversion
                                                      -Wno-sign-conversion)
  if(LASTLAYER_WERROR)
    target_compile_options(lastlayer_warnings INTERFACE -Werror)
  endif()
endif()
