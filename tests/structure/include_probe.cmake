# cmake -DCXX=compiler -DINCLUDES=dir|dir... -DHEADER=a/b.h [-DANGLE=ON] -DEXPECT=pass|fail
#       -DWORK=dir -P include_probe.cmake
# Compiles a file holding only `#include HEADER` with the include directories INCLUDES (a
# library's, from its target) and checks that it compiles (pass), or that it fails because the
# header is not found (fail): any other error would prove nothing about the layers.
string(REPLACE "|" ";" dirs "${INCLUDES}")
list(REMOVE_DUPLICATES dirs)
set(args -std=c++20 -fsyntax-only)
foreach(d IN LISTS dirs)
  list(APPEND args -I${d})
endforeach()
if(ANGLE)
  set(line "#include <${HEADER}>")
else()
  set(line "#include \"${HEADER}\"")
endif()
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/probe.cpp "${line}\n")
execute_process(COMMAND ${CXX} ${args} ${WORK}/probe.cpp RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(EXPECT STREQUAL "pass")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${line} should compile with ${INCLUDES}, but:\n${out}")
  endif()
elseif(rc EQUAL 0)
  message(FATAL_ERROR "${line} compiled with ${INCLUDES}: the layer lets it through")
elseif(NOT out MATCHES "(${HEADER}: No such file or directory|'${HEADER}' file not found)")
  message(FATAL_ERROR "${line} failed, but not for want of the header:\n${out}")
endif()
message(STATUS "${line}: ${EXPECT}s as expected")
