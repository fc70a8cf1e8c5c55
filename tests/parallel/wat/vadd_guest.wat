;; A guest in WAT: c = a + b over 1000 i32 with the kernel embedded as data; returns sum(c).
;; tests.cmake (embed_kernels.cmake) puts the bytes of vadd_kernel.wat in the data string and
;; their count in the parallel_exec call.   parawasm run --invoke main vadd_guest.wat HINT
(module
  (import "wasi_ephemeral_parallel" "get_device" (func $get_device (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer"
    (func $create_buffer (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer" (func $write_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer" (func $read_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $parallel_exec (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: device, 16: in-list (2), 32: out-list (1), 1024: kernel, 8192/12288/16384: a, b, c
  (data (i32.const 1024) "@KERNEL:vadd_kernel@")

  (func $buffer (param $addr i32) (param $access i32) (param $list i32) (result i32)
    (local $err i32)
    (local.set $err (call $create_buffer (i32.load (i32.const 0)) (i32.const 4000)
                                         (local.get $access) (local.get $list)))
    (if (local.get $err) (then (return (local.get $err))))
    (call $write_buffer (local.get $addr) (i32.const 4000) (i32.load (local.get $list))))

  (func (export "main") (param $hint i32) (result i32)
    (local $i i32) (local $sum i32) (local $err i32)
    (local.set $err (call $get_device (local.get $hint) (i32.const 0)))
    (if (local.get $err) (then (return (i32.sub (i32.const 0) (local.get $err)))))
    (loop $fill
      (i32.store (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (i32.store (i32.add (i32.const 12288) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.mul (local.get $i) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 1000))))
    (local.set $err (i32.or (call $buffer (i32.const 8192) (i32.const 0) (i32.const 16))
      (i32.or (call $buffer (i32.const 12288) (i32.const 0) (i32.const 20))
              (call $buffer (i32.const 16384) (i32.const 1) (i32.const 32)))))
    (if (local.get $err) (then (return (i32.const -100))))
    (local.set $err
      (call $parallel_exec (i32.load (i32.const 0)) (i32.const 1024)
                           (i32.const @KERNEL_LEN:vadd_kernel@) (i32.const 1000) (i32.const 0)
                           (i32.const 16) (i32.const 2) (i32.const 32) (i32.const 1)))
    (if (local.get $err) (then (return (i32.sub (i32.const 0) (local.get $err)))))
    (local.set $err (call $read_buffer (i32.load (i32.const 32)) (i32.const 16384) (i32.const 4000)))
    (if (local.get $err) (then (return (i32.sub (i32.const 0) (local.get $err)))))
    (local.set $i (i32.const 0))
    (loop $add
      (local.set $sum (i32.add (local.get $sum)
        (i32.load (i32.add (i32.const 16384) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 1000))))
    (local.get $sum)))
