# wasi-parallel conformance guests (C built with the SDK, and hand-written WAT), each run by
# `parawasm run` on every CPU device and compared exactly with expected/<guest>.stdout — one
# expected file per guest, so the devices must agree with each other. Included by
# tests/CMakeLists.txt. Labels: parallel.
include("${CMAKE_CURRENT_LIST_DIR}/../../sdk/cmake/WasiParallel.cmake")

set(pt_dir "${CMAKE_CURRENT_LIST_DIR}")
set(pt_out "${CMAKE_CURRENT_BINARY_DIR}/parallel")
set(pt_check "${pt_dir}/check_output.cmake")

# Device variants: name, then the parawasm options and the guest's device hint ('|'-separated).
set(pt_variants
    "sequential=0"
    "cpu=1"
    "cpu3=--threads|3|1"
    "forced_sequential=--device|sequential|1"
    "forced_cpu1=--device|cpu|--threads|1|0"
    # Checked kernels (issue 12): every access checked against the exec's buffers; the guests
    # stay inside theirs, so the output is the same.
    "checked=-W|parallel-check-buffers|1"
    "checked_sequential=-W|parallel-check-buffers|0"
    "checked_cpu3=-W|parallel-check-buffers|--threads|3|1"
    # The GPU hint (issue 13): on a GPU the same expected output; without one the hint falls back
    # to the cpu device, so the test passes there too. Label gpu (scripts/gpu-check.sh runs it).
    "gpu=2")

function(pt_add_guest_tests guest file invoke)
  if(NOT TARGET parawasm_cli)
    return()
  endif()
  foreach(variant IN LISTS pt_variants)
    string(REGEX REPLACE "=.*" "" vname "${variant}")
    string(REGEX REPLACE "^[^=]*=" "" vargs "${variant}")
    # The hint is the last word; options come before the file.
    string(REPLACE "|" ";" words "${vargs}")
    list(POP_BACK words hint)
    list(JOIN words "|" options)
    set(run "$<TARGET_FILE:parawasm_cli>|run")
    if(options)
      set(run "${run}|${options}")
    endif()
    if(invoke)
      set(run "${run}|--invoke|main")
    endif()
    add_test(NAME parallel.${guest}.${vname}
             COMMAND "${CMAKE_COMMAND}" "-DCOMMAND=${run}|${file}|${hint}"
                     "-DEXPECTED=${pt_dir}/expected/${guest}.stdout" -P "${pt_check}")
    set(labels parallel)
    if(vname STREQUAL "gpu")
      set(labels gpu)
    endif()
    set_tests_properties(parallel.${guest}.${vname} PROPERTIES LABELS "${labels}" TIMEOUT 300)
  endforeach()
endfunction()

if(WASI_PARALLEL_FOUND)
  foreach(k count poly slice add_one rows)
    wasi_parallel_kernel(pt_${k} SOURCE "${pt_dir}/c/${k}_kernel.c" OUTPUT_DIR "${pt_out}/kernels")
  endforeach()
  wasi_parallel_kernel(pt_histogram SOURCE "${pt_dir}/c/histogram_kernel.c"
                       OUTPUT_DIR "${pt_out}/kernels")
  wasi_parallel_kernel(pt_trap SOURCE "${pt_dir}/c/trap_kernel.wat" OUTPUT_DIR "${pt_out}/kernels")
  wasi_parallel_kernel(pt_deep_trap SOURCE "${pt_dir}/c/deep_trap_kernel.wat"
                       OUTPUT_DIR "${pt_out}/kernels")
  wasi_parallel_kernel(pt_overrun SOURCE "${pt_dir}/c/overrun_kernel.wat"
                       OUTPUT_DIR "${pt_out}/kernels")
  set(pt_bad_kernels "")
  foreach(k import data start export result memory)
    # Deliberately against the rules: the host must refuse them, so the SDK must not.
    wasi_parallel_kernel(pt_bad_${k} SOURCE "${pt_dir}/c/bad_${k}_kernel.wat"
                         OUTPUT_DIR "${pt_out}/kernels" FLAGS --no-check)
    list(APPEND pt_bad_kernels pt_bad_${k})
  endforeach()

  set(pt_guest_kernels_iterations pt_count)
  set(pt_guest_kernels_results pt_poly pt_slice pt_rows)
  set(pt_guest_kernels_traps pt_trap pt_deep_trap)
  set(pt_guest_kernels_errors pt_add_one pt_count ${pt_bad_kernels})
  set(pt_guest_kernels_mistakes pt_add_one pt_trap)
  set(pt_guest_kernels_many_execs pt_add_one)
  # The WIT generation (tests/parallel/wit): bindings as wit-bindgen writes them.
  wasi_guest_program(pt_guest_wit
    SOURCES "${pt_dir}/wit/wit_guest.c"
    KERNELS pt_add_one
    FLAGS -Wall -Wextra
    OUTPUT "${pt_out}/wit.wasm")
  pt_add_guest_tests(wit "${pt_out}/wit.wasm" FALSE)
  foreach(guest iterations results traps errors many_execs)
    wasi_guest_program(pt_guest_${guest}
      SOURCES "${pt_dir}/c/${guest}.c"
      KERNELS ${pt_guest_kernels_${guest}}
      FLAGS -Wall -Wextra -Wno-unused-parameter
      OUTPUT "${pt_out}/${guest}.wasm")
    pt_add_guest_tests(${guest} "${pt_out}/${guest}.wasm" FALSE)
  endforeach()

  # Kernels that write outside their buffers (issue 12): unchecked they reach the caller's
  # other data, checked (-W parallel-check-buffers) the exec fails naming the iteration. Not on
  # a GPU, which always checks against its own span.
  wasi_guest_program(pt_guest_overruns
    SOURCES "${pt_dir}/c/overruns.c"
    KERNELS pt_overrun
    FLAGS -Wall -Wextra -Wno-unused-parameter
    OUTPUT "${pt_out}/overruns.wasm")
  if(TARGET parawasm_cli)
    foreach(variant "sequential=0" "cpu=1" "cpu3=--threads|3|1")
      string(REGEX REPLACE "=.*" "" vname "${variant}")
      string(REGEX REPLACE "^[^=]*=" "" vargs "${variant}")
      string(REPLACE "|" ";" words "${vargs}")
      list(POP_BACK words hint)
      list(JOIN words "|" options)
      foreach(mode unchecked checked)
        set(run "$<TARGET_FILE:parawasm_cli>|run")
        set(expected "${pt_dir}/expected/overruns.stdout")
        if(mode STREQUAL "checked")
          set(run "${run}|-W|parallel-check-buffers")
          set(expected "${pt_dir}/expected/overruns_checked.stdout")
        endif()
        if(options)
          set(run "${run}|${options}")
        endif()
        add_test(NAME parallel.overruns.${mode}.${vname}
                 COMMAND "${CMAKE_COMMAND}" "-DCOMMAND=${run}|${pt_out}/overruns.wasm|${hint}"
                         "-DEXPECTED=${expected}" -P "${pt_check}")
        set_tests_properties(parallel.overruns.${mode}.${vname} PROPERTIES LABELS parallel)
      endforeach()
    endforeach()
  endif()

  add_test(NAME parallel.wp_kernel.refusals
           COMMAND bash "${pt_dir}/wp_kernel_test.sh" "${WASI_PARALLEL_SDK_DIR}"
                   "${WASI_PARALLEL_CLANG}" "${WASI_PARALLEL_WASM_OBJDUMP}"
                   "$<$<BOOL:${WASI_PARALLEL_RUST_FOUND}>:${WASI_PARALLEL_RUSTC}>")
  set_tests_properties(parallel.wp_kernel.refusals PROPERTIES LABELS parallel)
  # Atomics in kernels built with the SDK's defaults are real (issue 16): 50 of 50 runs exact.
  wasi_guest_program(pt_guest_histogram
    SOURCES "${pt_dir}/c/histogram.c"
    KERNELS pt_histogram
    FLAGS -Wall -Wextra
    OUTPUT "${pt_out}/histogram.wasm")
  if(TARGET parawasm_cli)
    add_test(NAME parallel.histogram_atomics_50_runs
             COMMAND bash "${pt_dir}/histogram_runs.sh" $<TARGET_FILE:parawasm_cli>
                     "${pt_out}/histogram.wasm" "${pt_histogram_KERNEL_WASM}" 50)
    set_tests_properties(parallel.histogram_atomics_50_runs PROPERTIES LABELS parallel
      TIMEOUT 300 ENVIRONMENT PARAWASM_CACHE_DIR=${CMAKE_BINARY_DIR}/histogram-test-cache)
  endif()

  # Typical mistakes print their reason without --verbose (issue 16): the SDK's WP_ON_ERROR asks
  # the host (get_last_error).
  wasi_guest_program(pt_guest_mistakes
    SOURCES "${pt_dir}/c/mistakes.c"
    KERNELS ${pt_guest_kernels_mistakes}
    FLAGS -Wall -Wextra
    OUTPUT "${pt_out}/mistakes.wasm")
  set(pt_mistakes
      "signature=parallel_exec failed: invalid kernel \\(3\\): 'kernel' takes 1 buffers \\(5 parameters\\), the call passes 2"
      "size=read_buffer failed: invalid argument \\(2\\): data_len 128 .*256"
      "trap=parallel_exec failed: kernel trapped \\(5\\): unreachable.* in iterations? \\[?[0-9]")
  foreach(m IN LISTS pt_mistakes)
    string(REGEX REPLACE "=.*" "" mname "${m}")
    string(REGEX REPLACE "^[^=]*=" "" mregex "${m}")
    if(TARGET parawasm_cli)
      add_test(NAME parallel.mistakes.${mname}
               COMMAND "${CMAKE_COMMAND}"
                       "-DCOMMAND=$<TARGET_FILE:parawasm_cli>|run|${pt_out}/mistakes.wasm|${mname}"
                       -DEXPECTED_TEXT= -DEXIT_CODE=1 "-DSTDERR_MATCH=${mregex}" -P "${pt_check}")
      set_tests_properties(parallel.mistakes.${mname} PROPERTIES LABELS parallel)
    endif()
  endforeach()

  # Rust guests (sdk/rust): the bindings' Error carries the host's reason; the kernel's
  # bounds-checked views trap instead of writing past a buffer.
  if(WASI_PARALLEL_RUST_FOUND)
    wasi_parallel_kernel(pt_vector_add_rs SOURCE "${pt_dir}/../../examples/rust/vector_add_kernel.rs"
                         OUTPUT_DIR "${pt_out}/kernels")
    wasi_rust_guest_program(pt_guest_mistakes_rs
      SOURCE "${pt_dir}/rust/mistakes.rs"
      KERNELS pt_vector_add_rs
      OUTPUT "${pt_out}/mistakes_rs.wasm")
    set(pt_rust_mistakes
        "overrun=0=1=parallel_exec failed: kernel trapped \\(5\\): unreachable.* in iterations? .?512"
        "overrun_cpu=1=1=parallel_exec failed: kernel trapped \\(5\\): unreachable"
        "signature=1=1=parallel_exec failed: invalid kernel \\(3\\): 'kernel' takes 3 buffers \\(9 parameters\\), the call passes 2"
        "ok=1=0=^$")
    foreach(m IN LISTS pt_rust_mistakes)
      string(REPLACE "=" ";" parts "${m}")
      list(GET parts 0 mname)
      list(GET parts 1 hint)
      list(GET parts 2 code)
      string(REGEX REPLACE "^[^=]*=[^=]*=[^=]*=" "" mregex "${m}")
      string(REGEX REPLACE "_cpu$" "" mode "${mname}")
      set(expected_text "")
      if(mname STREQUAL "ok")
        set(expected_text "ok sum=3072\\n")
      endif()
      if(TARGET parawasm_cli)
        add_test(NAME parallel.rust.${mname}
                 COMMAND "${CMAKE_COMMAND}"
                         "-DCOMMAND=$<TARGET_FILE:parawasm_cli>|run|${pt_out}/mistakes_rs.wasm|${mode}|${hint}"
                         "-DEXPECTED_TEXT=${expected_text}" -DEXIT_CODE=${code}
                         "-DSTDERR_MATCH=${mregex}" -P "${pt_check}")
        set_tests_properties(parallel.rust.${mname} PROPERTIES LABELS parallel)
      endif()
    endforeach()
  endif()

  if(TARGET parawasm_cli)
    # --verbose reports a kernel's trap on stderr; the guest still sees only the error code. The
    # range is the piece of the thread's share it was running (several blocks: CpuDevice).
    add_test(NAME parallel.traps.verbose
             COMMAND "${CMAKE_COMMAND}"
                     "-DCOMMAND=$<TARGET_FILE:parawasm_cli>|run|--verbose|${pt_out}/traps.wasm|1"
                     "-DEXPECTED=${pt_dir}/expected/traps.stdout"
                     "-DSTDERR_MATCH=parallel_exec failed: kernel_trapped: unreachable.* in iterations \\[[0-9]+, [0-9]+\\)"
                     -P "${pt_check}")
    set_tests_properties(parallel.traps.verbose PROPERTIES LABELS parallel)
  endif()
endif()

find_program(PW_PARALLEL_WAT2WASM NAMES wat2wasm)
if(PW_PARALLEL_WAT2WASM)
  foreach(guest vadd checks prototype witgen)
    set(template "${pt_dir}/wat/${guest}_guest.wat")
    set(output "${pt_out}/${guest}_guest.wat")
    file(GLOB kernel_wats "${pt_dir}/wat/*_kernel.wat")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" "-DWAT2WASM=${PW_PARALLEL_WAT2WASM}" "-DINPUT=${template}"
              "-DOUTPUT=${output}" "-DKERNEL_DIR=${pt_dir}/wat" "-DWORK_DIR=${pt_out}/wat_kernels"
              -P "${pt_dir}/embed_kernels.cmake"
      DEPENDS "${template}" ${kernel_wats} "${pt_dir}/embed_kernels.cmake"
      COMMENT "WAT guest ${guest} with embedded kernels"
      VERBATIM)
    add_custom_target(pt_wat_${guest} ALL DEPENDS "${output}")
    pt_add_guest_tests(${guest}_wat "${output}" TRUE)
  endforeach()
endif()

if(TARGET parawasm_cli)
  add_test(NAME parallel.cli.devices COMMAND parawasm_cli devices --threads 3)
  set_tests_properties(parallel.cli.devices PROPERTIES LABELS parallel
    PASS_REGULAR_EXPRESSION "^0  sequential +sequential: [^\n]*\n1  cpu +cpu: 3 threads")
  add_test(NAME parallel.cli.threads_env COMMAND parawasm_cli devices)
  set_tests_properties(parallel.cli.threads_env PROPERTIES LABELS parallel
    ENVIRONMENT PARAWASM_THREADS=5 PASS_REGULAR_EXPRESSION "cpu: 5 threads")
  add_test(NAME parallel.cli.bad_threads_env COMMAND parawasm_cli devices)
  set_tests_properties(parallel.cli.bad_threads_env PROPERTIES LABELS parallel
    ENVIRONMENT PARAWASM_THREADS=lots WILL_FAIL TRUE)
  add_test(NAME parallel.cli.unknown_device
           COMMAND parawasm_cli run --device tpu "${pt_dir}/wat/vadd_kernel.wat")
  set_tests_properties(parallel.cli.unknown_device PROPERTIES LABELS parallel
    PASS_REGULAR_EXPRESSION "unknown wasi-parallel device 'tpu'")
endif()

# The table-index generation (parallel_for): WAT guests whose results say which check failed
# (0: all right), on the devices the issue names, and the link-time refusals.
if(TARGET parawasm_cli)
  set(ti_dir "${pt_dir}/table_index")
  set(ti_devices "sequential=--device|sequential" "cpu3=--device|cpu|--threads|3" "default=")
  function(ti_add name expected exit_code stderr_match)
    add_test(NAME parallel.table_index.${name}
             COMMAND "${CMAKE_COMMAND}" "-DCOMMAND=${ARGN}" "-DEXPECTED_TEXT=${expected}"
                     "-DEXIT_CODE=${exit_code}" "-DSTDERR_MATCH=${stderr_match}" -P "${pt_check}")
    set_tests_properties(parallel.table_index.${name} PROPERTIES LABELS parallel TIMEOUT 120)
  endfunction()
  foreach(device IN LISTS ti_devices)
    string(REGEX REPLACE "=.*" "" dname "${device}")
    string(REGEX REPLACE "^[^=]*=" "" dopts "${device}")
    set(run "$<TARGET_FILE:parawasm_cli>|run")
    if(dopts)
      set(run "${run}|${dopts}")
    endif()
    foreach(shape "8|100|0" "3|33|1" "64|1|0" "5|1000|2" "1|7|0")
      string(REPLACE "|" "_" sname "${shape}")
      ti_add(${dname}.shape_${sname} "0\\n" 0 ""
             "${run}|--invoke|main|${ti_dir}/worker_guest.wat|${shape}")
    endforeach()
    ti_add(${dname}.barrier_16 "0\\n" 0 "" "${run}|--invoke|barrier|${ti_dir}/worker_guest.wat|16")
    ti_add(${dname}.errors "0\\n" 0 "" "${run}|--invoke|errors|${ti_dir}/worker_guest.wat")
    ti_add(${dname}.trap "50\\n" 0 "" "${run}|--invoke|main|${ti_dir}/trap_guest.wat")
  endforeach()
  set(run "$<TARGET_FILE:parawasm_cli>|run")
  ti_add(bad_type "" 1 "'parallel_for' is imported with type \\(i32, i32\\) -> \\(i32\\)"
         "${run}|--invoke|main|${ti_dir}/bad_type_guest.wat")
  ti_add(mixed "" 1 "imports both 'parallel_for' .* and 'parallel_exec'"
         "${run}|--invoke|main|${ti_dir}/mixed_guest.wat")
  ti_add(verbose_generation "0\\n" 0 "wasi-parallel generation: table-index \\(parallel_for\\)"
         "${run}|--verbose|--invoke|errors|${ti_dir}/worker_guest.wat")
  if(WASI_PARALLEL_FOUND)
    wasi_guest_program(pt_guest_table_index
      SOURCES "${ti_dir}/worker_guest.c"
      FLAGS -Wall -Wextra -matomics -mbulk-memory
      LINK_FLAGS -Wl,--export-table
      OUTPUT "${pt_out}/table_index_worker.wasm")
    foreach(device IN LISTS ti_devices)
      string(REGEX REPLACE "=.*" "" dname "${device}")
      string(REGEX REPLACE "^[^=]*=" "" dopts "${device}")
      set(crun "$<TARGET_FILE:parawasm_cli>|run")
      if(dopts)
        set(crun "${crun}|${dopts}")
      endif()
      foreach(shape "8|100|0" "3|33|1" "64|1|0" "5|1000|2" "1|7|0")
        string(REPLACE "|" "_" sname "${shape}")
        ti_add(${dname}.c_shape_${sname} "ok\\n" 0 ""
               "${crun}|${pt_out}/table_index_worker.wasm|${shape}")
      endforeach()
    endforeach()
    # The worker as a GPU kernel (hint 2; without a GPU it falls back to the cpu device).
    foreach(shape "8|100|2" "3|33|2" "64|1|2" "1|7|2")
      string(REPLACE "|" "_" sname "${shape}")
      ti_add(gpu.c_shape_${sname} "ok\\n" 0 ""
             "$<TARGET_FILE:parawasm_cli>|run|${pt_out}/table_index_worker.wasm|${shape}")
      set_tests_properties(parallel.table_index.gpu.c_shape_${sname} PROPERTIES LABELS gpu)
    endforeach()
  endif()
  # A team lives as long as its caller (it once held the host context that held it: a leak).
  find_program(PW_VALGRIND NAMES valgrind)
  if(PW_VALGRIND)
    set(vg "${PW_VALGRIND}|--error-exitcode=1|--leak-check=full")
    set(vg "${vg}|--errors-for-leak-kinds=definite,indirect")
    ti_add(valgrind_team "0\\n" 0 ""
           "${vg}|${run}|--device|cpu|--threads|2|--invoke|main|${ti_dir}/worker_guest.wat|3|33|1")
    set_tests_properties(parallel.table_index.valgrind_team PROPERTIES TIMEOUT 600)
  endif()
  ti_add(verbose_trap "50\\n" 0 "parallel_for failed: kernel_trapped: unreachable.* in worker thread 2"
         "${run}|--verbose|--invoke|main|${ti_dir}/trap_guest.wat")
endif()
