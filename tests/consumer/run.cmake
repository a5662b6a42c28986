# Builds and runs the consumer project (this folder) against lastlayer, as ctest's
# consumer_* tests do:
#   cmake -DMODE=package|subdirectory|fetchcontent -DBUILD_DIR=<lastlayer build tree>
#         -DSOURCE_DIR=<lastlayer source> -DWORK_DIR=<scratch> [-DCONFIG=Debug]
#         [-DC_COMPILER=cc -DCXX_COMPILER=c++] -P run.cmake
# package: `cmake --install` BUILD_DIR into WORK_DIR/prefix, checks the installed files, then
# builds the consumer with find_package and, when pkg-config exists, compiles the C snippet with
# the flags of lastlayer.pc alone.
cmake_minimum_required(VERSION 3.21)

foreach(var MODE SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Debug)
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " line "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${line}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(compilers)
if(C_COMPILER)
  list(APPEND compilers -DCMAKE_C_COMPILER=${C_COMPILER})
endif()
if(CXX_COMPILER)
  list(APPEND compilers -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()

if(MODE STREQUAL "package")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
  # The package's pieces, wherever GNUInstallDirs put the library directory.
  foreach(pattern include/lastlayer/lastlayer.h include/lastlayer/lastlayer.hpp
                  include/lastlayer/classifier.hpp */liblastlayer.a
                  */cmake/lastlayer/lastlayerConfig.cmake
                  */cmake/lastlayer/lastlayerConfigVersion.cmake
                  */cmake/lastlayer/lastlayerTargets.cmake */pkgconfig/lastlayer.pc)
    file(GLOB_RECURSE found RELATIVE ${prefix} ${prefix}/*)
    string(REPLACE "*" "[^;]*" regex "${pattern}")
    string(REPLACE "." "\\." regex "${regex}")
    if(NOT found MATCHES "(^|;)${regex}(;|$)")
      message(FATAL_ERROR "the install tree has no ${pattern}")
    endif()
  endforeach()
  # The version file accepts this minor version and refuses others, as find_package asks it.
  file(GLOB_RECURSE version_file ${prefix}/*/lastlayerConfigVersion.cmake)
  function(version_answer request out)
    string(REPLACE "." ";" parts "${request}")
    list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
    list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
    set(PACKAGE_FIND_VERSION ${request})
    set(PACKAGE_FIND_VERSION_PATCH 0)
    set(PACKAGE_FIND_VERSION_TWEAK 0)
    set(PACKAGE_FIND_VERSION_COUNT 2)
    include(${version_file})
    set(${out} "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
  endfunction()
  version_answer(0.1 minor_ok)
  version_answer(0.2 other_minor)
  version_answer(1.0 other_major)
  if(NOT minor_ok OR other_minor OR other_major)
    message(FATAL_ERROR "lastlayerConfigVersion.cmake: 0.1 ${minor_ok}, 0.2 ${other_minor}, "
                        "1.0 ${other_major}")
  endif()
endif()

run(${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${WORK_DIR}/build
    -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_PREFIX_PATH=${prefix} ${compilers}
    -DLASTLAYER_CONSUMER_MODE=${MODE} -DLASTLAYER_SOURCE_DIR=${SOURCE_DIR})
if(MODE STREQUAL "fetchcontent")
  message(STATUS "consumer (fetchcontent): configured; its build is the subdirectory one")
  return()
endif()
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --config ${CONFIG})
run(${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build -C ${CONFIG} --output-on-failure)

if(MODE STREQUAL "package")
  find_program(PKG_CONFIG pkg-config)
  if(PKG_CONFIG)
    file(GLOB_RECURSE pc ${prefix}/*/lastlayer.pc)
    get_filename_component(pc_dir "${pc}" DIRECTORY)
    set(ENV{PKG_CONFIG_PATH} ${pc_dir})
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs --static lastlayer
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "pkg-config does not know the installed lastlayer.pc")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    if(NOT C_COMPILER)
      set(C_COMPILER cc)
    endif()
    # Compiled and linked by the C compiler driver: the library must not need the C++ runtime.
    run(${C_COMPILER} -std=c99 -Wall -Wextra -Werror ${CMAKE_CURRENT_LIST_DIR}/readme_c.c
        ${flags} -o ${WORK_DIR}/readme_c_pkgconfig)
    run(${WORK_DIR}/readme_c_pkgconfig)
  else()
    message(STATUS "pkg-config not found: lastlayer.pc not checked")
  endif()
endif()
message(STATUS "consumer (${MODE}): built and passed")
