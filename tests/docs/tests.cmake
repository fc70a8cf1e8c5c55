# Every command the README and docs/ show is run (tests/docs/doc_commands.py), so their claims
# cannot drift from what parawasm does; drift.md proves the check fails on a drifted page.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(TARGET parawasm_cli AND Python3_Interpreter_FOUND AND WASI_PARALLEL_FOUND)
  set(rust_flag "")
  if(WASI_PARALLEL_RUST_FOUND)
    set(rust_flag --rust)
  endif()
  add_test(NAME docs.commands
           COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_LIST_DIR}/doc_commands.py"
                   --repo "${PROJECT_SOURCE_DIR}" --build "${CMAKE_BINARY_DIR}" ${rust_flag})
  set_tests_properties(docs.commands PROPERTIES LABELS docs TIMEOUT 900)
  add_test(NAME docs.commands.detects_drift
           COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_LIST_DIR}/doc_commands.py"
                   --repo "${PROJECT_SOURCE_DIR}" --build "${CMAKE_BINARY_DIR}"
                   "${CMAKE_CURRENT_LIST_DIR}/drift.md")
  set_tests_properties(docs.commands.detects_drift PROPERTIES LABELS docs
                       PASS_REGULAR_EXPRESSION "1 commands run, 2 failed")
endif()
