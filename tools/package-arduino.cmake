# Lays lastlayer out as an Arduino library (format 1.5): everything the builder compiles under
# src/, which is also the only include directory Arduino gives a library.
#   cmake -DOUT=<dir> -P tools/package-arduino.cmake      -> <dir>/lastlayer/
# Zip <dir>/lastlayer and install it with "Sketch > Include Library > Add .ZIP Library".
cmake_minimum_required(VERSION 3.21)
if(NOT OUT)
  message(FATAL_ERROR "usage: cmake -DOUT=<dir> -P tools/package-arduino.cmake")
endif()
get_filename_component(root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
include(${root}/cmake/LastlayerSources.cmake)
lastlayer_library_sources(sources ${root})

set(lib ${OUT}/lastlayer)
file(REMOVE_RECURSE ${lib})
file(MAKE_DIRECTORY ${lib}/src)
file(COPY ${root}/library.properties ${root}/README.md DESTINATION ${lib})
# Public headers keep their <lastlayer/...> names; the vector back ends their "vector/..." ones.
file(COPY ${root}/include/lastlayer DESTINATION ${lib}/src)
file(COPY ${root}/platform/vector DESTINATION ${lib}/src)
# The library's sources and every internal header beside them, at the same relative paths.
file(GLOB_RECURSE headers RELATIVE ${root}/src ${root}/src/*.hpp ${root}/src/*.h)
set(files ${headers})
foreach(source IN LISTS sources)
  file(RELATIVE_PATH rel ${root}/src ${source})
  list(APPEND files ${rel})
endforeach()
foreach(rel IN LISTS files)
  get_filename_component(dir ${rel} DIRECTORY)
  file(COPY ${root}/src/${rel} DESTINATION ${lib}/src/${dir})
endforeach()
file(COPY ${root}/examples/arduino/ DESTINATION ${lib}/examples)
message(STATUS "Arduino library: ${lib}")
