# The installed package (issue 15, cmake/install.cmake): install.embed installs this build into a
# temporary prefix and builds and runs the embedding hosts against it, with find_package and with
# pkg-config; it also configures parawasm as a subproject without tests. The hosts run with the
# fake CUDA driver, so that every one, static or shared, must show the GPU device: the CUDA back
# end was linked. Label: install. Skips (77) when the example guests were not built.
if(PARAWASM_INSTALL AND TARGET pw_fake_cuda)
  add_test(NAME install.embed
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/install_test.sh" "${PROJECT_SOURCE_DIR}"
                   "${PROJECT_BINARY_DIR}" "$<TARGET_FILE:pw_fake_cuda>")
  set_tests_properties(install.embed PROPERTIES LABELS install TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()
