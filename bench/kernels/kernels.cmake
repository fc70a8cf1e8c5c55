# PRK benchmark kernels, included from the top CMakeLists.txt. Produces, under
# ${CMAKE_BINARY_DIR}/bench/:
#   native/prk_<kernel>_omp       gcc -O3 -fopenmp (the host C compiler), OpenMP parallel for
#   wasm/prk_<kernel>_seq.wasm    clang --target=wasm32-wasi -O3, single thread
#   wasm/prk_<kernel>_wp.wasm     clang --target=wasm32-wasi -O3 -DPRK_WP, calls wasi-parallel
#   wasm/kernels/prk_*_kernel.wasm  the kernel modules embedded in the wp programs
#   wasm/prk_<kernel>_omp.wasm    sdk/bin/wp-cc -O3 -fopenmp: the native variant's OpenMP source,
#                                 its regions run as wasi-parallel teams
#   native/forkjoin, wasm/forkjoin.wasm   bench/openmp/forkjoin.c: OpenMP fork/join cost
# bench/kernels/build.sh builds the same without CMake.
include("${CMAKE_CURRENT_LIST_DIR}/../../sdk/cmake/WasiParallel.cmake")

set(PW_BENCH_DIR "${CMAKE_BINARY_DIR}/bench")
set(PW_BENCH_KERNELS nstream transpose stencil dgemm p2p reduce sparse)
# Kernel modules of each benchmark: <kernel>/<module>_kernel.c becomes prk_<module>.
set(prk_nstream_modules nstream)
set(prk_transpose_modules transpose)
set(prk_stencil_modules stencil stencil_shift)
set(prk_dgemm_modules dgemm)
set(prk_p2p_modules p2p)
set(prk_reduce_modules reduce)
set(prk_sparse_modules sparse_fill sparse)

find_package(OpenMP COMPONENTS C)

foreach(k IN LISTS PW_BENCH_KERNELS)
  set(dir "${CMAKE_CURRENT_LIST_DIR}/${k}")
  set(headers "${dir}/${k}.h" "${CMAKE_CURRENT_LIST_DIR}/common/prk.h")

  if(OpenMP_C_FOUND)
    add_executable(prk_${k}_omp "${dir}/${k}.c")
    target_compile_options(prk_${k}_omp PRIVATE -O3)
    target_link_libraries(prk_${k}_omp PRIVATE OpenMP::OpenMP_C m)
    set_target_properties(prk_${k}_omp PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PW_BENCH_DIR}/native")
  endif()

  if(WASI_PARALLEL_FOUND)
    wasi_guest_program(prk_${k}_seq
      SOURCES "${dir}/${k}.c"
      FLAGS -O3 -Wall -Wextra
      LINK_FLAGS -lm
      OUTPUT "${PW_BENCH_DIR}/wasm/prk_${k}_seq.wasm")
    set(kernel_names "")
    foreach(m IN LISTS prk_${k}_modules)
      wasi_parallel_kernel(prk_${m}
        SOURCE "${dir}/${m}_kernel.c"
        OUTPUT_DIR "${PW_BENCH_DIR}/wasm/kernels"
        FLAGS -O3)
      list(APPEND kernel_names prk_${m})
    endforeach()
    wasi_guest_program(prk_${k}_wp
      SOURCES "${dir}/${k}.c"
      KERNELS ${kernel_names}
      FLAGS -O3 -DPRK_WP -Wall -Wextra
      LINK_FLAGS -lm
      OUTPUT "${PW_BENCH_DIR}/wasm/prk_${k}_wp.wasm")
    wasi_openmp_program(prk_${k}_ompwasm
      SOURCES "${dir}/${k}.c"
      FLAGS -O3 -Wall -Wextra
      LINK_FLAGS -lm
      DEPENDS ${headers}
      OUTPUT "${PW_BENCH_DIR}/wasm/prk_${k}_omp.wasm")
  endif()
endforeach()

set(forkjoin_src "${CMAKE_CURRENT_LIST_DIR}/../openmp/forkjoin.c")
if(OpenMP_C_FOUND)
  add_executable(forkjoin_omp "${forkjoin_src}")
  target_compile_options(forkjoin_omp PRIVATE -O2)
  target_link_libraries(forkjoin_omp PRIVATE OpenMP::OpenMP_C)
  set_target_properties(forkjoin_omp PROPERTIES OUTPUT_NAME forkjoin
                                                RUNTIME_OUTPUT_DIRECTORY "${PW_BENCH_DIR}/native")
endif()
if(WASI_PARALLEL_FOUND)
  wasi_openmp_program(forkjoin_ompwasm SOURCES "${forkjoin_src}" FLAGS -Wall -Wextra
                      OUTPUT "${PW_BENCH_DIR}/wasm/forkjoin.wasm")
endif()

# Smoke tests at tiny sizes: every variant must validate (exit status 0). The wp variant runs on
# node's reference host and, once parawasm is built, on each device hint.
set(prk_nstream_tiny 10000)
set(prk_transpose_tiny 100)
set(prk_stencil_tiny 50)
set(prk_dgemm_tiny 40)
set(prk_p2p_tiny 50)
set(prk_reduce_tiny 1000)
set(prk_sparse_tiny 5)
find_program(PW_NODE NAMES node nodejs)
set(node_runner "${CMAKE_CURRENT_LIST_DIR}/../node_wasi_runner.mjs")
foreach(k IN LISTS PW_BENCH_KERNELS)
  set(args ${prk_${k}_tiny} 2)
  if(TARGET prk_${k}_omp)
    add_test(NAME bench.${k}.omp COMMAND prk_${k}_omp ${args})
  endif()
  if(WASI_PARALLEL_FOUND AND PW_NODE)
    add_test(NAME bench.${k}.seq.node
             COMMAND "${PW_NODE}" --experimental-wasi-unstable-preview1 "${node_runner}" "${PW_BENCH_DIR}/wasm/prk_${k}_seq.wasm" ${args})
    add_test(NAME bench.${k}.wp.node
             COMMAND "${PW_NODE}" --experimental-wasi-unstable-preview1 "${node_runner}" --wasi-parallel
                     "${PW_BENCH_DIR}/wasm/prk_${k}_wp.wasm" ${args})
  endif()
  if(WASI_PARALLEL_FOUND AND TARGET parawasm_cli)
    add_test(NAME bench.${k}.seq
             COMMAND parawasm_cli run "${PW_BENCH_DIR}/wasm/prk_${k}_seq.wasm" ${args})
    foreach(device sequential cpu gpu)
      add_test(NAME bench.${k}.wp.${device}
               COMMAND parawasm_cli run "${PW_BENCH_DIR}/wasm/prk_${k}_wp.wasm" ${args} ${device})
    endforeach()
    set_tests_properties(bench.${k}.wp.gpu PROPERTIES LABELS gpu)
  endif()
  if(WASI_PARALLEL_FOUND AND PW_NODE)
    add_test(NAME bench.${k}.ompwasm.node
             COMMAND "${PW_NODE}" --experimental-wasi-unstable-preview1 "${node_runner}" --wasi-parallel
                     --env OMP_NUM_THREADS=2 "${PW_BENCH_DIR}/wasm/prk_${k}_omp.wasm" ${args})
  endif()
endforeach()
