# Fuzz targets (docs/testing.md#fuzzing): fuzz_module (decode -> validate -> compile -> instantiate
# -> call every export), fuzz_wast (`parawasm wast` on script text) and fuzz_diff (parawasm against
# wabt's interpreter). With PARAWASM_FUZZ (scripts/fuzz.sh, clang) they link libFuzzer; otherwise
# a replay-and-mutate driver, so the CI's bounded run (label `fuzz`) needs no particular compiler.
set(pw_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(pw_fuzz_support STATIC ${pw_fuzz_dir}/bound_module.cpp ${pw_fuzz_dir}/run_module.cpp
                                   ${pw_fuzz_dir}/diff_interp.cpp
                                   ${PROJECT_SOURCE_DIR}/tools/parawasm/wast_runner.cpp)
# wabt 1.0.32's interpreter headers do not compile as C++20 (diff_interp.h says why).
set_source_files_properties(${pw_fuzz_dir}/diff_interp.cpp PROPERTIES COMPILE_OPTIONS -std=gnu++17)
target_include_directories(pw_fuzz_support PUBLIC ${pw_fuzz_dir} ${PROJECT_SOURCE_DIR}/tools/parawasm)
target_link_libraries(pw_fuzz_support PUBLIC parawasm wabt::wabt)
pw_use_layer(pw_fuzz_support tools)

set(PW_FUZZ_SECONDS 40 CACHE STRING "Time limit of each bounded fuzz test (ctest -L fuzz)")
# Each CI fuzz test runs a fixed number of inputs from a fixed seed, so that it fails the same way
# on every machine (a slower one stops at the time limit, on a prefix of the same inputs); longer
# searches are scripts/fuzz.sh's.
set(PW_FUZZ_RUNS_module 200000)
set(PW_FUZZ_RUNS_wast 60000)
set(PW_FUZZ_RUNS_diff 200000)
foreach(target module wast diff)
  add_executable(fuzz_${target} ${pw_fuzz_dir}/fuzz_${target}.cpp)
  target_link_libraries(fuzz_${target} PRIVATE pw_fuzz_support)
  pw_use_layer(fuzz_${target} tools)
  if(PARAWASM_FUZZ)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(fuzz_${target} PRIVATE ${pw_fuzz_dir}/standalone_main.cpp)
  endif()
  add_test(NAME fuzz.${target}
           COMMAND bash ${pw_fuzz_dir}/run_fuzz.sh $<TARGET_FILE:fuzz_${target}> ${target}
                   ${CMAKE_BINARY_DIR}/fuzz ${PW_FUZZ_SECONDS} -seed=1
                   -runs=${PW_FUZZ_RUNS_${target}})
  set_tests_properties(fuzz.${target} PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()

# The differential target again on the -O2 pipeline (PARAWASM_FUZZ_O2), whose loop rewrites the
# fast tier never runs; each input compiles about ten times slower, so it gets fewer.
add_test(NAME fuzz.diff.O2
         COMMAND bash ${pw_fuzz_dir}/run_fuzz.sh $<TARGET_FILE:fuzz_diff> diff
                 ${CMAKE_BINARY_DIR}/fuzz-O2 ${PW_FUZZ_SECONDS} -seed=1 -runs=20000)
set_tests_properties(fuzz.diff.O2 PROPERTIES LABELS fuzz TIMEOUT 300 ENVIRONMENT PARAWASM_FUZZ_O2=1)
# The interpreter tier (vm/interp.h) against wabt's interpreter: a lazy start whose functions
# never use up their budget, so every call of a function the interpreter can run is interpreted.
add_test(NAME fuzz.diff.interp
         COMMAND bash ${pw_fuzz_dir}/run_fuzz.sh $<TARGET_FILE:fuzz_diff> diff
                 ${CMAKE_BINARY_DIR}/fuzz-interp ${PW_FUZZ_SECONDS} -seed=1 -runs=100000)
set_tests_properties(fuzz.diff.interp PROPERTIES LABELS fuzz TIMEOUT 300 ENVIRONMENT
                     "PARAWASM_LAZY=1;PARAWASM_INTERP_BUDGET=1000000000000")

# Inputs that once crashed or hung a target, replayed by it (tests/fuzz/regressions/TARGET/).
foreach(target module wast diff)
  if(EXISTS ${pw_fuzz_dir}/regressions/${target})
    add_test(NAME fuzz.regressions.${target}
             COMMAND fuzz_${target} -runs=0 ${pw_fuzz_dir}/regressions/${target})
    set_tests_properties(fuzz.regressions.${target} PROPERTIES LABELS fuzz TIMEOUT 120)
  endif()
endforeach()
