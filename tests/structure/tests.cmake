# The layering of src/ (docs/ARCHITECTURE.md, "Layers"), checked with the include directories the
# build really gives each library: a wrong-way include fails to compile, the right way compiles,
# LLVM's headers are seen by src/compile alone, no library's objects refer to one outside its
# dependencies, and the document lists what CMakeLists.txt declares.
set(pw_structure_dir ${CMAKE_CURRENT_LIST_DIR})

# structure.layers.NAME: #include "HEADER" (<HEADER> with ANGLE) compiled as a file of library
# LIB: EXPECT pass, or fail (and then for want of the header, not for any other error).
function(pw_layer_probe name lib header expect)
  set(angle OFF)
  if("ANGLE" IN_LIST ARGN)
    set(angle ON)
  endif()
  add_test(NAME structure.layers.${name}
           COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER}
                   "-DINCLUDES=$<JOIN:$<TARGET_PROPERTY:pw_${lib},INCLUDE_DIRECTORIES>,|>"
                   -DHEADER=${header} -DANGLE=${angle} -DEXPECT=${expect}
                   -DWORK=${CMAKE_BINARY_DIR}/structure/${name}
                   -P ${pw_structure_dir}/include_probe.cmake)
  set_tests_properties(structure.layers.${name} PROPERTIES LABELS "structure;unit")
endfunction()

# The issue's example: WASI sits beside parallel, above runtime, and never sees the compiler.
pw_layer_probe(wasi_sees_runtime wasi runtime/objects.h pass)
pw_layer_probe(wasi_not_compile wasi compile/compiler.h fail)
# The include that was there before the layers were enforced (kernels now compile through
# parallel::KernelCompiler).
pw_layer_probe(parallel_not_api parallel api/engine_state.h fail)
pw_layer_probe(parallel_sees_wasm parallel wasm/loaded_module.h pass)
pw_layer_probe(runtime_not_wasm runtime wasm/loaded_module.h fail)
pw_layer_probe(vm_not_runtime vm runtime/trap.h fail)
pw_layer_probe(cuda_sees_compile cuda compile/ptx.h pass)
# LLVM only in src/compile.
pw_layer_probe(compile_sees_llvm compile llvm/ADT/StringRef.h pass ANGLE)
pw_layer_probe(parallel_not_llvm parallel llvm/ADT/StringRef.h fail ANGLE)
pw_layer_probe(api_not_llvm api llvm/ADT/StringRef.h fail ANGLE)

add_test(NAME structure.layers.docs
         COMMAND ${CMAKE_COMMAND} -DDEPS=${PW_LAYERS_DIR}/deps.txt
                 -DDOC=${PROJECT_SOURCE_DIR}/docs/ARCHITECTURE.md
                 -DSRC=${PROJECT_SOURCE_DIR}/src -P ${pw_structure_dir}/layers_doc.cmake)
set_tests_properties(structure.layers.docs PROPERTIES LABELS "structure;unit")

# The same at link time (link_layers.sh says why).
set(pw_link_args "")
foreach(lib support vm wasm compile runtime wasi parallel api)
  list(APPEND pw_link_args ${lib}=$<TARGET_FILE:pw_${lib}>)
endforeach()
add_test(NAME structure.layers.links
         COMMAND bash ${pw_structure_dir}/link_layers.sh ${CMAKE_NM} ${PW_LAYERS_DIR}/deps.txt
                 ${pw_link_args} "cuda=$<JOIN:$<TARGET_OBJECTS:pw_cuda>,|>")
set_tests_properties(structure.layers.links PROPERTIES LABELS "structure;unit")

add_test(NAME structure.layers.outside_headers
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR}
                 -P ${pw_structure_dir}/outside_headers.cmake)
set_tests_properties(structure.layers.outside_headers PROPERTIES LABELS "structure;unit")
