# The CLI's habits (tests/cli/cli_test.sh): one ctest per case.
if(TARGET parawasm_cli)
  foreach(c devices_json component repeated trace_unwritable option_groups precompiled
          issue14_no_abort interrupt_start interrupt_kernel interrupt_team team_trap fuel limits tiered
          profile)
    add_test(NAME cli.${c} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_test.sh
                                   $<TARGET_FILE:parawasm_cli> ${PROJECT_SOURCE_DIR} ${c})
    set_tests_properties(cli.${c} PROPERTIES LABELS cli TIMEOUT 120)
  endforeach()
endif()
