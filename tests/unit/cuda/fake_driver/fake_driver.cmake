# The fake CUDA driver (fake_cuda.h) that tests/unit/cuda opens through $PARAWASM_CUDA_DRIVER, so
# the GPU device's host side is tested on machines without a GPU. Include after unit_cuda exists.
if(TARGET unit_cuda)
  add_library(pw_fake_cuda MODULE "${CMAKE_CURRENT_LIST_DIR}/fake_cuda.cpp")
  set_target_properties(pw_fake_cuda PROPERTIES PREFIX "" OUTPUT_NAME libpw_fake_cuda)
  add_dependencies(unit_cuda pw_fake_cuda)
  target_compile_definitions(unit_cuda PRIVATE PW_FAKE_CUDA_PATH="$<TARGET_FILE:pw_fake_cuda>")
  target_include_directories(unit_cuda PRIVATE "${CMAKE_CURRENT_LIST_DIR}/..")
endif()
