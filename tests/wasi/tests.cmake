# WASI guests: C programs in tests/wasi/guests compiled to wasm32-wasi with clang at build time,
# run by `parawasm run` through run_test.sh, which compares stdout and the exit status with
# tests/wasi/expected/<test>.stdout and checks that nothing outside the sandbox changed.
# Re-bless expected output with: PW_BLESS=1 ctest -R '^wasi\.'

set(pw_wasi_dir ${CMAKE_CURRENT_LIST_DIR})
set(pw_wasi_out ${CMAKE_CURRENT_BINARY_DIR}/wasi_guests)

find_program(PW_WASI_CLANG NAMES clang clang-14)
if(NOT PW_WASI_CLANG)
  message(WARNING "clang not found: the WASI guest tests (tests/wasi) are not built")
  return()
endif()

file(GLOB pw_wasi_sources CONFIGURE_DEPENDS ${pw_wasi_dir}/guests/*.c)
set(pw_wasi_modules)
foreach(src ${pw_wasi_sources})
  get_filename_component(name ${src} NAME_WE)
  set(out ${pw_wasi_out}/${name}.wasm)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${pw_wasi_out}
    COMMAND ${PW_WASI_CLANG} --target=wasm32-wasi -O2 -Wall -Wextra -Wno-unused-result
            -o ${out} ${src}
    DEPENDS ${src} ${pw_wasi_dir}/guests/wasi_test.h
    COMMENT "Compiling WASI guest ${name}.wasm"
    VERBATIM)
  list(APPEND pw_wasi_modules ${out})
endforeach()
add_custom_target(wasi_guests ALL DEPENDS ${pw_wasi_modules})

# pw_wasi_test(NAME GUEST [STATUS n] [FIXTURE empty|data|tree|escape] [STDIN file]
#              [STDIN_PIPE file] [EXPECT file] [HOST_ENV NAME=VALUE...] ARGS run-args...)
# ARGS are `parawasm run` arguments; @WASM@ stands for the module and @T@ for the scratch
# directory (box/ inside it is what tests preopen).
function(pw_wasi_test name guest)
  cmake_parse_arguments(T "" "STATUS;FIXTURE;STDIN;STDIN_PIPE;EXPECT" "ARGS;HOST_ENV" ${ARGN})
  if(NOT DEFINED T_STATUS)
    set(T_STATUS 0)
  endif()
  if(NOT T_FIXTURE)
    set(T_FIXTURE empty)
  endif()
  if(NOT T_EXPECT)
    set(T_EXPECT ${pw_wasi_dir}/expected/${name}.stdout)
  endif()
  set(extra)
  if(T_STDIN)
    list(APPEND extra --stdin ${T_STDIN})
  endif()
  if(T_STDIN_PIPE)
    list(APPEND extra --stdin-pipe ${T_STDIN_PIPE})
  endif()
  foreach(e ${T_HOST_ENV})
    list(APPEND extra --host-env ${e})
  endforeach()
  # Compiled code is cached per build tree, never in the user's cache (unless the test clears
  # the environment with -i, where the guest would see the variable).
  if(NOT "-i" IN_LIST T_HOST_ENV)
    list(APPEND extra --host-env PARAWASM_CACHE_DIR=${CMAKE_BINARY_DIR}/wasi-test-cache)
  endif()
  add_test(NAME wasi.${name}
           COMMAND bash ${pw_wasi_dir}/run_test.sh --parawasm $<TARGET_FILE:parawasm_cli>
                   --wasm ${pw_wasi_out}/${guest}.wasm --expect ${T_EXPECT} --status ${T_STATUS}
                   --fixture ${T_FIXTURE} --data ${pw_wasi_dir}/data ${extra} -- ${T_ARGS})
  set_tests_properties(wasi.${name} PROPERTIES LABELS wasi TIMEOUT 120)
endfunction()

set(box --dir @T@/box::/box)

# Files: reading through preopens named absolutely and ".", stdin, and nothing without a preopen.
pw_wasi_test(cat_file cat FIXTURE data ARGS ${box} @WASM@ /box/hello.txt /box/dir/nested.txt)
pw_wasi_test(cat_dot_preopen cat FIXTURE data
             ARGS --dir @T@/box::. @WASM@ hello.txt ./dir/../dir/nested.txt)
pw_wasi_test(cat_stdin_pipe cat STDIN_PIPE ${pw_wasi_dir}/data/lines.txt
             EXPECT ${pw_wasi_dir}/data/lines.txt ARGS @WASM@)
pw_wasi_test(cat_missing cat FIXTURE data STATUS 1 EXPECT ${pw_wasi_dir}/expected/empty.stdout
             ARGS ${box} @WASM@ /box/missing.txt)
pw_wasi_test(cat_not_granted cat STATUS 1 EXPECT ${pw_wasi_dir}/expected/empty.stdout
             ARGS @WASM@ /etc/hostname)
pw_wasi_test(walk_tree walk FIXTURE tree ARGS ${box} @WASM@ /box)
pw_wasi_test(copy_seek_truncate copy FIXTURE data ARGS ${box} @WASM@ /box/lines.txt /box/copy.txt)

# Clocks, sleeping, randomness.
pw_wasi_test(clocks clocks ARGS --dir @T@/box::. @WASM@)
pw_wasi_test(random random ARGS @WASM@)

# Arguments, environment, exit statuses.
pw_wasi_test(args_env args_env
             ARGS --env GREETING=hello --env EMPTY= --env WITH_EQ=a=b @WASM@ one "two words"
                  "ünï cödé")
pw_wasi_test(args_env_inherit args_env
             HOST_ENV -i PW_INHERITED=yes
             ARGS --no-cache --inherit-env --env EXTRA=1 --env PW_INHERITED=overridden @WASM@)
pw_wasi_test(exit_return_0 exit_code ARGS @WASM@ return 0)
pw_wasi_test(exit_return_3 exit_code STATUS 3 ARGS @WASM@ return 3)
pw_wasi_test(exit_exit_7 exit_code STATUS 7 ARGS @WASM@ exit 7)
pw_wasi_test(exit_proc_exit_125 exit_code STATUS 125 EXPECT ${pw_wasi_dir}/expected/empty.stdout
             ARGS @WASM@ proc_exit 125)
# 126 and above are not WASI exit statuses: proc_exit traps (as in Wasmtime), which the CLI
# reports with status 134.
pw_wasi_test(exit_126_traps exit_code STATUS 134 ARGS @WASM@ exit 126)
pw_wasi_test(exit_trap exit_code STATUS 134 ARGS @WASM@ trap)
pw_wasi_test(exit_raise_abort exit_code STATUS 134 ARGS @WASM@ raise)

# stdin through a pipe and from a file.
pw_wasi_test(stdin_pipe stdin STDIN_PIPE ${pw_wasi_dir}/data/stdin.txt
             EXPECT ${pw_wasi_dir}/expected/stdin.stdout ARGS @WASM@)
pw_wasi_test(stdin_file stdin STDIN ${pw_wasi_dir}/data/stdin.txt
             EXPECT ${pw_wasi_dir}/expected/stdin.stdout ARGS @WASM@)

# The sandbox, with openat2 and with the component walker.
pw_wasi_test(escape escape FIXTURE escape ARGS ${box} @WASM@)
pw_wasi_test(escape_walker escape FIXTURE escape HOST_ENV PARAWASM_WASI_RESOLVE=walk
             EXPECT ${pw_wasi_dir}/expected/escape.stdout ARGS ${box} @WASM@)
pw_wasi_test(efault efault ARGS ${box} @WASM@)

# Errnos as Wasmtime's preview 1 tests require them.
pw_wasi_test(wasmtime_errnos wasmtime_errnos ARGS --dir @T@/box::/work @WASM@)
pw_wasi_test(wasmtime_errnos_walker wasmtime_errnos HOST_ENV PARAWASM_WASI_RESOLVE=walk
             EXPECT ${pw_wasi_dir}/expected/wasmtime_errnos.stdout
             ARGS --dir @T@/box::/work @WASM@)

# Issue 19: a file and a hard link to it report the same rights (wasi-testsuite rust/path_link).
pw_wasi_test(issue19_link_rights issue19_link_rights ARGS ${box} @WASM@)

# --tcplisten: a socket handed to the guest, used with sock_accept/sock_recv/sock_send.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME wasi.tcplisten_echo
           COMMAND ${Python3_EXECUTABLE} ${pw_wasi_dir}/tcp_echo_test.py
                   $<TARGET_FILE:parawasm_cli> ${pw_wasi_out}/echo_server.wasm)
  set_tests_properties(wasi.tcplisten_echo PROPERTIES TIMEOUT 60)
endif()

# Wasmtime's habits: -S inherit-env is --inherit-env; --env NAME passes the host's NAME only.
pw_wasi_test(args_env_inherit_group args_env
             HOST_ENV -i PW_INHERITED=yes EXPECT ${pw_wasi_dir}/expected/args_env_inherit.stdout
             ARGS --no-cache -S inherit-env --env EXTRA=1 --env PW_INHERITED=overridden @WASM@)
pw_wasi_test(args_env_one args_env
             HOST_ENV -i PW_ONE=yes PW_OTHER=no ARGS --no-cache --env PW_ONE --env PW_UNSET @WASM@)
