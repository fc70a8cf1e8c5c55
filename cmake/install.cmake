# The installed package (docs/embedding.md), included from the top CMakeLists.txt:
#   bin/parawasm
#   include/parawasm/*.h                          the public embedding API
#   lib/libparawasm.a, lib/libparawasm.so*        every library of PARAWASM_COMPONENTS in one
#   lib/cmake/parawasm/parawasmConfig.cmake       find_package(parawasm): parawasm::parawasm
#                                                 (shared, or static with PARAWASM_LINK_STATIC),
#                                                 parawasm::shared, parawasm::static
#   lib/pkgconfig/parawasm.pc, parawasm-static.pc
#   share/parawasm/sdk/                           the guest SDK (wasi_parallel.h, wp-cc, ...)
#   share/parawasm/examples/embed/                the embedding example
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(pw_objects "")
foreach(comp IN LISTS PARAWASM_COMPONENTS)
  list(APPEND pw_objects $<TARGET_OBJECTS:pw_${comp}>)
endforeach()
set(pw_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/parawasm)

# Both libraries reuse the objects already compiled for pw_*: building them costs an archive and
# a link, and only when an object changed.
add_library(parawasm_static STATIC ${pw_objects})
add_library(parawasm_shared SHARED ${pw_objects})
foreach(lib parawasm_static parawasm_shared)
  target_include_directories(${lib} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${lib} INTERFACE cxx_std_20)
endforeach()
set_target_properties(parawasm_static PROPERTIES OUTPUT_NAME parawasm EXPORT_NAME static)
set_target_properties(parawasm_shared PROPERTIES
  OUTPUT_NAME parawasm EXPORT_NAME shared
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# Debian's libwabt.a is not position-independent code, so the shared library cannot hold it: its
# references to wabt stay undefined and every program that links libparawasm.so links libwabt.a
# too (the interface below, and parawasm.pc). LLVM is linked as libLLVM.so by both.
target_link_libraries(parawasm_shared PRIVATE LLVM Threads::Threads ${CMAKE_DL_LIBS}
                                      INTERFACE wabt::wabt)
target_link_libraries(parawasm_static INTERFACE wabt::wabt LLVM Threads::Threads ${CMAKE_DL_LIBS})
# The CUDA back end registers itself from a static initialiser that nothing calls into, so a link
# against the archive would drop its member: naming its anchor symbol keeps it.
set(pw_cuda_anchor parawasm_cuda_backend)
target_link_options(parawasm_static INTERFACE LINKER:--undefined=${pw_cuda_anchor})
set_target_properties(parawasm_shared parawasm_cli PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)

install(TARGETS parawasm_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS parawasm_static parawasm_shared EXPORT parawasmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# `cmake --install --strip` strips programs and shared libraries; this takes the debug information
# out of the archive too (nearly all of its 140 MiB in RelWithDebInfo).
install(CODE "if(CMAKE_INSTALL_DO_STRIP)
  execute_process(COMMAND \"${CMAKE_STRIP}\" -g
    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libparawasm.a\")
endif()")
install(DIRECTORY include/parawasm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The standard C API and parawasm's C headers (docs/c-api.md).
install(FILES include/wasm.h include/parawasm_linker.h include/parawasm_wasi.h
              include/parawasm_parallel.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY sdk/ DESTINATION ${CMAKE_INSTALL_DATADIR}/parawasm/sdk USE_SOURCE_PERMISSIONS)
install(FILES examples/embed/host.cpp examples/embed/c_host.c examples/embed/CMakeLists.txt
              examples/embed/Makefile
        DESTINATION ${CMAKE_INSTALL_DATADIR}/parawasm/examples/embed)
if(PARAWASM_BUILD_EXAMPLES)
  # The example guests that were built (their kernels are inside them).
  install(DIRECTORY ${PW_EXAMPLES_DIR}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/parawasm/examples
          FILES_MATCHING PATTERN "*.wasm" PATTERN "kernels" EXCLUDE PATTERN "CMakeFiles" EXCLUDE)
endif()

install(EXPORT parawasmTargets NAMESPACE parawasm:: DESTINATION ${pw_config_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/parawasmConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/parawasmConfig.cmake
                              INSTALL_DESTINATION ${pw_config_dir})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/parawasmConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/parawasmConfig.cmake
              ${PROJECT_BINARY_DIR}/parawasmConfigVersion.cmake
        DESTINATION ${pw_config_dir})

# pkg-config: the prefix is found from the .pc file's own place, so the tree can move.
file(RELATIVE_PATH pw_pc_prefix /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" pw_pc_prefix "${pw_pc_prefix}")
get_target_property(pw_wabt_lib wabt::wabt LOCATION)
set(pw_link_deps "${pw_wabt_lib} -L${LLVM_LIBRARY_DIR} -lLLVM -pthread")
foreach(lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND pw_link_deps " -l${lib}")
endforeach()
foreach(pc parawasm parawasm-static)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
