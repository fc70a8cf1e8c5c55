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
#   wasi_rust_guest_program(NAME SOURCE file [KERNELS kernel...] [OUTPUT file] [FLAGS flag...]
#                           [DEPENDS file...] [EXCLUDE_FROM_ALL])
#     Builds a Rust program for wasm32-wasi with rustc -O, linked against the SDK's bindings
#     (sdk/rust/wasi_parallel.rs, as the crate `wasi_parallel`). Each named kernel's module path
#     is in the compile-time environment variable WP_KERNEL_<KERNEL NAME IN UPPER CASE>, for
#     `include_bytes!(env!("WP_KERNEL_..."))`. Kernels may be Rust (.rs, #![no_std]) or C.
#     Creates the target NAME and sets NAME_WASM in the caller's scope.
#
# Sets WASI_PARALLEL_FOUND when clang can build wasm32-wasi programs and wasm-objdump is there
# (Debian: clang, lld, wasi-libc, libclang-rt-14-dev-wasm32, wabt). Override the tools with
# WASI_PARALLEL_CLANG and WASI_PARALLEL_WASM_OBJDUMP. Sets WASI_PARALLEL_RUST_FOUND when a rustc
# with the wasm32-wasi and wasm32-unknown-unknown standard libraries is there (Debian: rustc,
# libstd-rust-dev-wasm32; Debian's /usr/bin/rustc is preferred to a rustup one on PATH, which
# usually lacks those targets); override it with WASI_PARALLEL_RUSTC.
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

# Rust: the first rustc whose sysroot has both wasm32 standard libraries. rustc 1.78 renamed
# wasm32-wasi to wasm32-wasip1 (Debian bookworm's 1.63 has the old name).
function(_wasi_parallel_probe_rust)
  set(WASI_PARALLEL_RUST_FOUND FALSE PARENT_SCOPE)
  set(candidates "")
  if(WASI_PARALLEL_RUSTC)
    list(APPEND candidates "${WASI_PARALLEL_RUSTC}")
  else()
    find_program(path_rustc NAMES rustc)
    list(APPEND candidates /usr/bin/rustc ${path_rustc})
  endif()
  foreach(rustc IN LISTS candidates)
    if(NOT EXISTS "${rustc}")
      continue()
    endif()
    execute_process(COMMAND "${rustc}" --print sysroot OUTPUT_VARIABLE sysroot
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
    if(NOT rc EQUAL 0 OR NOT IS_DIRECTORY "${sysroot}/lib/rustlib/wasm32-unknown-unknown")
      continue()
    endif()
    foreach(target wasm32-wasip1 wasm32-wasi)
      if(IS_DIRECTORY "${sysroot}/lib/rustlib/${target}")
        set(WASI_PARALLEL_RUST_FOUND TRUE PARENT_SCOPE)
        set(WASI_PARALLEL_RUSTC_FOUND "${rustc}" PARENT_SCOPE)
        set(WASI_PARALLEL_RUST_WASI_TARGET ${target} PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endforeach()
endfunction()

if(NOT DEFINED CACHE{WASI_PARALLEL_RUST_FOUND})
  _wasi_parallel_probe_rust()
  set(WASI_PARALLEL_RUST_FOUND ${WASI_PARALLEL_RUST_FOUND} CACHE INTERNAL "Rust wasm32 guests")
  if(WASI_PARALLEL_RUST_FOUND)
    set(WASI_PARALLEL_RUSTC "${WASI_PARALLEL_RUSTC_FOUND}" CACHE FILEPATH "rustc for Rust guests" FORCE)
    set(WASI_PARALLEL_RUST_WASI_TARGET ${WASI_PARALLEL_RUST_WASI_TARGET} CACHE INTERNAL "")
    message(STATUS "wasi-parallel SDK: Rust guests built with ${WASI_PARALLEL_RUSTC} "
                   "(${WASI_PARALLEL_RUST_WASI_TARGET})")
  else()
    message(STATUS "wasi-parallel SDK: no rustc with the wasm32 targets (Debian: rustc, "
                   "libstd-rust-dev-wasm32); Rust guests will not be built")
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
  set(rustc_args "")
  if(WASI_PARALLEL_RUST_FOUND)
    set(rustc_args --rustc "${WASI_PARALLEL_RUSTC}")
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
            --objdump "${WASI_PARALLEL_WASM_OBJDUMP}" ${wat2wasm_args} ${rustc_args}
            --name "${name}"
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

# The SDK's Rust bindings, compiled once per build tree into an rlib.
set(WASI_PARALLEL_RUST_SDK_RLIB "${CMAKE_BINARY_DIR}/wp-rust/libwasi_parallel.rlib" CACHE INTERNAL "")

function(wasi_rust_guest_program name)
  cmake_parse_arguments(ARG "EXCLUDE_FROM_ALL" "SOURCE;OUTPUT" "KERNELS;FLAGS;DEPENDS" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "wasi_rust_guest_program(${name}): SOURCE is required")
  endif()
  if(NOT WASI_PARALLEL_RUST_FOUND)
    message(FATAL_ERROR "wasi_rust_guest_program(${name}): no rustc with the wasm32 targets "
                        "(check WASI_PARALLEL_RUST_FOUND first)")
  endif()
  get_filename_component(src "${ARG_SOURCE}" ABSOLUTE)
  if(NOT ARG_OUTPUT)
    set(ARG_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm")
  endif()
  get_filename_component(out_dir "${ARG_OUTPUT}" DIRECTORY)
  set(rlib "${WASI_PARALLEL_RUST_SDK_RLIB}")
  if(NOT TARGET wp_rust_sdk)
    get_filename_component(rlib_dir "${rlib}" DIRECTORY)
    add_custom_command(
      OUTPUT "${rlib}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${rlib_dir}"
      COMMAND "${WASI_PARALLEL_RUSTC}" --edition 2021 --target ${WASI_PARALLEL_RUST_WASI_TARGET}
              -O --crate-type rlib --crate-name wasi_parallel
              "${WASI_PARALLEL_SDK_DIR}/rust/wasi_parallel.rs" -o "${rlib}"
      DEPENDS "${WASI_PARALLEL_SDK_DIR}/rust/wasi_parallel.rs"
      COMMENT "wasi-parallel Rust bindings"
      VERBATIM)
    add_custom_target(wp_rust_sdk DEPENDS "${rlib}")
  endif()
  set(env "")
  set(deps "${rlib}")
  set(kernel_targets "")
  foreach(k IN LISTS ARG_KERNELS)
    if(NOT TARGET wp_kernel_${k})
      message(FATAL_ERROR "wasi_rust_guest_program(${name}): no wasi_parallel_kernel(${k}) before it")
    endif()
    get_target_property(kwasm wp_kernel_${k} WP_WASM)
    string(TOUPPER "${k}" upper)
    list(APPEND env "WP_KERNEL_${upper}=${kwasm}")
    list(APPEND deps "${kwasm}")
    list(APPEND kernel_targets wp_kernel_${k})
  endforeach()
  set(dep "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps/${name}.d")
  set(depfile_opt "")
  if(_WASI_PARALLEL_USE_DEPFILE)
    set(depfile_opt DEPFILE "${dep}")
  endif()
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
            "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/wasi_parallel_deps"
    COMMAND "${CMAKE_COMMAND}" -E env ${env}
            "${WASI_PARALLEL_RUSTC}" --edition 2021 --target ${WASI_PARALLEL_RUST_WASI_TARGET} -O
            -C strip=debuginfo --extern "wasi_parallel=${rlib}" ${ARG_FLAGS}
            "--emit=link=${ARG_OUTPUT},dep-info=${dep}.rustc" "${src}"
    COMMAND "${CMAKE_COMMAND}" "-DIN=${dep}.rustc" "-DOUT=${dep}"
            -P "${WASI_PARALLEL_SDK_DIR}/cmake/wp_rust_depfile.cmake"
    DEPENDS "${src}" ${deps} ${ARG_DEPENDS}
    ${depfile_opt}
    COMMENT "Rust wasm32-wasi guest ${name}"
    VERBATIM)
  if(ARG_EXCLUDE_FROM_ALL)
    add_custom_target(${name} DEPENDS "${ARG_OUTPUT}")
  else()
    add_custom_target(${name} ALL DEPENDS "${ARG_OUTPUT}")
  endif()
  add_dependencies(${name} wp_rust_sdk ${kernel_targets})
  set(${name}_WASM "${ARG_OUTPUT}" PARENT_SCOPE)
endfunction()
