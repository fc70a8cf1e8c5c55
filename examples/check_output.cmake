# Runs a guest and compares its stdout with a file, exactly:
#   cmake -DCOMMAND="prog|arg|..." -DEXPECTED=file.stdout -P check_output.cmake
# ('|' separates the command's words, since ';' does not survive add_test.)
string(REPLACE "|" ";" command "${COMMAND}")
execute_process(COMMAND ${command} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ "${EXPECTED}" expected)
if(NOT rc EQUAL 0 OR NOT out STREQUAL expected)
  message(FATAL_ERROR "command: ${command}\nexit status: ${rc}\nstdout:\n${out}\nexpected:\n"
                      "${expected}\nstderr:\n${err}")
endif()
