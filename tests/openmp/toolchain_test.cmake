# Configures and builds tests/openmp/toolchain_project with the SDK's CMake toolchain file, then
# runs the program:  cmake -DBINARY_DIR=dir -DRUN="prog|args" -P toolchain_test.cmake
# (RUN gets the .wasm path appended; '|' separates words).
set(src "${CMAKE_CURRENT_LIST_DIR}/toolchain_project")
file(REMOVE_RECURSE "${BINARY_DIR}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${src}" -B "${BINARY_DIR}" -G Ninja
                        "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_LIST_DIR}/../../sdk/cmake/wasi-parallel.toolchain.cmake"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}\n${err}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed:\n${out}\n${err}")
endif()
string(REPLACE "|" ";" run "${RUN}")
execute_process(COMMAND ${run} "${BINARY_DIR}/hello.wasm" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "toolchain: sum=5000050000 ok\n")
  message(FATAL_ERROR "run failed (${rc}):\n${out}\n${err}")
endif()
message(STATUS "${out}")
