;; vector_add.wat: a wasi-parallel guest written by hand, with no SDK and no libc.
;;
;;   parawasm run examples/wat/vector_add.wat [DEVICE_HINT]
;;
;; Adds two vectors of 1024 i32 with the kernel in vector_add_kernel.wat (embedded below as
;; bytes), then prints "vector_add: n=1024 sum=1571328 errors=0". DEVICE_HINT is a number:
;; 0 sequential, 1 cpu (the default), 2 discrete GPU, 3 integrated GPU. A failing call prints
;; "vector_add: <call> failed: error <code>" on stderr and exits with status 1.
(module
  (import "wasi_ephemeral_parallel" "get_device"
    (func $get_device (param $hint i32) (param $out_device i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer"
    (func $create_buffer (param $device i32) (param $size i32) (param $access i32)
                         (param $out_buffer i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer"
    (func $write_buffer (param $ptr i32) (param $len i32) (param $buffer i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer"
    (func $read_buffer (param $buffer i32) (param $ptr i32) (param $len i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $parallel_exec (param $device i32) (param $kernel i32) (param $kernel_len i32)
                         (param $num_iterations i32) (param $block_size i32)
                         (param $in i32) (param $in_len i32) (param $out i32) (param $out_len i32)
                         (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; Layout of the one page:
  ;;   0x0000 device handle, 0x0004/08/0c buffers a/b/c, 0x0010 in-list [a, b], 0x0018 out-list [c]
  ;;   0x0020 argc, 0x0024 argv buffer size, 0x0040 iovec, 0x0048 bytes written
  ;;   0x0100 output line (256 bytes), 0x0400 argv pointers (64), 0x0500 argv strings (2816 bytes)
  ;;   0x1000 kernel module, 0x1100 strings, 0x2000 a, 0x3000 b, 0x4000 c (1024 i32 each)
  (memory (export "memory") 1)

  (global $n i32 (i32.const 1024))
  (global $out_pos (mut i32) (i32.const 0x100))

  (data (i32.const 0x1000)
    "\00\61\73\6d\01\00\00\00\01\0d\01\60\09\7f\7f\7f"
    "\7f\7f\7f\7f\7f\7f\00\02\0f\01\03\65\6e\76\06\6d"
    "\65\6d\6f\72\79\02\00\01\03\02\01\00\07\0a\01\06"
    "\6b\65\72\6e\65\6c\00\00\0a\26\01\24\01\01\7f\20"
    "\00\41\02\74\21\09\20\07\20\09\6a\20\03\20\09\6a"
    "\28\02\00\20\05\20\09\6a\28\02\00\6a\36\02\00\0b")
  (global $kernel_len i32 (i32.const 96))

  (data (i32.const 0x1100) "vector_add: ")       ;; 12 bytes
  (data (i32.const 0x1110) "n=")                 ;; 2
  (data (i32.const 0x1120) " sum=")              ;; 5
  (data (i32.const 0x1130) " errors=")           ;; 8
  (data (i32.const 0x1140) " failed: error ")    ;; 15
  (data (i32.const 0x1150) "get_device")         ;; 10
  (data (i32.const 0x1160) "create_buffer")      ;; 13
  (data (i32.const 0x1170) "write_buffer")       ;; 12
  (data (i32.const 0x1180) "read_buffer")        ;; 11
  (data (i32.const 0x1190) "parallel_exec")      ;; 13

  (func $emit (param $ptr i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (i32.add (global.get $out_pos) (local.get $i))
                    (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (global.set $out_pos (i32.add (global.get $out_pos) (local.get $len))))

  (func $emit_u32 (param $v i32)
    (local $digits i32) (local $t i32) (local $p i32)
    ;; Count the digits, then write them from the last one backwards.
    (local.set $digits (i32.const 1))
    (local.set $t (local.get $v))
    (block $done
      (loop $count
        (br_if $done (i32.lt_u (local.get $t) (i32.const 10)))
        (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (br $count)))
    (local.set $p (i32.add (global.get $out_pos) (local.get $digits)))
    (global.set $out_pos (local.get $p))
    (loop $write
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $write (local.get $v))))

  ;; Writes the line collected so far, plus "\n", to fd and starts a new one.
  (func $flush (param $fd i32)
    (i32.store8 (global.get $out_pos) (i32.const 10))
    (i32.store (i32.const 0x40) (i32.const 0x100))
    (i32.store (i32.const 0x44) (i32.sub (i32.add (global.get $out_pos) (i32.const 1))
                                         (i32.const 0x100)))
    (drop (call $fd_write (local.get $fd) (i32.const 0x40) (i32.const 1) (i32.const 0x48)))
    (global.set $out_pos (i32.const 0x100)))

  ;; Stops with "vector_add: <name> failed: error <code>" when code is not 0 (success).
  (func $check (param $code i32) (param $name i32) (param $name_len i32)
    (if (i32.eqz (local.get $code)) (then (return)))
    (call $emit (i32.const 0x1100) (i32.const 12))
    (call $emit (local.get $name) (local.get $name_len))
    (call $emit (i32.const 0x1140) (i32.const 15))
    (call $emit_u32 (local.get $code))
    (call $flush (i32.const 2))
    (call $proc_exit (i32.const 1)))

  ;; The device hint: argv[1] as a decimal number, -1 if it is not one, 1 (cpu) if absent.
  (func $device_hint (result i32)
    (local $p i32) (local $c i32) (local $v i32)
    (if (call $args_sizes_get (i32.const 0x20) (i32.const 0x24)) (then (return (i32.const 1))))
    (if (i32.lt_u (i32.load (i32.const 0x20)) (i32.const 2)) (then (return (i32.const 1))))
    (if (i32.or (i32.gt_u (i32.load (i32.const 0x20)) (i32.const 64))
                (i32.gt_u (i32.load (i32.const 0x24)) (i32.const 2816)))
      (then (return (i32.const -1))))
    (if (call $args_get (i32.const 0x400) (i32.const 0x500)) (then (return (i32.const 1))))
    (local.set $p (i32.load (i32.const 0x404)))
    (if (i32.eqz (i32.load8_u (local.get $p))) (then (return (i32.const -1))))
    (block $end
      (loop $digit
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $end (i32.eqz (local.get $c)))
        (if (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9))
          (then (return (i32.const -1))))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10))
                               (i32.sub (local.get $c) (i32.const 48))))
        (br_if $end (i32.gt_u (local.get $v) (i32.const 1000)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digit)))
    (local.get $v))

  (func $start (export "_start")
    (local $i i32) (local $sum i32) (local $errors i32) (local $c i32)
    (call $check (call $get_device (call $device_hint) (i32.const 0x00))
                 (i32.const 0x1150) (i32.const 10))

    ;; a[i] = i, b[i] = 2i
    (loop $fill
      (i32.store (i32.add (i32.const 0x2000) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (i32.store (i32.add (i32.const 0x3000) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.shl (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (global.get $n))))

    ;; a and b are read by the kernel, c is written; each is bound to its 4 KiB region.
    (call $check (call $create_buffer (i32.load (i32.const 0)) (i32.const 4096) (i32.const 0)
                                      (i32.const 0x04)) (i32.const 0x1160) (i32.const 13))
    (call $check (call $create_buffer (i32.load (i32.const 0)) (i32.const 4096) (i32.const 0)
                                      (i32.const 0x08)) (i32.const 0x1160) (i32.const 13))
    (call $check (call $create_buffer (i32.load (i32.const 0)) (i32.const 4096) (i32.const 1)
                                      (i32.const 0x0c)) (i32.const 0x1160) (i32.const 13))
    (call $check (call $write_buffer (i32.const 0x2000) (i32.const 4096) (i32.load (i32.const 0x04)))
                 (i32.const 0x1170) (i32.const 12))
    (call $check (call $write_buffer (i32.const 0x3000) (i32.const 4096) (i32.load (i32.const 0x08)))
                 (i32.const 0x1170) (i32.const 12))
    (call $check (call $write_buffer (i32.const 0x4000) (i32.const 4096) (i32.load (i32.const 0x0c)))
                 (i32.const 0x1170) (i32.const 12))

    (i32.store (i32.const 0x10) (i32.load (i32.const 0x04)))
    (i32.store (i32.const 0x14) (i32.load (i32.const 0x08)))
    (i32.store (i32.const 0x18) (i32.load (i32.const 0x0c)))
    (call $check (call $parallel_exec (i32.load (i32.const 0)) (i32.const 0x1000)
                                      (global.get $kernel_len) (global.get $n) (i32.const 64)
                                      (i32.const 0x10) (i32.const 2) (i32.const 0x18) (i32.const 1))
                 (i32.const 0x1190) (i32.const 13))
    (call $check (call $read_buffer (i32.load (i32.const 0x0c)) (i32.const 0x4000) (i32.const 4096))
                 (i32.const 0x1180) (i32.const 11))

    ;; Every c[i] must be 3i; the sum is 3 * 1023 * 1024 / 2 = 1571328.
    (local.set $i (i32.const 0))
    (loop $verify
      (local.set $c (i32.load (i32.add (i32.const 0x4000) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $sum (i32.add (local.get $sum) (local.get $c)))
      (if (i32.ne (local.get $c) (i32.mul (local.get $i) (i32.const 3)))
        (then (local.set $errors (i32.add (local.get $errors) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $verify (i32.lt_u (local.get $i) (global.get $n))))

    (call $emit (i32.const 0x1100) (i32.const 12))
    (call $emit (i32.const 0x1110) (i32.const 2))
    (call $emit_u32 (global.get $n))
    (call $emit (i32.const 0x1120) (i32.const 5))
    (call $emit_u32 (local.get $sum))
    (call $emit (i32.const 0x1130) (i32.const 8))
    (call $emit_u32 (local.get $errors))
    (call $flush (i32.const 1))
    (if (local.get $errors) (then (call $proc_exit (i32.const 1))))))
