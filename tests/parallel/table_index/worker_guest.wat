;; The table-index generation in WAT: parallel_for runs $scale(t, n, bs, a, a_len, c, c_len) for
;; every thread id t at once; thread t writes c[i] = 2 * a[i] + t + $base for i in its block.
;;   parawasm run --invoke main worker_guest.wat NUM_THREADS BLOCK_SIZE HINT   -> 0 when right
;; A nonzero result names the first check that failed.
(module
  (import "wasi_ephemeral_parallel" "get_device" (func $get_device (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer"
    (func $create_buffer (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer" (func $write_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer" (func $read_buffer (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_for"
    (func $parallel_for (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 20)
  (table (export "table") 4 funcref)
  (elem (i32.const 1) $scale $wrong_type $barrier)
  ;; The caller sets it before the call; every worker starts with that value and changes only
  ;; its own copy.
  (global $base (mut i32) (i32.const 0))
  ;; 0: device, 8: a, 12: c (handles), 16: in-list, 20: out-list; 64: barrier counters;
  ;; 65536: a, 65536 * 9: c
  (func $scale (param $t i32) (param $n i32) (param $bs i32)
               (param $a i32) (param $alen i32) (param $c i32) (param $clen i32)
    (local $i i32) (local $end i32)
    (local.set $i (i32.mul (local.get $t) (local.get $bs)))
    (local.set $end (i32.add (local.get $i) (local.get $bs)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (i32.store (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.add (i32.shl (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                                   (i32.const 1))
                          (local.get $t))
                 (global.get $base)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (global.set $base (i32.const -1)))
  (func $wrong_type (param i32 i32) (result i32) (i32.const 0))
  ;; Every member passes an atomic barrier twice: none can finish unless all run at once.
  (func $barrier (param $t i32) (param $n i32) (param $bs i32)
    (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 1)))
    (loop $wait1 (br_if $wait1 (i32.lt_u (i32.atomic.load (i32.const 64)) (local.get $n))))
    (drop (i32.atomic.rmw.add (i32.const 68) (i32.const 1)))
    (loop $wait2 (br_if $wait2 (i32.lt_u (i32.atomic.load (i32.const 68)) (local.get $n)))))

  (func (export "main") (param $threads i32) (param $bs i32) (param $hint i32) (result i32)
    (local $i i32) (local $count i32) (local $bytes i32) (local $t i32)
    (if (call $get_device (local.get $hint) (i32.const 0)) (then (return (i32.const 1))))
    (local.set $count (i32.mul (local.get $threads) (local.get $bs)))
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (loop $fill
      (if (i32.lt_u (local.get $i) (local.get $count)) (then
        (i32.store (i32.add (i32.const 65536) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill))))
    (if (call $create_buffer (i32.load (i32.const 0)) (local.get $bytes) (i32.const 0) (i32.const 8))
      (then (return (i32.const 2))))
    (if (call $create_buffer (i32.load (i32.const 0)) (local.get $bytes) (i32.const 1) (i32.const 12))
      (then (return (i32.const 3))))
    (if (call $write_buffer (i32.const 65536) (local.get $bytes) (i32.load (i32.const 8)))
      (then (return (i32.const 4))))
    (if (call $write_buffer (i32.const 589824) (local.get $bytes) (i32.load (i32.const 12)))
      (then (return (i32.const 5))))
    (i32.store (i32.const 16) (i32.load (i32.const 8)))
    (i32.store (i32.const 20) (i32.load (i32.const 12)))
    (global.set $base (i32.const 1000))
    (if (call $parallel_for (i32.const 1) (local.get $threads) (local.get $bs)
                            (i32.const 16) (i32.const 1) (i32.const 20) (i32.const 1))
      (then (return (i32.const 6))))
    ;; The workers' global.set went to their own copies.
    (if (i32.ne (global.get $base) (i32.const 1000)) (then (return (i32.const 7))))
    (if (call $read_buffer (i32.load (i32.const 12)) (i32.const 589824) (local.get $bytes))
      (then (return (i32.const 8))))
    (local.set $i (i32.const 0))
    (loop $check
      (if (i32.lt_u (local.get $i) (local.get $count)) (then
        (local.set $t (i32.div_u (local.get $i) (local.get $bs)))
        (if (i32.ne (i32.load (i32.add (i32.const 589824) (i32.shl (local.get $i) (i32.const 2))))
                    (i32.add (i32.add (i32.shl (local.get $i) (i32.const 1)) (local.get $t))
                             (i32.const 1000)))
          (then (return (i32.add (i32.const 100) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check))))
    (i32.const 0))

  ;; A team of $n members that must all run at once (two barriers); 0 when it completed.
  (func (export "barrier") (param $n i32) (result i32)
    (call $parallel_for (i32.const 3) (local.get $n) (i32.const 0)
                        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))

  ;; Bad calls, each with its expected error code; 0 when all are as documented.
  (func (export "errors") (result i32)
    (local $e i32)
    ;; worker index outside the table: invalid_argument
    (if (i32.ne (call $parallel_for (i32.const 9) (i32.const 2) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 2))
      (then (return (i32.const 1))))
    ;; a null entry: invalid_argument
    (if (i32.ne (call $parallel_for (i32.const 0) (i32.const 2) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 2))
      (then (return (i32.const 2))))
    ;; a function of the wrong type: invalid_kernel
    (if (i32.ne (call $parallel_for (i32.const 2) (i32.const 2) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 3))
      (then (return (i32.const 3))))
    ;; $scale with no buffers has the wrong parameter count: invalid_kernel
    (if (i32.ne (call $parallel_for (i32.const 1) (i32.const 2) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 3))
      (then (return (i32.const 4))))
    ;; num_threads 0 and 257: invalid_argument
    (if (i32.ne (call $parallel_for (i32.const 3) (i32.const 0) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 2))
      (then (return (i32.const 5))))
    (if (i32.ne (call $parallel_for (i32.const 3) (i32.const 257) (i32.const 1)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 2))
      (then (return (i32.const 6))))
    ;; a buffer list outside memory: buffer_out_of_bounds
    (if (i32.ne (call $parallel_for (i32.const 3) (i32.const 1) (i32.const 1)
                      (i32.const 0x7ffffff0) (i32.const 4) (i32.const 0) (i32.const 0)) (i32.const 4))
      (then (return (i32.const 7))))
    ;; an unknown buffer handle: invalid_handle
    (i32.store (i32.const 24) (i32.const 77))
    (if (i32.ne (call $parallel_for (i32.const 1) (i32.const 1) (i32.const 1)
                      (i32.const 24) (i32.const 1) (i32.const 24) (i32.const 1)) (i32.const 1))
      (then (return (i32.const 8))))
    (i32.const 0))
)
