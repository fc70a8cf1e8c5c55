# wasi-threads: WAT guests (Debian has no wasm32-wasi-threads sysroot) run by `parawasm run`
# through run_test.sh, which checks the exit status and stdout and bounds each run in time.

set(pw_threads_dir ${CMAKE_CURRENT_LIST_DIR})

# pw_threads_test(NAME WAT STATUS n STDOUT text [STDERR regex] [REPEAT k] [TIMEOUT s]
#                 ARGS run-args...)   @WAT@ in ARGS stands for the module.
function(pw_threads_test name wat)
  cmake_parse_arguments(T "" "STATUS;STDOUT;STDERR;REPEAT;TIMEOUT" "ARGS" ${ARGN})
  if(NOT DEFINED T_REPEAT)
    set(T_REPEAT 1)
  endif()
  if(NOT DEFINED T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  list(TRANSFORM T_ARGS REPLACE "@WAT@" ${pw_threads_dir}/${wat}.wat)
  set(stderr_args)
  if(DEFINED T_STDERR)
    set(stderr_args --stderr ${T_STDERR})
  endif()
  add_test(NAME threads.${name}
           COMMAND bash ${pw_threads_dir}/run_test.sh --status ${T_STATUS} --stdout "${T_STDOUT}"
                   ${stderr_args} --repeat ${T_REPEAT} --timeout ${T_TIMEOUT}
                   -- $<TARGET_FILE:parawasm_cli> run --cache-dir
                   ${CMAKE_BINARY_DIR}/threads-test-cache ${T_ARGS})
  math(EXPR whole "${T_REPEAT} * ${T_TIMEOUT} + 30")
  if(whole GREATER 600)
    set(whole 600)
  endif()
  set_tests_properties(threads.${name} PROPERTIES LABELS threads TIMEOUT ${whole})
endfunction()

# Counters under atomics and a futex mutex; thread ids positive and unique.
pw_threads_test(counter_1 counter STATUS 0 STDOUT "1000\\n1000\\n1" ARGS --invoke run @WAT@ 1 1000)
pw_threads_test(counter_4 counter STATUS 0 STDOUT "40000\\n40000\\n1"
                ARGS --invoke run @WAT@ 4 10000)
# More threads than this machine's cores (2 on the reference machine).
pw_threads_test(counter_16 counter STATUS 0 STDOUT "160000\\n160000\\n1"
                ARGS --invoke run @WAT@ 16 10000)
# 50 runs in a row: no hang (each run bounded to 10 s) and never a wrong count.
pw_threads_test(counter_16_repeat counter STATUS 0 STDOUT "32000\\n32000\\n1" REPEAT 50
                TIMEOUT 10 ARGS --invoke run @WAT@ 16 2000)
# proc_exit in a thread ends the program with its status; the imported memory is made.
pw_threads_test(exit_in_thread exit_in_thread STATUS 7 STDOUT "" ARGS @WAT@)
# A trap in a thread ends the program with status 1, naming the thread.
pw_threads_test(trap_in_thread trap_in_thread STATUS 1 STDOUT ""
                STDERR "integer divide by zero.*wasi-threads thread 1" ARGS @WAT@)
# The main thread's return ends the program while a thread still loops.
pw_threads_test(return_main_busy return_main_busy STATUS 0 STDOUT "" ARGS @WAT@)
# A thread's instance starts as instantiation leaves it (globals, tables).
pw_threads_test(instance_state instance_state STATUS 0 STDOUT "5\\n1\\n100"
                ARGS --invoke run @WAT@)
# Spawning over an unshared memory fails with a negative id.
pw_threads_test(spawn_fails spawn_fails STATUS 0 STDOUT "1" ARGS --invoke run @WAT@)
# -S threads=n: no thread-spawn to link.
pw_threads_test(switched_off counter STATUS 1 STDOUT "" STDERR "unknown import: 'wasi' 'thread-spawn'"
                ARGS -S threads=n --invoke run @WAT@ 1 1)
