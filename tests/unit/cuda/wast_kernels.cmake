# The kernel-eligible assertions of tests/wast/*.wast as GPU kernels (wast_kernels.py), compiled
# into unit_cuda for wast_kernels_test.cpp. Include after unit_cuda exists.
if(TARGET unit_cuda)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  file(GLOB pw_wast_scripts CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/wast/*.wast)
  set(pw_wast_gpu_dir ${PROJECT_BINARY_DIR}/tests/wast_gpu)
  add_custom_command(
    OUTPUT ${pw_wast_gpu_dir}/wast_gpu_kernels.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${pw_wast_gpu_dir}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/wast_kernels.py
            ${pw_wast_gpu_dir}/wast_gpu_kernels.h ${pw_wast_scripts}
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/wast_kernels.py ${pw_wast_scripts}
    COMMENT "GPU kernels from the .wast assertions")
  target_sources(unit_cuda PRIVATE ${pw_wast_gpu_dir}/wast_gpu_kernels.h)
  target_include_directories(unit_cuda PRIVATE ${pw_wast_gpu_dir})
endif()
