# Smoke test of the benchmark runner (bench/run --quick): every PRK kernel at a tiny size in every
# configuration (native OpenMP, parawasm, node, each wasi-parallel device), one repetition. It
# checks that each run validates, that checksums agree and that the table, charts and JSON are
# written; it asserts nothing about timings. Skipped (exit 77) when the kernels were not built.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME bench.run.quick
           COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/bench/run" --quick --no-build
                   --skip-missing --build-dir "${PROJECT_BINARY_DIR}"
                   --out "${PROJECT_BINARY_DIR}/bench/results-quick")
  set_tests_properties(bench.run.quick PROPERTIES LABELS bench TIMEOUT 120 SKIP_RETURN_CODE 77)
endif()

# Smoke test of the start-up benchmark (bench/startup/run.py): a generated 20 KB module, cold
# (lazily compiled), warm and under node, one repetition; the results must agree.
if(Python3_Interpreter_FOUND)
  add_test(NAME bench.startup.quick
           COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/bench/startup/run.py"
                   --sizes 20000 --reps 1 --parawasm $<TARGET_FILE:parawasm_cli>
                   --out "${PROJECT_BINARY_DIR}/bench/startup-quick")
  set_tests_properties(bench.startup.quick PROPERTIES LABELS bench TIMEOUT 300)
endif()
