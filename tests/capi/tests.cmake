# The standard C API (include/wasm.h): C programs, compiled as C11 with warnings as errors, each
# run on its module (tests/capi/<name>.wat, translated by wat2wasm); two run again under valgrind
# to show that the API's ownership rules leave nothing behind.
set(capi_dir ${CMAKE_CURRENT_LIST_DIR})
set(capi_out ${CMAKE_BINARY_DIR}/tests/capi)
if(NOT PW_WAT2WASM)
  find_program(PW_WAT2WASM NAMES wat2wasm)
endif()
find_program(PW_VALGRIND NAMES valgrind)
foreach(name call objects)
  add_custom_command(OUTPUT ${capi_out}/${name}.wasm
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${capi_out}
                     COMMAND ${PW_WAT2WASM} ${capi_dir}/${name}.wat -o ${capi_out}/${name}.wasm
                     DEPENDS ${capi_dir}/${name}.wat VERBATIM)
  add_executable(capi_${name} ${capi_dir}/capi_${name}.c ${capi_out}/${name}.wasm)
  set_target_properties(capi_${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                                                C_EXTENSIONS OFF)
  target_compile_options(capi_${name} PRIVATE -Werror)
  target_link_libraries(capi_${name} PRIVATE parawasm)
  add_test(NAME capi.${name} COMMAND capi_${name} ${capi_out}/${name}.wasm)
  set_tests_properties(capi.${name} PROPERTIES LABELS capi)
  if(PW_VALGRIND)
    add_test(NAME capi.valgrind.${name}
             COMMAND ${PW_VALGRIND} --error-exitcode=1 --leak-check=full
                     --errors-for-leak-kinds=definite,indirect,possible
                     $<TARGET_FILE:capi_${name}> ${capi_out}/${name}.wasm)
    set_tests_properties(capi.valgrind.${name} PROPERTIES LABELS capi TIMEOUT 600
                         ENVIRONMENT CAPI_TEST_UNDER_VALGRIND=1)
  endif()
endforeach()

# parawasm's own C headers (linker, text format, trap details, WASI, wasi-parallel). POSIX for
# pipe(): C11 with the POSIX declarations.
add_executable(capi_wasi ${capi_dir}/capi_wasi.c)
set_target_properties(capi_wasi PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_definitions(capi_wasi PRIVATE _POSIX_C_SOURCE=200809L)
target_compile_options(capi_wasi PRIVATE -Werror)
target_link_libraries(capi_wasi PRIVATE parawasm)
add_test(NAME capi.wasi COMMAND capi_wasi)
set_tests_properties(capi.wasi PROPERTIES LABELS capi)
if(PW_VALGRIND)
  add_test(NAME capi.valgrind.wasi
           COMMAND ${PW_VALGRIND} --error-exitcode=1 --leak-check=full
                   --errors-for-leak-kinds=definite,indirect,possible $<TARGET_FILE:capi_wasi>)
  set_tests_properties(capi.valgrind.wasi PROPERTIES LABELS capi TIMEOUT 600)
endif()
