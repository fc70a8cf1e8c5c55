;; A guest written the way the Wasmtime prototype's nstream.wat is: buffer A is created with
;; access 1 (the prototype's comments call it read-write; the witx calls 1 `write`) and A, B and
;; C are ALL passed as in-buffers, none as out-buffers, though the kernel writes A. Access kinds
;; are hints, so this runs on every device: A must come back updated.
;;   parawasm run --invoke main prototype_guest.wat HINT   -> the bits of sum(A), same everywhere
(module
  (import "wasi_ephemeral_parallel" "get_device" (func $get_device (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer"
    (func $create_buffer (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer" (func $write_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer" (func $read_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $parallel_exec (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: device, 16: the in-list (A, B, C); 1024: kernel; 8192, 12288, 16384: A, B, C (1000 f32)
  (data (i32.const 1024) "@KERNEL:nstream_kernel@")

  (func $buffer (param $addr i32) (param $access i32) (param $slot i32)
    (if (call $create_buffer (i32.load (i32.const 0)) (i32.const 4000) (local.get $access)
                             (local.get $slot))
      (then unreachable))
    (if (call $write_buffer (local.get $addr) (i32.const 4000) (i32.load (local.get $slot)))
      (then unreachable)))

  (func (export "main") (param $hint i32) (result i32)
    (local $i i32) (local $sum f32) (local $rep i32)
    (if (call $get_device (local.get $hint) (i32.const 0)) (then (return (i32.const -1))))
    (loop $fill
      (f32.store (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 2)))
                 (f32.convert_i32_u (local.get $i)))
      (f32.store (i32.add (i32.const 12288) (i32.shl (local.get $i) (i32.const 2))) (f32.const 2.0))
      (f32.store (i32.add (i32.const 16384) (i32.shl (local.get $i) (i32.const 2))) (f32.const 0.5))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $buffer (i32.const 8192) (i32.const 1) (i32.const 16)) ;; A: access 1, as the prototype
    (call $buffer (i32.const 12288) (i32.const 0) (i32.const 20))
    (call $buffer (i32.const 16384) (i32.const 0) (i32.const 24))
    ;; Three iterations of nstream, every buffer in the in-list.
    (loop $again
      (if (call $parallel_exec (i32.load (i32.const 0)) (i32.const 1024)
                               (i32.const @KERNEL_LEN:nstream_kernel@) (i32.const 1000) (i32.const 64)
                               (i32.const 16) (i32.const 3) (i32.const 0) (i32.const 0))
        (then (return (i32.const -2))))
      (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $rep) (i32.const 3))))
    (if (call $read_buffer (i32.load (i32.const 16)) (i32.const 8192) (i32.const 4000))
      (then (return (i32.const -3))))
    (local.set $i (i32.const 0))
    (loop $add
      (local.set $sum (f32.add (local.get $sum)
                               (f32.load (i32.add (i32.const 8192) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 1000))))
    ;; sum(i + 3 * (2 + 1.5)) = 499500 + 10500 = 510000, exactly representable
    (if (f32.ne (local.get $sum) (f32.const 510000)) (then (return (i32.const -4))))
    (i32.reinterpret_f32 (local.get $sum)))
)
