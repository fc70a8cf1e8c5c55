# Building wasi-parallel guests and their kernels with clang (wasm32 / wasm32-wasi).
#
#   wasi_parallel_kernel(NAME SOURCE file [OUTPUT_DIR dir] [FLAGS flag...] [DEPENDS file...])
#     Builds SOURCE (C, or a .wat/.wasm module taken as it is) with sdk/bin/wp-kernel, passing
#     FLAGS on (e.g. -O3, -DX=1, --no-check), into the kernel module <dir>/NAME_kernel.wasm and the
#     header <dir>/NAME_kernel.h, which defines `static const wp_kernel_t NAME_kernel`, and checks
#     the kernel rules. C kernels are built with -matomics -mbulk-memory (wp-kernel --help). dir defaults to ${CMAKE_CURRENT_BINARY_DIR}/kernels. Creates the target
#     wp_kernel_NAME and sets NAME_KERNEL_HEADER and NAME_KERNEL_WASM in the caller's scope.
#
#   wasi_guest_program(NAME SOURCES file... [KERNELS kernel...] [OUTPUT file]
#                      [FLAGS flag...] [LINK_FLAGS flag...] [DEPENDS file...] [EXCLUDE_FROM_ALL])
#     Builds a wasm32-wasi program with clang --target=wasm32-wasi -O2 -matomics -mbulk-memory
#     (FLAGS come after them, so they may override them): the program shares its memory with
#     its kernels, so its atomics must be real ones too. The SDK headers and the headers of the named kernels are on the
#     include path. OUTPUT defaults to ${CMAKE_CURRENT_BINARY_DIR}/NAME.wasm. Creates the target
#     NAME and sets NAME_WASM in the caller's scope.
#
#   wasi_openmp_program(NAME SOURCES file... [CXX] [OUTPUT file] [FLAGS flag...]
#                       [LINK_FLAGS flag...] [DEPENDS file...] [EXCLUDE_FROM_ALL])
#     Builds an OpenMP program with sdk/bin/wp-cc (wp-c++ with CXX) -O2 -fopenmp: a wasm32-wasi
#     program whose parallel regions run as wasi-parallel teams (docs/openmp.md). The OpenMP
#     runtime is compiled on first use into ${CMAKE_BINARY_DIR}/wp-cache. Creates the target NAME
#     and sets NAME_WASM in the caller's scope.
#
# Sets WASI_PARALLEL_FOUND when clang can build wasm32-wasi programs and wasm-objdump is there
# (Debian: clang, lld, wasi-libc, libclang-rt-14-dev-wasm32, wabt). Override the tools with
# WASI_PARALLEL_CLANG and WASI_PARALLEL_WASM_OBJDUMP.
include_guard(GLOBAL)

set(WASI_PARALLEL_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/.." CACHE INTERNAL "")
get_filename_component(WASI_PARALLEL_SDK_DIR "${WASI_PARALLEL_SDK_DIR}" ABSOLUTE)
set(WASI_PARALLEL_WP_KERNEL "${WASI_PARALLEL_SDK_DIR}/bin/wp-kernel" CACHE INTERNAL "wp-kernel script")

find_program(WASI_PARALLEL_CLANG NAMES clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14
             DOC "clang used for wasm32 guests and kernels")
find_program(WASI_PARALLEL_WASM_OBJDUMP NAMES wasm-objdump DOC "wabt's wasm-objdump")
find_program(WASI_PARALLEL_WAT2WASM NAMES wat2wasm DOC "wabt's wat2wasm (for .wat kernels)")

function(_wasi_parallel_probe)
  set(WASI_PARALLEL_FOUND FALSE PARENT_SCOPE)
  if(NOT WASI_PARALLEL_CLANG OR NOT WASI_PARALLEL_WASM_OBJDUMP)
    message(STATUS "wasi-parallel SDK: clang or wasm-objdump not found; guests will not be built")
    return()
  endif()
  # One tiny wasm32-wasi link proves clang, wasm-ld, wasi-libc and compiler-rt are all there.
  set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/wasi_parallel_probe")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/probe.c" "#include <stdio.h>\nint main(void) { return puts(\"\") < 0; }\n")
  execute_process(COMMAND "${WASI_PARALLEL_CLANG}" --target=wasm32-wasi -O2 probe.c -o probe.wasm
                  WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(STATUS "wasi-parallel SDK: ${WASI_PARALLEL_CLANG} cannot build wasm32-wasi programs "
                   "(install lld, wasi-libc, libclang-rt-14-dev-wasm32); guests will not be built")
    return()
  endif()
  set(WASI_PARALLEL_FOUND TRUE PARENT_SCOPE)
endfunction()

if(NOT DEFINED CACHE{WASI_PARALLEL_FOUND})
  _wasi_parallel_probe()
  set(WASI_PARALLEL_FOUND ${WASI_PARALLEL_FOUND} CACHE INTERNAL "wasm32 guest toolchain works")
  if(WASI_PARALLEL_FOUND)
    message(STATUS "wasi-parallel SDK: guests built with ${WASI_PARALLEL_CLANG}")
  endif()
endif()

# Depfiles from clang -MD keep header edits visible to the build (Ninja and Makefiles).
if(CMAKE_GENERATOR MATCHES "Ninja|Makefiles")
  set(_WASI_PARALLEL_USE_DEPFILE TRUE)
else()
  set(_WASI_PARALLEL_USE_DEPFILE FALSE)
endif()
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(wasi_parallel_kernel name)
  cmake_parse_arguments(ARG "" "SOURCE;OUTPUT_DIR" "FLAGS;DEPENDS" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "wasi_parallel_kernel(${name}): SOURCE is required")
  endif()
  get_filename_component(src "${ARG_SOURCE}" ABSOLUTE)
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/kernels")
  endif()
  set(wat2wasm_args "")
  if(WASI_PARALLEL_WAT2WASM)
    set(wat2wasm_args --wat2wasm "${WASI_PARALLEL_WAT2WASM}")
  endif()
  set(header "${ARG_OUTPUT_DIR}/${name}_kernel.h")
  set(wasm "${ARG_OUTPUT_DIR}/${name}_kernel.wasm")
  set(depfile_args "")
  set(depfile_opt "")
  if(_WASI_PARALLEL_USE_DEPFILE)
    set(dep "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps/${name}_kernel.d")
    set(depfile_args --depfile "${dep}")
    set(depfile_opt DEPFILE "${dep}")
  endif()
  add_custom_command(
    OUTPUT "${header}" "${wasm}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${ARG_OUTPUT_DIR}"
    COMMAND "${WASI_PARALLEL_WP_KERNEL}" --cc "${WASI_PARALLEL_CLANG}"
            --objdump "${WASI_PARALLEL_WASM_OBJDUMP}" ${wat2wasm_args} --name "${name}"
            -o "${header}"
            --wasm "${wasm}" ${depfile_args} ${ARG_FLAGS} "${src}"
    DEPENDS "${src}" "${WASI_PARALLEL_WP_KERNEL}" ${ARG_DEPENDS}
    ${depfile_opt}
    COMMENT "wasi-parallel kernel ${name}"
    VERBATIM)
  add_custom_target(wp_kernel_${name} DEPENDS "${header}" "${wasm}")
  set_target_properties(wp_kernel_${name} PROPERTIES WP_HEADER "${header}" WP_WASM "${wasm}"
                                                     WP_INCLUDE_DIR "${ARG_OUTPUT_DIR}")
  set(${name}_KERNEL_HEADER "${header}" PARENT_SCOPE)
  set(${name}_KERNEL_WASM "${wasm}" PARENT_SCOPE)
endfunction()

function(wasi_guest_program name)
  cmake_parse_arguments(ARG "EXCLUDE_FROM_ALL" "OUTPUT" "SOURCES;KERNELS;FLAGS;LINK_FLAGS;DEPENDS"
                        ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "wasi_guest_program(${name}): SOURCES is required")
  endif()
  if(NOT ARG_OUTPUT)
    set(ARG_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm")
  endif()
  get_filename_component(out_dir "${ARG_OUTPUT}" DIRECTORY)
  set(srcs "")
  foreach(s IN LISTS ARG_SOURCES)
    get_filename_component(s "${s}" ABSOLUTE)
    list(APPEND srcs "${s}")
  endforeach()
  set(includes "-I${WASI_PARALLEL_SDK_DIR}/include")
  set(deps "")
  set(kernel_targets "")
  foreach(k IN LISTS ARG_KERNELS)
    if(NOT TARGET wp_kernel_${k})
      message(FATAL_ERROR "wasi_guest_program(${name}): no wasi_parallel_kernel(${k}) before it")
    endif()
    get_target_property(hdr wp_kernel_${k} WP_HEADER)
    get_target_property(dir wp_kernel_${k} WP_INCLUDE_DIR)
    list(APPEND includes "-I${dir}")
    list(APPEND deps "${hdr}")
    list(APPEND kernel_targets wp_kernel_${k})
  endforeach()
  list(REMOVE_DUPLICATES includes)
  set(depfile_args "")
  set(depfile_opt "")
  list(LENGTH srcs num_srcs)
  # clang writes one depfile per compile and refuses -MF for several sources.
  if(_WASI_PARALLEL_USE_DEPFILE AND num_srcs EQUAL 1)
    set(dep "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps/${name}.d")
    set(depfile_args -MD -MF "${dep}" -MT "${ARG_OUTPUT}")
    set(depfile_opt DEPFILE "${dep}")
  endif()
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
            "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps"
    COMMAND "${WASI_PARALLEL_CLANG}" --target=wasm32-wasi -O2 -matomics -mbulk-memory ${ARG_FLAGS} ${includes}
            ${depfile_args} ${srcs} ${ARG_LINK_FLAGS} -o "${ARG_OUTPUT}"
    DEPENDS ${srcs} ${deps} ${ARG_DEPENDS}
    ${depfile_opt}
    COMMENT "wasm32-wasi guest ${name}"
    VERBATIM)
  if(ARG_EXCLUDE_FROM_ALL)
    add_custom_target(${name} DEPENDS "${ARG_OUTPUT}")
  else()
    add_custom_target(${name} ALL DEPENDS "${ARG_OUTPUT}")
  endif()
  if(kernel_targets)
    add_dependencies(${name} ${kernel_targets})
  endif()
  set(${name}_WASM "${ARG_OUTPUT}" PARENT_SCOPE)
endfunction()

set(WASI_PARALLEL_CACHE_DIR "${CMAKE_BINARY_DIR}/wp-cache" CACHE INTERNAL "wp-cc's runtime cache")

function(wasi_openmp_program name)
  cmake_parse_arguments(ARG "EXCLUDE_FROM_ALL;CXX" "OUTPUT" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS"
                        ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "wasi_openmp_program(${name}): SOURCES is required")
  endif()
  if(NOT ARG_OUTPUT)
    set(ARG_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm")
  endif()
  get_filename_component(out_dir "${ARG_OUTPUT}" DIRECTORY)
  set(srcs "")
  foreach(s IN LISTS ARG_SOURCES)
    get_filename_component(s "${s}" ABSOLUTE)
    list(APPEND srcs "${s}")
  endforeach()
  set(driver "${WASI_PARALLEL_SDK_DIR}/bin/wp-cc")
  if(ARG_CXX)
    set(driver "${WASI_PARALLEL_SDK_DIR}/bin/wp-c++")
  endif()
  file(GLOB runtime CONFIGURE_DEPENDS "${WASI_PARALLEL_SDK_DIR}/omp/*")
  set(depfile_args "")
  set(depfile_opt "")
  list(LENGTH srcs num_srcs)
  if(_WASI_PARALLEL_USE_DEPFILE AND num_srcs EQUAL 1)
    set(dep "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps/${name}.d")
    set(depfile_args -MD -MF "${dep}" -MT "${ARG_OUTPUT}")
    set(depfile_opt DEPFILE "${dep}")
  endif()
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
            "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps"
    COMMAND "${CMAKE_COMMAND}" -E env "WP_CLANG=${WASI_PARALLEL_CLANG}"
            "WP_CACHE_DIR=${WASI_PARALLEL_CACHE_DIR}"
            "${driver}" -O2 -fopenmp ${ARG_FLAGS} ${depfile_args} ${srcs} ${ARG_LINK_FLAGS}
            -o "${ARG_OUTPUT}"
    DEPENDS ${srcs} ${runtime} "${WASI_PARALLEL_SDK_DIR}/bin/wp-cc" "${driver}"
            "${WASI_PARALLEL_SDK_DIR}/include/omp.h" ${ARG_DEPENDS}
    ${depfile_opt}
    COMMENT "OpenMP wasm32-wasi guest ${name}"
    VERBATIM)
  if(ARG_EXCLUDE_FROM_ALL)
    add_custom_target(${name} DEPENDS "${ARG_OUTPUT}")
  else()
    add_custom_target(${name} ALL DEPENDS "${ARG_OUTPUT}")
  endif()
  set(${name}_WASM "${ARG_OUTPUT}" PARENT_SCOPE)
endfunction()
