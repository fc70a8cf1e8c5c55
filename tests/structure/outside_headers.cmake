# cmake -DROOT=source-dir -P outside_headers.cmake
# Each outside library's headers are included only in its own room (docs/ARCHITECTURE.md,
# "Layers"): LLVM's in src/compile, wabt's in src/wasm and src/compile, CUDA's in src/cuda, MPI's
# in src/cluster. The include paths already keep LLVM out of the other libraries; wabt's headers
# are in /usr/include, which no include path can hide, so this is what holds that rule.
set(rooms "llvm/=src/compile/" "wabt/=src/wasm/|src/compile/" "cuda=src/cuda/" "mpi=src/cluster/")
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/src/*.h ${ROOT}/src/*.cpp ${ROOT}/src/*.def
     ${ROOT}/include/*.h ${ROOT}/tools/*.h ${ROOT}/tools/*.cpp)
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS ${ROOT}/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  foreach(line IN LISTS lines)
    foreach(room IN LISTS rooms)
      string(REPLACE "=" ";" room "${room}")
      list(GET room 0 prefix)
      list(GET room 1 allowed)
      if(line MATCHES "include[ \t]*[<\"]${prefix}" AND NOT f MATCHES "^(${allowed})")
        string(APPEND bad "  ${f}: ${line}\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "outside headers outside their room:\n${bad}")
endif()
list(LENGTH files n)
message(STATUS "${n} files: LLVM, wabt and CUDA headers only in their rooms")
