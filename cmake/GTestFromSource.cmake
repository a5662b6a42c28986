# GoogleTest for cross targets, built from Debian's sources (libgtest-dev only ships host
# libraries). Defines GTest::gtest and GTest::gtest_main as find_package(GTest) does.
# On bare metal (CMAKE_SYSTEM_NAME Generic) GoogleTest runs without threads, regular
# expressions, stream redirection or death tests, over newlib and the board's system calls.
set(LASTLAYER_GTEST_SOURCE_DIR /usr/src/googletest/googletest
    CACHE PATH "GoogleTest sources (the googletest folder of the googletest project)")
if(NOT EXISTS ${LASTLAYER_GTEST_SOURCE_DIR}/src/gtest-all.cc)
  message(FATAL_ERROR "no GoogleTest sources in ${LASTLAYER_GTEST_SOURCE_DIR} "
                      "(Debian package googletest)")
endif()

add_library(lastlayer_gtest STATIC ${LASTLAYER_GTEST_SOURCE_DIR}/src/gtest-all.cc)
add_library(lastlayer_gtest_main STATIC ${LASTLAYER_GTEST_SOURCE_DIR}/src/gtest_main.cc)
target_include_directories(lastlayer_gtest SYSTEM
  PUBLIC ${LASTLAYER_GTEST_SOURCE_DIR}/include
  PRIVATE ${LASTLAYER_GTEST_SOURCE_DIR})
target_compile_features(lastlayer_gtest PUBLIC cxx_std_17)
target_link_libraries(lastlayer_gtest_main PUBLIC lastlayer_gtest)

if(CMAKE_SYSTEM_NAME STREQUAL "Generic")
  # newlib declares some POSIX functions GoogleTest uses only in the GNU dialect.
  set_target_properties(lastlayer_gtest lastlayer_gtest_main PROPERTIES CXX_EXTENSIONS ON)
  target_compile_definitions(lastlayer_gtest PUBLIC
    GTEST_HAS_PTHREAD=0 GTEST_HAS_POSIX_RE=0 GTEST_HAS_STREAM_REDIRECTION=0
    GTEST_HAS_DEATH_TEST=0)
  # newlib has no _POSIX_PATH_MAX, which sizes GoogleTest's getcwd buffer.
  target_compile_definitions(lastlayer_gtest PRIVATE _POSIX_PATH_MAX=256)
else()
  find_package(Threads REQUIRED)
  target_link_libraries(lastlayer_gtest PUBLIC Threads::Threads)
endif()

add_library(GTest::gtest ALIAS lastlayer_gtest)
add_library(GTest::gtest_main ALIAS lastlayer_gtest_main)
