# The installed package (issue 15, cmake/install.cmake): install.embed installs this build into a
# temporary prefix and builds and runs the embedding hosts against it, with find_package and with
# pkg-config; it also configures parawasm as a subproject without tests. Label: install. Skips
# (77) when the example guests were not built.
if(PARAWASM_INSTALL)
  add_test(NAME install.embed
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/install_test.sh" "${PROJECT_SOURCE_DIR}"
                   "${PROJECT_BINARY_DIR}")
  set_tests_properties(install.embed PROPERTIES LABELS install TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()
