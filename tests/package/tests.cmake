# The self-contained release (scripts/package.sh, issue 15): made in build-release/ and checked
# from a temp dir with an empty environment (check_package.sh). Label: package. The static link
# of LLVM makes it the slowest test; $PW_PACKAGE_TARBALL checks an existing tarball instead.
add_test(NAME package.release
         COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/check_package.sh" "${PROJECT_SOURCE_DIR}"
                 "$ENV{PW_PACKAGE_TARBALL}")
set_tests_properties(package.release PROPERTIES LABELS package TIMEOUT 1800 RUN_SERIAL ON)
