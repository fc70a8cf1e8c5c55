;; Runs the kernel placed at 1024 (KERNEL_LEN bytes, filled in by cli_test.sh) with
;; parallel_exec over 64 iterations, prints its result code as one byte ('0' + code), then
;; spins: an interrupt ends the run either way.
(module
  (import "wasi_ephemeral_parallel" "get_device" (func $get_device (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $parallel_exec (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "KERNEL_BYTES")
  (func (export "_start")
    (drop (call $get_device (i32.const 1) (i32.const 0)))
    (i32.store8 (i32.const 100)
      (i32.add (i32.const 48)
        (call $parallel_exec (i32.load (i32.const 0)) (i32.const 1024) (i32.const KERNEL_LEN)
                             (i32.const 64) (i32.const 1) (i32.const 0) (i32.const 0)
                             (i32.const 0) (i32.const 0))))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (loop $l (br $l))))
