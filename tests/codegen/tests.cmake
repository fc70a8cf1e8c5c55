# FileCheck tests of the LLVM IR and PTX that parawasm emits (included from tests/CMakeLists.txt).
#
# Every *.wat and *.check file in this folder is one ctest, codegen.<name>, written like an LLVM
# lit test. Its lines (after any comment characters) may say:
#   RUN: <shell command>   run with bash -o pipefail; every RUN line must succeed
#   REQUIRES: <feature>    skip the test (ctest reports it as skipped) without the feature:
#                          ptxas    /usr/local/cuda/bin/ptxas (or ptxas on PATH)
#                          kernels  the example kernels (examples/examples.cmake; they need the
#                                   wasm32 toolchain of sdk/cmake/WasiParallel.cmake)
#                          benchkernels  the benchmark kernels (bench/kernels/kernels.cmake)
#                          Both are built by `ninja` (all) when their targets exist.
# In RUN lines, `parawasm`, `FileCheck`, `not` and `ptxas` are found first where this build has
# them, and these are replaced:
#   %s the test file   %S its folder   %t a scratch path for this test
#   %kernels       ${CMAKE_BINARY_DIR}/examples/kernels       (ex_*_kernel.wasm, conf_*...)
#   %benchkernels  ${CMAKE_BINARY_DIR}/bench/wasm/kernels     (prk_*_kernel.wasm)
# To re-bless a check, run the RUN line by hand and update the CHECK lines from its output.
# Not codegen, but tests/CMakeLists.txt reads only tests/*/tests.cmake: the fake CUDA driver of
# tests/unit/cuda is set up from here until it includes that file itself.

find_program(PW_FILECHECK NAMES FileCheck FileCheck-19 HINTS /usr/lib/llvm-19/bin)
find_program(PW_NOT NAMES not HINTS /usr/lib/llvm-19/bin NO_DEFAULT_PATH)
find_program(PW_PTXAS NAMES ptxas HINTS /usr/local/cuda/bin)

if(NOT PW_FILECHECK OR NOT TARGET parawasm_cli)
  message(STATUS "codegen tests: FileCheck not found; tests/codegen is not registered")
  return()
endif()

set(pw_codegen_path "$<TARGET_FILE_DIR:parawasm_cli>")
get_filename_component(dir "${PW_FILECHECK}" DIRECTORY)
string(APPEND pw_codegen_path ":${dir}")
if(PW_NOT)
  get_filename_component(dir "${PW_NOT}" DIRECTORY)
  string(APPEND pw_codegen_path ":${dir}")
endif()
set(pw_codegen_features "")
if(PW_PTXAS)
  get_filename_component(dir "${PW_PTXAS}" DIRECTORY)
  string(APPEND pw_codegen_path ":${dir}")
  list(APPEND pw_codegen_features ptxas)
endif()
string(REPLACE ";" "," pw_codegen_features "${pw_codegen_features}")
# The kernel targets are defined after this file is read: ask at generation time.
string(APPEND pw_codegen_features
       "$<$<TARGET_EXISTS:wp_kernel_ex_vector_add>:,kernels>"
       "$<$<TARGET_EXISTS:wp_kernel_prk_nstream>:,benchkernels>")

file(GLOB pw_codegen_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.wat
     ${CMAKE_CURRENT_LIST_DIR}/*.check)
foreach(test IN LISTS pw_codegen_tests)
  get_filename_component(name "${test}" NAME_WE)
  add_test(NAME codegen.${name}
           COMMAND "${CMAKE_COMMAND}" "-DTEST=${test}" "-DTOOL_PATH=${pw_codegen_path}"
                   "-DFEATURES=${pw_codegen_features}"
                   "-DSCRATCH=${CMAKE_CURRENT_BINARY_DIR}/codegen/${name}"
                   "-DKERNELS=${CMAKE_BINARY_DIR}/examples/kernels"
                   "-DBENCH_KERNELS=${CMAKE_BINARY_DIR}/bench/wasm/kernels"
                   -P "${CMAKE_CURRENT_LIST_DIR}/run_codegen_test.cmake")
  set_tests_properties(codegen.${name} PROPERTIES SKIP_REGULAR_EXPRESSION "PW_SKIP:" LABELS codegen)
endforeach()
