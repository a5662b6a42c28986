# lastlayer_library_sources(<out> <source root>): the sources of the `lastlayer` target, as
# absolute paths, read from <root>/src/CMakeLists.txt. Build systems other than this project's
# CMake (Zephyr's module, the Arduino package, the manifest test) take the list from there, so
# a file added to the library reaches them without a second list to keep in step.
function(lastlayer_library_sources out root)
  file(READ ${root}/src/CMakeLists.txt text)
  string(REGEX MATCH "add_library\\(lastlayer[ \t\r\n]([^)]*)\\)" block "${text}")
  if(NOT block)
    message(FATAL_ERROR "no add_library(lastlayer ...) in ${root}/src/CMakeLists.txt")
  endif()
  string(REGEX REPLACE "#[^\n]*" "" items "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "[ \t\r\n]+" ";" items "${items}")
  set(sources)
  foreach(item IN LISTS items)
    if(item MATCHES "\\.(c|cc|cpp)$")
      list(APPEND sources ${root}/src/${item})
    endif()
  endforeach()
  set(${out} ${sources} PARENT_SCOPE)
endfunction()
