;; What only a hand-written kernel can show: kernels cannot grow memory, their globals belong to
;; one worker, any memory import names and sharedness bind to the caller's memory, and a trap is
;; an error code, after which the device still works. Returns the number of failed checks. A GPU
;; refuses the growing and the shared (call_indirect) kernels: not a failure there.
;;   parawasm run --invoke main checks_guest.wat HINT
(module
  (import "wasi_ephemeral_parallel" "get_device" (func $get_device (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer"
    (func $create_buffer (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer" (func $write_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer" (func $read_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $parallel_exec (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; 0: device, 4: new handle, 8: out-list; kernels at 1024.. ; output at 65536
  (data (i32.const 1024) "@KERNEL:grow_kernel@")
  (data (i32.const 2048) "@KERNEL:global_kernel@")
  (data (i32.const 4096) "@KERNEL:shared_kernel@")
  (data (i32.const 6144) "@KERNEL:trap_kernel@")
  (global $failures (mut i32) (i32.const 0))

  (func $check (param $ok i32)
    (if (i32.eqz (local.get $ok))
      (then (global.set $failures (i32.add (global.get $failures) (i32.const 1))))))

  ;; A write buffer over [65536, 65536 + size), in the out-list at 8.
  (func $out (param $size i32)
    (call $check (i32.eqz (call $create_buffer (i32.load (i32.const 0)) (local.get $size)
                                               (i32.const 1) (i32.const 4))))
    (call $check (i32.eqz (call $write_buffer (i32.const 65536) (local.get $size)
                                              (i32.load (i32.const 4)))))
    (i32.store (i32.const 8) (i32.load (i32.const 4))))

  (func $exec (param $kernel i32) (param $len i32) (param $n i32) (param $block i32) (result i32)
    (call $parallel_exec (i32.load (i32.const 0)) (local.get $kernel) (local.get $len)
                         (local.get $n) (local.get $block) (i32.const 0) (i32.const 0)
                         (i32.const 8) (i32.const 1)))

  ;; Checks out[stride * i] == mul * i + add for i < n.
  (func $expect (param $at i32) (param $n i32) (param $stride i32) (param $mul i32) (param $add i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $check (i32.eq (i32.load (i32.add (local.get $at)
                                                (i32.mul (local.get $i) (local.get $stride))))
                             (i32.add (i32.mul (local.get $i) (local.get $mul)) (local.get $add))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Whether exec result $r is a GPU's refusal: hints 2 and 3 (GPUs) refuse memory.grow and
  ;; call_indirect with not_supported (8; docs/gpu.md), which the cpu runs.
  (func $refused (param $hint i32) (param $r i32) (result i32)
    (i32.and (i32.eq (local.get $r) (i32.const 8))
             (i32.or (i32.eq (local.get $hint) (i32.const 2)) (i32.eq (local.get $hint) (i32.const 3)))))
  (func (export "main") (param $hint i32) (result i32)
    (local $r i32)
    (call $check (i32.eqz (call $get_device (local.get $hint) (i32.const 0))))

    (call $out (i32.const 800))
    (local.set $r (call $exec (i32.const 1024) (i32.const @KERNEL_LEN:grow_kernel@)
                              (i32.const 100) (i32.const 3)))
    (if (i32.eqz (call $refused (local.get $hint) (local.get $r)))
      (then
        (call $check (i32.eqz (local.get $r)))
        (call $check (i32.eqz (call $read_buffer (i32.load (i32.const 8)) (i32.const 65536) (i32.const 800))))
        (call $expect (i32.const 65536) (i32.const 100) (i32.const 8) (i32.const 0) (i32.const -1))
        (call $expect (i32.const 65540) (i32.const 100) (i32.const 8) (i32.const 0) (i32.const 2))))
    (call $check (i32.eq (memory.size) (i32.const 2)))

    (call $out (i32.const 8000))
    (call $check (i32.eqz (call $exec (i32.const 2048) (i32.const @KERNEL_LEN:global_kernel@)
                                      (i32.const 2000) (i32.const 1))))
    (call $check (i32.eqz (call $read_buffer (i32.load (i32.const 8)) (i32.const 65536) (i32.const 8000))))
    (call $expect (i32.const 65536) (i32.const 2000) (i32.const 4) (i32.const 1) (i32.const 0))

    (call $out (i32.const 4000))
    (local.set $r (call $exec (i32.const 4096) (i32.const @KERNEL_LEN:shared_kernel@)
                              (i32.const 1000) (i32.const 0)))
    (if (i32.eqz (call $refused (local.get $hint) (local.get $r)))
      (then
        (call $check (i32.eqz (local.get $r)))
        (call $check (i32.eqz (call $read_buffer (i32.load (i32.const 8)) (i32.const 65536) (i32.const 4000))))
        (call $expect (i32.const 65536) (i32.const 1000) (i32.const 4) (i32.const 3) (i32.const 0))))

    ;; trap_kernel traps at iteration 10: 11 iterations trap, 10 do not.
    (call $check (i32.eq (call $exec (i32.const 6144) (i32.const @KERNEL_LEN:trap_kernel@)
                                     (i32.const 11) (i32.const 2))
                         (i32.const 5)))
    (call $check (i32.eqz (call $exec (i32.const 6144) (i32.const @KERNEL_LEN:trap_kernel@)
                                      (i32.const 10) (i32.const 2))))
    (call $check (i32.eqz (call $read_buffer (i32.load (i32.const 8)) (i32.const 65536) (i32.const 4000))))
    (call $expect (i32.const 65536) (i32.const 10) (i32.const 4) (i32.const 1) (i32.const 0))
    (global.get $failures)))
