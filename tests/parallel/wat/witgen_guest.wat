;; The WIT generation in WAT: the canonical-ABI imports of wit/wasi-parallel.wit. One buffer
;; list whose access kinds give the directions (a, b read; c write); read-buffer returns c as a
;; new list from this module's cabi_realloc (a bump allocator). Returns sum(c) = 1498500.
;;   parawasm run --invoke main witgen_guest.wat HINT
(module
  (import "parawasm:parallel/parallel@0.1.0" "get-device" (func $get_device (param i32) (result i32)))
  (import "parawasm:parallel/parallel@0.1.0" "create-buffer"
    (func $create_buffer (param i32 i32 i32 i32)))
  (import "parawasm:parallel/parallel@0.1.0" "write-buffer" (func $write_buffer (param i32 i32 i32 i32)))
  (import "parawasm:parallel/parallel@0.1.0" "read-buffer" (func $read_buffer (param i32 i32)))
  (import "parawasm:parallel/parallel@0.1.0" "parallel-exec"
    (func $parallel_exec (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 2)
  ;; 0: return area; 16: device; 32: the buffer list (a, b, c); 1024: kernel;
  ;; 8192, 12288, 16384: a, b, c (1000 i32); 65536 up: cabi_realloc's heap
  (data (i32.const 1024) "@KERNEL:vadd_kernel@")
  (global $heap (mut i32) (i32.const 65536))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32)
                                (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (local.get $at) (local.get $size)))
    (local.get $at))

  ;; create-buffer + write-buffer over 4000 bytes at $addr; the handle goes to list slot $slot.
  (func $buffer (param $addr i32) (param $access i32) (param $slot i32)
    (call $create_buffer (i32.load (i32.const 16)) (i32.const 4000) (local.get $access) (i32.const 0))
    (if (i32.load8_u (i32.const 0)) (then unreachable))
    (i32.store (i32.add (i32.const 32) (i32.shl (local.get $slot) (i32.const 2)))
               (i32.load (i32.const 4)))
    (call $write_buffer (local.get $addr) (i32.const 4000) (i32.load (i32.const 4)) (i32.const 0))
    (if (i32.load8_u (i32.const 0)) (then unreachable)))

  (func (export "main") (param $hint i32) (result i32)
    (local $i i32) (local $sum i32) (local $list i32)
    (i32.store (i32.const 16) (call $get_device (local.get $hint)))
    (loop $fill
      (i32.store (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (i32.store (i32.add (i32.const 12288) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.mul (local.get $i) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $buffer (i32.const 8192) (i32.const 0) (i32.const 0))
    (call $buffer (i32.const 12288) (i32.const 0) (i32.const 1))
    (call $buffer (i32.const 16384) (i32.const 1) (i32.const 2))
    (call $parallel_exec (i32.load (i32.const 16)) (i32.const 1024)
                         (i32.const @KERNEL_LEN:vadd_kernel@) (i32.const 1000) (i32.const 0)
                         (i32.const 32) (i32.const 3) (i32.const 0))
    (if (i32.load8_u (i32.const 0)) (then (return (i32.sub (i32.const -100)
                                                           (i32.load8_u (i32.const 1))))))
    (call $read_buffer (i32.load (i32.const 40)) (i32.const 0))
    (if (i32.load8_u (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load (i32.const 8)) (i32.const 4000)) (then (return (i32.const -2))))
    (local.set $list (i32.load (i32.const 4)))
    (if (i32.lt_u (local.get $list) (i32.const 65536)) (then (return (i32.const -3))))
    (local.set $i (i32.const 0))
    (loop $add
      (local.set $sum (i32.add (local.get $sum)
                               (i32.load (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 1000))))
    (local.get $sum))
)
