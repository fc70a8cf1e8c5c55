# CMake toolchain file for wasm32-wasi guests of parawasm:
#   cmake -S . -B build-wasm -DCMAKE_TOOLCHAIN_FILE=<sdk>/cmake/wasi-parallel.toolchain.cmake
# C and C++ are compiled and linked by sdk/bin/wp-cc and wp-c++ (clang for wasm32-wasi with the
# SDK's headers, -matomics -mbulk-memory); executables end in .wasm. find_package(OpenMP) finds
# the SDK's OpenMP runtime: OpenMP::OpenMP_C / OpenMP::OpenMP_CXX add -fopenmp and the runtime
# library, from which the drivers link a program whose parallel regions run on wasi-parallel
# teams (docs/openmp.md). The tools come from $WP_CLANG / $WP_CLANGXX, as for the drivers.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

get_filename_component(WASI_PARALLEL_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(CMAKE_C_COMPILER "${WASI_PARALLEL_SDK_DIR}/bin/wp-cc")
set(CMAKE_CXX_COMPILER "${WASI_PARALLEL_SDK_DIR}/bin/wp-c++")
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".wasm")

# wasm-ld needs an archive index that only LLVM's archiver writes for wasm objects.
find_program(WASI_PARALLEL_AR NAMES llvm-ar llvm-ar-14 llvm-ar-19 REQUIRED)
find_program(WASI_PARALLEL_RANLIB NAMES llvm-ranlib llvm-ranlib-14 llvm-ranlib-19 REQUIRED)
set(CMAKE_AR "${WASI_PARALLEL_AR}" CACHE FILEPATH "" FORCE)
set(CMAKE_RANLIB "${WASI_PARALLEL_RANLIB}" CACHE FILEPATH "" FORCE)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# FindOpenMP cannot discover a runtime that the driver links by itself, so its answer is given
# here: the flag, and the runtime archive (built by wp-cc on first use).
if(NOT OpenMP_wp_omp_LIBRARY)
  execute_process(COMMAND "${CMAKE_C_COMPILER}" --print-omp-runtime
                  OUTPUT_VARIABLE _wp_omp_runtime OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _wp_omp_rc)
  if(_wp_omp_rc EQUAL 0)
    set(OpenMP_wp_omp_LIBRARY "${_wp_omp_runtime}" CACHE FILEPATH "parawasm's OpenMP runtime")
  endif()
endif()
if(OpenMP_wp_omp_LIBRARY)
  foreach(lang C CXX)
    set(OpenMP_${lang}_FLAGS "-fopenmp" CACHE STRING "OpenMP flag for wp-cc / wp-c++")
    set(OpenMP_${lang}_LIB_NAMES "wp_omp" CACHE STRING "parawasm's OpenMP runtime")
  endforeach()
endif()
