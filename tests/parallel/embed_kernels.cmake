# Makes a runnable WAT guest from a template: every "@KERNEL:name@" becomes the bytes of the
# kernel module KERNEL_DIR/name.wat (assembled with wat2wasm) as a WAT string, and every
# "@KERNEL_LEN:name@" its length in bytes.
#   cmake -DWAT2WASM=wat2wasm -DINPUT=guest.wat -DOUTPUT=out.wat -DKERNEL_DIR=dir -DWORK_DIR=dir
#         -P embed_kernels.cmake
file(READ "${INPUT}" text)
string(REGEX MATCHALL "@KERNEL:[A-Za-z0-9_]+@" uses "${text}")
list(REMOVE_DUPLICATES uses)
file(MAKE_DIRECTORY "${WORK_DIR}")
foreach(use IN LISTS uses)
  string(REGEX REPLACE "@KERNEL:([A-Za-z0-9_]+)@" "\\1" name "${use}")
  set(wasm "${WORK_DIR}/${name}.wasm")
  execute_process(COMMAND "${WAT2WASM}" --enable-threads "${KERNEL_DIR}/${name}.wat" -o "${wasm}"
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wat2wasm ${KERNEL_DIR}/${name}.wat failed:\n${err}")
  endif()
  file(READ "${wasm}" hex HEX)
  string(LENGTH "${hex}" digits)
  math(EXPR length "${digits} / 2")
  string(REGEX REPLACE "(..)" "\\\\\\1" escaped "${hex}")
  string(REPLACE "${use}" "${escaped}" text "${text}")
  string(REPLACE "@KERNEL_LEN:${name}@" "${length}" text "${text}")
endforeach()
if(text MATCHES "@KERNEL")
  message(FATAL_ERROR "${INPUT}: a @KERNEL_LEN:name@ without its @KERNEL:name@")
endif()
file(WRITE "${OUTPUT}" "${text}")
