# Example guests, included from the top CMakeLists.txt. Produces ${CMAKE_BINARY_DIR}/examples/:
#   vector_add.wasm nstream.wasm matmul.wasm reduction.wasm mandelbrot.wasm   (C, wasm32-wasi)
#   vector_add_wat.wasm                                                       (hand-written WAT)
#   abi_conformance.wasm            checks every call's error codes against docs/wasi-parallel.md
# and their kernel modules under examples/kernels/. Every guest takes an optional device hint
# and prints one verification line; docs/wasi-parallel.md shows the expected output.
include("${CMAKE_CURRENT_LIST_DIR}/../sdk/cmake/WasiParallel.cmake")

set(PW_EXAMPLES_DIR "${CMAKE_BINARY_DIR}/examples")

if(WASI_PARALLEL_FOUND)
  foreach(example vector_add nstream matmul reduction mandelbrot)
    wasi_parallel_kernel(ex_${example}
      SOURCE "${CMAKE_CURRENT_LIST_DIR}/c/${example}_kernel.c"
      OUTPUT_DIR "${PW_EXAMPLES_DIR}/kernels")
    wasi_guest_program(example_${example}
      SOURCES "${CMAKE_CURRENT_LIST_DIR}/c/${example}.c"
      KERNELS ex_${example}
      FLAGS -Wall -Wextra
      OUTPUT "${PW_EXAMPLES_DIR}/${example}.wasm")
  endforeach()

  # The ABI conformance guest: hand-written kernels that break each rule (so no checks on them).
  set(conformance_kernels "")
  foreach(k data i64 import no_export result start trap)
    set(check "")
    if(NOT k STREQUAL "trap")
      set(check --no-check)
    endif()
    wasi_parallel_kernel(conf_${k}
      SOURCE "${CMAKE_CURRENT_LIST_DIR}/conformance/${k}_kernel.wat"
      OUTPUT_DIR "${PW_EXAMPLES_DIR}/kernels"
      FLAGS ${check})
    list(APPEND conformance_kernels conf_${k})
  endforeach()
  wasi_parallel_kernel(conf_vector_add
    SOURCE "${CMAKE_CURRENT_LIST_DIR}/c/vector_add_kernel.c"
    OUTPUT_DIR "${PW_EXAMPLES_DIR}/kernels")
  wasi_guest_program(example_abi_conformance
    SOURCES "${CMAKE_CURRENT_LIST_DIR}/conformance/abi_conformance.c"
    KERNELS ${conformance_kernels} conf_vector_add
    FLAGS -Wall -Wextra
    OUTPUT "${PW_EXAMPLES_DIR}/abi_conformance.wasm")
endif()

# The Rust guest (examples/rust): vector_add with its kernel in Rust too; the same output as C's.
if(WASI_PARALLEL_FOUND AND WASI_PARALLEL_RUST_FOUND)
  wasi_parallel_kernel(vector_add_rs
    SOURCE "${CMAKE_CURRENT_LIST_DIR}/rust/vector_add_kernel.rs"
    OUTPUT_DIR "${PW_EXAMPLES_DIR}/kernels")
  wasi_rust_guest_program(example_vector_add_rs
    SOURCE "${CMAKE_CURRENT_LIST_DIR}/rust/vector_add.rs"
    KERNELS vector_add_rs
    OUTPUT "${PW_EXAMPLES_DIR}/vector_add_rs.wasm")
endif()

# The WAT guest needs only wat2wasm; its embedded kernel is checked against the kernel rules.
find_program(PW_WAT2WASM NAMES wat2wasm)
if(PW_WAT2WASM)
  set(wat_dir "${CMAKE_CURRENT_LIST_DIR}/wat")
  set(check_cmd "")
  if(WASI_PARALLEL_WASM_OBJDUMP)
    set(check_cmd COMMAND "${WASI_PARALLEL_WP_KERNEL}" --objdump "${WASI_PARALLEL_WASM_OBJDUMP}"
                          --check-only "${PW_EXAMPLES_DIR}/kernels/vector_add_wat_kernel.wasm")
  endif()
  add_custom_command(
    OUTPUT "${PW_EXAMPLES_DIR}/vector_add_wat.wasm"
           "${PW_EXAMPLES_DIR}/kernels/vector_add_wat_kernel.wasm"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${PW_EXAMPLES_DIR}/kernels"
    COMMAND "${PW_WAT2WASM}" "${wat_dir}/vector_add_kernel.wat"
            -o "${PW_EXAMPLES_DIR}/kernels/vector_add_wat_kernel.wasm"
    ${check_cmd}
    COMMAND "${PW_WAT2WASM}" "${wat_dir}/vector_add.wat" -o "${PW_EXAMPLES_DIR}/vector_add_wat.wasm"
    DEPENDS "${wat_dir}/vector_add.wat" "${wat_dir}/vector_add_kernel.wat"
    COMMENT "WAT guest vector_add"
    VERBATIM)
  add_custom_target(example_vector_add_wat ALL DEPENDS "${PW_EXAMPLES_DIR}/vector_add_wat.wasm")
endif()

# Tests: every guest's stdout must equal examples/expected/<name>.stdout. Under node they run on
# the sequential reference host (sdk/node/wasi_parallel.mjs); under parawasm once per device
# hint (a missing GPU falls back to the CPU, so the gpu-labelled ones pass without one too).
set(PW_EXAMPLE_RUN_ARGS "run" CACHE STRING "parawasm subcommand (and options) that runs a guest")
find_program(PW_NODE NAMES node nodejs)
set(example_outputs vector_add nstream matmul reduction mandelbrot vector_add_wat abi_conformance
                    vector_add_rs)
set(expected_vector_add_rs vector_add) # the Rust twin prints what the C one does
set(device_name_0 sequential)
set(device_name_1 cpu)
set(device_name_2 gpu)
foreach(example IN LISTS example_outputs)
  set(wasm "${PW_EXAMPLES_DIR}/${example}.wasm")
  set(expected "${CMAKE_CURRENT_LIST_DIR}/expected/${example}.stdout")
  if(DEFINED expected_${example})
    set(expected "${CMAKE_CURRENT_LIST_DIR}/expected/${expected_${example}}.stdout")
  endif()
  if(NOT TARGET example_${example})
    continue()
  endif()
  if(PW_NODE)
    add_test(NAME example.${example}.node
             COMMAND "${CMAKE_COMMAND}" -DEXPECTED=${expected}
                     "-DCOMMAND=${PW_NODE}|--experimental-wasi-unstable-preview1|${CMAKE_CURRENT_LIST_DIR}/../bench/node_wasi_runner.mjs|--wasi-parallel|${wasm}"
                     -P "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")
  endif()
  if(TARGET parawasm_cli)
    string(REPLACE ";" "|" run_args "${PW_EXAMPLE_RUN_ARGS}")
    foreach(hint 0 1 2)
      add_test(NAME example.${example}.${device_name_${hint}}
               COMMAND "${CMAKE_COMMAND}" -DEXPECTED=${expected}
                       "-DCOMMAND=$<TARGET_FILE:parawasm_cli>|${run_args}|${wasm}|${hint}"
                       -P "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")
      if(hint EQUAL 2)
        set_tests_properties(example.${example}.gpu PROPERTIES LABELS gpu)
      endif()
    endforeach()
  endif()
endforeach()

# OpenMP examples (examples/openmp/), built with sdk/bin/wp-cc / wp-c++ -O2 -fopenmp. Each prints
# one line that must not depend on the team size: under node (every region a team of one) and
# under parawasm with OMP_NUM_THREADS=1 and 3.

if(WASI_PARALLEL_FOUND)
  foreach(example pi histogram stats)
    set(src "${CMAKE_CURRENT_LIST_DIR}/openmp/${example}.c")
    set(lang "")
    if(example STREQUAL "stats")
      set(src "${CMAKE_CURRENT_LIST_DIR}/openmp/${example}.cpp")
      set(lang CXX)
    endif()
    set(wasm "${PW_EXAMPLES_DIR}/openmp/${example}.wasm")
    set(expected "${CMAKE_CURRENT_LIST_DIR}/expected/openmp_${example}.stdout")
    wasi_openmp_program(example_openmp_${example} ${lang} SOURCES "${src}"
                        FLAGS -Wall -Wextra -Werror OUTPUT "${wasm}")
    if(PW_NODE)
      add_test(NAME example.openmp_${example}.node
               COMMAND "${CMAKE_COMMAND}" -DEXPECTED=${expected}
                       "-DCOMMAND=${PW_NODE}|--experimental-wasi-unstable-preview1|${CMAKE_CURRENT_LIST_DIR}/../bench/node_wasi_runner.mjs|--wasi-parallel|${wasm}"
                       -P "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")
    endif()
    if(TARGET parawasm_cli)
      foreach(threads 1 3)
        add_test(NAME example.openmp_${example}.cpu_t${threads}
                 COMMAND "${CMAKE_COMMAND}" -DEXPECTED=${expected}
                         "-DCOMMAND=$<TARGET_FILE:parawasm_cli>|run|--env|OMP_NUM_THREADS=${threads}|${wasm}"
                         -P "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")
      endforeach()
    endif()
  endforeach()
endif()

# The C embedding example (docs/c-api.md): the standard C API plus parawasm's WASI and
# wasi-parallel headers, running vector_add.wat on the cpu and sequential devices.
add_executable(c_host ${CMAKE_CURRENT_LIST_DIR}/embed/c_host.c)
set_target_properties(c_host PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                                        RUNTIME_OUTPUT_DIRECTORY ${PW_EXAMPLES_DIR})
target_compile_options(c_host PRIVATE -Werror)
target_link_libraries(c_host PRIVATE parawasm)
foreach(device cpu sequential)
  add_test(NAME capi.c_host.${device}
           COMMAND c_host ${CMAKE_CURRENT_LIST_DIR}/wat/vector_add.wat ${device} 2)
  set_tests_properties(capi.c_host.${device} PROPERTIES LABELS capi PASS_REGULAR_EXPRESSION
    "scale\\(6, 7.5\\) = 45\n.*check\\(0\\) trapped: unreachable.*\nvector_add: n=1024 sum=1571328 errors=0\nc_host: guest exit status 0")
endforeach()
