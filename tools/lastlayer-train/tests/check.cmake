# Runs lastlayer-train once and checks its exit status and output, for ctest:
#   cmake -DEXE=<lastlayer-train> -DARGS="--train|f.csv|..." -DEXPECT_RC=0
#         -DEXPECT=<regex> [-DEXPECT2=<regex>] [-DEXPECT3=<regex>] [-DEXPECT_SIZE=<file>:<bytes>]
#         -P check.cmake
# ARGS separates arguments with '|'. The regexes are matched against stdout and stderr together.
cmake_minimum_required(VERSION 3.21)
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${EXE} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT rc STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_RC}; output:\n${all}")
endif()
foreach(var EXPECT EXPECT2 EXPECT3)
  if(DEFINED ${var} AND NOT all MATCHES "${${var}}")
    message(FATAL_ERROR "output does not match '${${var}}':\n${all}")
  endif()
endforeach()
if(DEFINED EXPECT_SIZE)
  string(REGEX MATCH "^(.*):([0-9]+)$" _ "${EXPECT_SIZE}")
  file(SIZE "${CMAKE_MATCH_1}" size)
  if(NOT size EQUAL CMAKE_MATCH_2)
    message(FATAL_ERROR "${CMAKE_MATCH_1}: ${size} bytes, expected ${CMAKE_MATCH_2}")
  endif()
endif()
message(STATUS "ok:\n${all}")
