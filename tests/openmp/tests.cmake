# OpenMP tests: one self-checking C program per construct (tests/openmp/*.c), built with
# sdk/bin/wp-cc -O2 -fopenmp and run on every way a team can come out:
#   sequential     parawasm run --device sequential              (the device runs 1 thread)
#   sequential_t3  parawasm run --device sequential, OMP_NUM_THREADS=3
#   cpu_t1|2|5     parawasm run --device cpu --threads 2, OMP_NUM_THREADS=1|2|5
#   env3           parawasm run, OMP_NUM_THREADS=3 (the default device)
#   node           node's reference host: no teams, every region a team of one
#   native         the same source built by the host compiler with its own OpenMP (gcc:
#                  libgomp), OMP_NUM_THREADS=3: the programs are plain OpenMP, and their checks
#                  hold for another implementation too
# Each program prints `<name>: ok` and exits 0 when all its checks pass. Where parawasm runs
# real teams, EXPECT_TEAM tells the program the team size a region must get. Labels: openmp.
include("${CMAKE_CURRENT_LIST_DIR}/../../sdk/cmake/WasiParallel.cmake")

if(NOT WASI_PARALLEL_FOUND)
  return()
endif()

set(omp_test_dir "${CMAKE_CURRENT_LIST_DIR}")
set(omp_test_out "${CMAKE_CURRENT_BINARY_DIR}/openmp")
file(GLOB omp_test_sources CONFIGURE_DEPENDS "${omp_test_dir}/*.c")
find_program(PW_NODE NAMES node nodejs)

# name = parawasm options, '|'-separated; EXPECT_TEAM is added where the team size is known.
set(omp_variants
    "sequential=--device|sequential"
    "sequential_t3=--device|sequential|--env|OMP_NUM_THREADS=3|--env|EXPECT_TEAM=3"
    "cpu_t1=--device|cpu|--threads|2|--env|OMP_NUM_THREADS=1|--env|EXPECT_TEAM=1"
    "cpu_t2=--device|cpu|--threads|2|--env|OMP_NUM_THREADS=2|--env|EXPECT_TEAM=2"
    "cpu_t5=--device|cpu|--threads|2|--env|OMP_NUM_THREADS=5|--env|EXPECT_TEAM=5"
    "env3=--env|OMP_NUM_THREADS=3|--env|EXPECT_TEAM=3")

find_package(OpenMP COMPONENTS C)

foreach(src IN LISTS omp_test_sources)
  get_filename_component(t "${src}" NAME_WE)
  if(OpenMP_C_FOUND)
    add_executable(omp_native_${t} "${src}")
    target_compile_options(omp_native_${t} PRIVATE -O2)
    # libatomic: clang lowers atomics on types without a lock-free instruction to its calls.
    target_link_libraries(omp_native_${t} PRIVATE OpenMP::OpenMP_C atomic)
    set_target_properties(omp_native_${t} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${omp_test_out}")
    add_test(NAME openmp.${t}.native COMMAND omp_native_${t})
    set_tests_properties(openmp.${t}.native PROPERTIES LABELS openmp TIMEOUT 120
                         ENVIRONMENT "OMP_NUM_THREADS=3;OMP_SCHEDULE=guided,7;EXPECT_TEAM=3"
                         PASS_REGULAR_EXPRESSION "(^|\n)${t}: ok\n" FAIL_REGULAR_EXPRESSION "FAIL")
  endif()
  set(wasm "${omp_test_out}/${t}.wasm")
  wasi_openmp_program(omp_test_${t} SOURCES "${src}" FLAGS -Wall -Wextra -Werror
                      OUTPUT "${wasm}" DEPENDS "${omp_test_dir}/check.h")
  set(extra "")
  if(t STREQUAL "env")
    set(extra "|--env|OMP_SCHEDULE=guided,7")
  endif()
  if(TARGET parawasm_cli)
    foreach(variant IN LISTS omp_variants)
      string(FIND "${variant}" "=" eq)
      string(SUBSTRING "${variant}" 0 ${eq} vname)
      math(EXPR eq "${eq} + 1")
      string(SUBSTRING "${variant}" ${eq} -1 vargs)
      string(REPLACE "|" ";" vargs "${vargs}${extra}")
      add_test(NAME openmp.${t}.${vname} COMMAND parawasm_cli run ${vargs} "${wasm}")
      set_tests_properties(openmp.${t}.${vname} PROPERTIES LABELS openmp TIMEOUT 120
                           PASS_REGULAR_EXPRESSION "(^|\n)${t}: ok\n" FAIL_REGULAR_EXPRESSION "FAIL")
    endforeach()
  endif()
  if(PW_NODE)
    string(REPLACE "|" ";" node_extra "${extra}")
    add_test(NAME openmp.${t}.node
             COMMAND "${PW_NODE}" --experimental-wasi-unstable-preview1
                     "${CMAKE_CURRENT_LIST_DIR}/../../bench/node_wasi_runner.mjs" --wasi-parallel
                     --env OMP_NUM_THREADS=3 ${node_extra} "${wasm}")
    set_tests_properties(openmp.${t}.node PROPERTIES LABELS openmp TIMEOUT 120
                         PASS_REGULAR_EXPRESSION "(^|\n)${t}: ok\n" FAIL_REGULAR_EXPRESSION "FAIL")
  endif()
endforeach()

# The CMake toolchain file: an ordinary project with find_package(OpenMP) builds and runs.
if(TARGET parawasm_cli)
  add_test(NAME openmp.toolchain
           COMMAND "${CMAKE_COMMAND}" "-DBINARY_DIR=${omp_test_out}/toolchain_project"
                   "-DRUN=$<TARGET_FILE:parawasm_cli>|run|--env|OMP_NUM_THREADS=3"
                   -P "${omp_test_dir}/toolchain_test.cmake")
  set_tests_properties(openmp.toolchain PROPERTIES LABELS openmp TIMEOUT 300
                       ENVIRONMENT "WP_CACHE_DIR=${WASI_PARALLEL_CACHE_DIR}")
endif()
