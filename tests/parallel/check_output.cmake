# Runs a command and compares its stdout with a file (or EXPECTED_TEXT), exactly; the exit
# status must be EXIT_CODE (default 0).
#   cmake -DCOMMAND="prog|arg|..." -DEXPECTED=file [-DSTDERR_MATCH=regex] [-DEXIT_CODE=n]
#         -P check_output.cmake
# ('|' separates the words: ';' does not survive add_test.) With STDERR_MATCH, stderr must
# match that regular expression too.
string(REPLACE "|" ";" command "${COMMAND}")
execute_process(COMMAND ${command} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(DEFINED EXPECTED_TEXT)
  string(REPLACE "\\n" "\n" expected "${EXPECTED_TEXT}")
else()
  file(READ "${EXPECTED}" expected)
endif()
if(NOT DEFINED EXIT_CODE)
  set(EXIT_CODE 0)
endif()
set(ok TRUE)
if(NOT rc EQUAL EXIT_CODE OR NOT out STREQUAL expected)
  set(ok FALSE)
endif()
if(DEFINED STDERR_MATCH AND NOT err MATCHES "${STDERR_MATCH}")
  set(ok FALSE)
endif()
if(NOT ok)
  message(FATAL_ERROR "command: ${command}\nexit status: ${rc}\nstdout:\n${out}\nexpected:\n"
                      "${expected}\nstderr:\n${err}\nstderr must match: ${STDERR_MATCH}")
endif()
