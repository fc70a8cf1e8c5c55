# The fake CUDA driver (fake_cuda.h) that tests/unit/cuda opens through $PARAWASM_CUDA_DRIVER, so
# the GPU device's host side is tested on machines without a GPU. Include after unit_cuda exists.
if(TARGET unit_cuda)
  add_library(pw_fake_cuda MODULE "${CMAKE_CURRENT_LIST_DIR}/fake_cuda.cpp"
                            "${CMAKE_CURRENT_LIST_DIR}/ptx_interpreter.cpp")
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
# cuda.cli.NAME: case CASE of tests/cli/cli_test.sh on the fake driver, with the environment ENV.
function(pw_fake_cli_test name case env)
  if(TARGET pw_fake_cuda AND TARGET parawasm_cli)
    add_test(NAME cuda.cli.${name}
             COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/cli_test.sh $<TARGET_FILE:parawasm_cli>
                     ${PROJECT_SOURCE_DIR} ${case})
    set(vars "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>" "PARAWASM_CUDA_DISABLE=")
    if(env)
      list(APPEND vars "${env}")
    endif()
    set_tests_properties(cuda.cli.${name} PROPERTIES LABELS unit TIMEOUT 120 ENVIRONMENT "${vars}")
  endif()
endfunction()
# Devices are found (and the driver started) only when a program first asks for one.
pw_fake_cli_test(devices_found_lazily lazy_devices "")
# The fake's PTX interpreter on its own, on hand-written PTX (needs no GPU and no driver).
if(TARGET pw_fake_cuda)
  add_executable(unit_fake_ptx "${CMAKE_CURRENT_LIST_DIR}/ptx_interpreter_test.cpp"
                               "${CMAKE_CURRENT_LIST_DIR}/ptx_interpreter.cpp")
  target_link_libraries(unit_fake_ptx PRIVATE GTest::gtest GTest::gtest_main)
  gtest_discover_tests(unit_fake_ptx TEST_PREFIX "cuda.fake." DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS unit)
  # One PTX entry run on the interpreter, counting instructions: bench/gpu/ptx_count.sh.
  add_executable(pw_ptx_run "${CMAKE_CURRENT_LIST_DIR}/ptx_run.cpp"
                            "${CMAKE_CURRENT_LIST_DIR}/ptx_interpreter.cpp")
  if(TARGET parawasm_cli)
    add_test(NAME bench.gpu.ptx_count.quick
             COMMAND "${PROJECT_SOURCE_DIR}/bench/gpu/ptx_count.sh" --quick
                     --parawasm $<TARGET_FILE:parawasm_cli> --runner $<TARGET_FILE:pw_ptx_run>
                     --out "${PROJECT_BINARY_DIR}/bench/ptx-count-quick")
    set_tests_properties(bench.gpu.ptx_count.quick PROPERTIES LABELS bench TIMEOUT 120
                         PASS_REGULAR_EXPRESSION "matmul_elem +32 +[1-9][0-9]+")
  endif()
endif()
# A GPU kernel that never ends (its PTX run by the fake), interrupted by -W timeout.
pw_fake_cli_test(interrupts_a_gpu_kernel interrupt_gpu_kernel "PW_FAKE_CUDA_EXECUTE=1")
# Every unit_cuda test, the gpu-labelled ones included (which skip without a GPU), against the fake
# driver running their PTX: the GPU code generation's results checked on every machine. As an
# H100 (sm_90 PTX), and with NVIDIA's ptxas, where there is one, assembling every module first.
if(TARGET pw_fake_cuda)
  find_program(PW_FAKE_PTXAS NAMES ptxas HINTS /usr/local/cuda/bin)
  set(vars "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>" "PW_FAKE_CUDA_EXECUTE=1"
           "PARAWASM_CUDA_DISABLE=" "PARAWASM_FAKE_CUDA_CC=9.0")
  if(PW_FAKE_PTXAS)
    list(APPEND vars "PW_FAKE_CUDA_PTXAS=${PW_FAKE_PTXAS}")
  endif()
  add_test(NAME cuda.fake_gpu.unit_cuda COMMAND unit_cuda)
  set_tests_properties(cuda.fake_gpu.unit_cuda PROPERTIES LABELS unit TIMEOUT 300
    ENVIRONMENT "${vars}" FAIL_REGULAR_EXPRESSION "\\[  SKIPPED \\]|\\[  FAILED  \\]")
endif()
# The same GPU device tests on a grid of at most 3 blocks: each thread runs the entry's
# grid-stride loop over several iterations, which a GPU's large grids rarely make it do.
if(TARGET pw_fake_cuda)
  add_test(NAME cuda.fake_gpu.grid_stride COMMAND unit_cuda --gtest_filter=GpuDevice.*)
  set_tests_properties(cuda.fake_gpu.grid_stride PROPERTIES LABELS unit TIMEOUT 300
    ENVIRONMENT "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>;PW_FAKE_CUDA_EXECUTE=1;PARAWASM_CUDA_DISABLE=;PARAWASM_FAKE_CUDA_MAX_GRID=3"
    FAIL_REGULAR_EXPRESSION "\\[  SKIPPED \\]|\\[  FAILED  \\]")
endif()
# The GPU device, .wast kernel and random kernel tests on two fake GPUs running their PTX: the
# device over several GPUs (multi_gpu_device.h) splits each launch between them and merges what
# they wrote.
if(TARGET pw_fake_cuda)
  add_test(NAME cuda.fake_gpu.two_gpus COMMAND unit_cuda --gtest_filter=GpuDevice.*:Wast/*:RandomKernels.*)
  set_tests_properties(cuda.fake_gpu.two_gpus PROPERTIES LABELS unit TIMEOUT 300
    ENVIRONMENT "PARAWASM_CUDA_DRIVER=$<TARGET_FILE:pw_fake_cuda>;PW_FAKE_CUDA_EXECUTE=1;PARAWASM_CUDA_DISABLE=;PARAWASM_FAKE_CUDA_DEVICES=2"
    FAIL_REGULAR_EXPRESSION "\\[  SKIPPED \\]|\\[  FAILED  \\]")
endif()
