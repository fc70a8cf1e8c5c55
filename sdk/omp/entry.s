# The worker entry of the parawasm OpenMP runtime, and its thread-local word.
#
# wasi-parallel's parallel_for starts every team member in its own instance of this module with a
# copy of the caller's globals, __stack_pointer included: all members would push their C frames
# onto the caller's shadow stack at once. So the entry, which has no frame of its own, moves
# __stack_pointer to the member's own stack (__wp_omp_stack_tops[tid], allocated by team.c;
# 0 keeps the caller's, for member 0) before any C code runs.
#
# __wp_omp_self is a Wasm global, so each instance, i.e. each thread, has its own: it holds the
# thread's WpThread (omp_internal.h), and 0 on the initial thread outside every region.

	.globaltype __stack_pointer, i32
	.globaltype __wp_omp_self, i32
__wp_omp_self:

	.functype __wp_omp_worker_body (i32, i32, i32) -> ()

	.section .text.__wp_omp_worker_entry,"",@
	.globl __wp_omp_worker_entry
	.type __wp_omp_worker_entry,@function
__wp_omp_worker_entry:
	.functype __wp_omp_worker_entry (i32, i32, i32) -> ()
	.local i32
	local.get 0
	i32.const 2
	i32.shl
	i32.const __wp_omp_stack_tops
	i32.add
	i32.load 0
	local.tee 3
	if
	local.get 3
	global.set __stack_pointer
	end_if
	local.get 0
	local.get 1
	local.get 2
	call __wp_omp_worker_body
	end_function

	.section .text.__wp_omp_self_get,"",@
	.globl __wp_omp_self_get
	.type __wp_omp_self_get,@function
__wp_omp_self_get:
	.functype __wp_omp_self_get () -> (i32)
	global.get __wp_omp_self
	end_function

	.section .text.__wp_omp_self_set,"",@
	.globl __wp_omp_self_set
	.type __wp_omp_self_set,@function
__wp_omp_self_set:
	.functype __wp_omp_self_set (i32) -> ()
	local.get 0
	global.set __wp_omp_self
	end_function
