# Runs one codegen test (see tests.cmake):
#   cmake -DTEST=file -DTOOL_PATH=dirs -DFEATURES=a,b -DSCRATCH=path -DKERNELS=dir
#         -DBENCH_KERNELS=dir -P run_codegen_test.cmake
# A RUN line may hold any character and ends at the end of its line.
cmake_minimum_required(VERSION 3.25)
file(READ "${TEST}" content)
# Read the file line by line without CMake's list rules (';' separates, '[' ']' group).
string(REPLACE ";" "<PW_SEMI>" content "${content}")
string(REPLACE "[" "<PW_LB>" content "${content}")
string(REPLACE "]" "<PW_RB>" content "${content}")
string(REPLACE "\n" ";" lines "${content}")
string(REPLACE "," ";" features "${FEATURES}")
get_filename_component(test_dir "${TEST}" DIRECTORY)

set(runs "")
foreach(line IN LISTS lines)
  if(line MATCHES "REQUIRES:[ \t]*([A-Za-z0-9_, \t]+)$")
    string(REGEX MATCHALL "[A-Za-z0-9_]+" needed "${CMAKE_MATCH_1}")
    foreach(feature IN LISTS needed)
      if(NOT feature IN_LIST features)
        message(STATUS "PW_SKIP: ${TEST} requires ${feature}, which this build does not have")
        return()
      endif()
    endforeach()
  elseif(line MATCHES "RUN:[ \t]*(.*)$")
    # Kept encoded in the list; decoded just before the line runs.
    list(APPEND runs "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(NOT runs)
  message(FATAL_ERROR "${TEST} has no RUN line")
endif()

get_filename_component(scratch_dir "${SCRATCH}" DIRECTORY)
file(MAKE_DIRECTORY "${scratch_dir}")
set(index 0)
foreach(run IN LISTS runs)
  math(EXPR index "${index} + 1")
  string(REPLACE "<PW_SEMI>" ";" run "${run}")
  string(REPLACE "<PW_LB>" "[" run "${run}")
  string(REPLACE "<PW_RB>" "]" run "${run}")
  string(REPLACE "%benchkernels" "${BENCH_KERNELS}" run "${run}")
  string(REPLACE "%kernels" "${KERNELS}" run "${run}")
  string(REPLACE "%s" "${TEST}" run "${run}")
  string(REPLACE "%S" "${test_dir}" run "${run}")
  string(REPLACE "%t" "${SCRATCH}" run "${run}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PATH=${TOOL_PATH}:$ENV{PATH}"
                          bash -o pipefail -c "${run}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "RUN line ${index} of ${TEST} failed (${rc}):\n  ${run}\n${out}${err}")
  endif()
endforeach()
message(STATUS "${index} RUN lines passed")
