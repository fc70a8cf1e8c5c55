# The fake CUDA driver (fake_cuda.h) that tests/unit/cuda opens through $PARAWASM_CUDA_DRIVER, so
# the GPU device's host side is tested on machines without a GPU. Include after unit_cuda exists.
if(TARGET unit_cuda)
  add_library(pw_fake_cuda MODULE "${CMAKE_CURRENT_LIST_DIR}/fake_cuda.cpp")
  set_target_properties(pw_fake_cuda PROPERTIES PREFIX "" OUTPUT_NAME libpw_fake_cuda)
  add_dependencies(unit_cuda pw_fake_cuda)
  target_compile_definitions(unit_cuda PRIVATE PW_FAKE_CUDA_PATH="$<TARGET_FILE:pw_fake_cuda>")
  target_include_directories(unit_cuda PRIVATE "${CMAKE_CURRENT_LIST_DIR}/..")
endif()
# `parawasm devices` on two fake GPUs: one discrete_gpu that names both (multi_gpu_device.h).
if(TARGET pw_fake_cuda AND TARGET parawasm_cli)
  add_test(NAME cuda.cli.devices_two_fake_gpus COMMAND parawasm_cli devices)
  set_tests_properties(cuda.cli.devices_two_fake_gpus PROPERTIES LABELS unit
    ENVIRONMENT "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>;PARAWASM_FAKE_CUDA_DEVICES=2;PARAWASM_CUDA_DISABLE="
    PASS_REGULAR_EXPRESSION
      "\n2  discrete_gpu +2 x parawasm fake GPU: 2 GPUs, [^\n]*GPU 0: parawasm fake GPU, [^\n]*GPU 1: parawasm fake GPU, ")
endif()
# Devices are found (and the driver started) only when a program first asks for one
# (tests/cli/cli_test.sh, lazy_devices).
if(TARGET pw_fake_cuda AND TARGET parawasm_cli)
  add_test(NAME cuda.cli.devices_found_lazily
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/cli_test.sh $<TARGET_FILE:parawasm_cli>
                   ${PROJECT_SOURCE_DIR} lazy_devices)
  set_tests_properties(cuda.cli.devices_found_lazily PROPERTIES LABELS unit TIMEOUT 120
    ENVIRONMENT "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>;PARAWASM_CUDA_DISABLE=")
endif()
