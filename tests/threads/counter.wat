;; wasi-threads: run(n, iters) spawns n threads; each adds 1 to an atomic counter and 1 to a plain
;; counter under a futex mutex, `iters` times, records its id, and reports its end through a
;; futex the main thread waits on. Results: the atomic count, the locked count, and 1 when every
;; id was positive and unique (0 otherwise). Memory: 0 atomic counter, 4 threads done,
;; 8 iterations, 12 mutex (0 free, 1 held, 2 held with waiters), 16 locked counter,
;; 64 + 4 k: id of thread k.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)

  (func $lock
    (local $c i32)
    (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 12) (i32.const 0) (i32.const 1)))
    (if (local.get $c)
      (then
        (loop $retry
          (if (i32.or (i32.eq (local.get $c) (i32.const 2))
                      (i32.ne (i32.atomic.rmw.cmpxchg (i32.const 12) (i32.const 1) (i32.const 2))
                              (i32.const 0)))
            (then (drop (memory.atomic.wait32 (i32.const 12) (i32.const 2) (i64.const -1)))))
          (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 12) (i32.const 0) (i32.const 2)))
          (br_if $retry (local.get $c))))))

  (func $unlock
    (if (i32.ne (i32.atomic.rmw.sub (i32.const 12) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (i32.const 12) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 12) (i32.const 1))))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (local $i i32)
    (i32.atomic.store (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2)))
                      (local.get $tid))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 8))))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (call $lock)
        (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
        (call $unlock)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "run") (param $n i32) (param $iters i32) (result i32 i32 i32)
    (local $k i32) (local $j i32) (local $done i32) (local $ok i32) (local $id i32)
    (i32.store (i32.const 8) (local.get $iters))
    (block $spawned
      (loop $next
        (br_if $spawned (i32.ge_u (local.get $k) (local.get $n)))
        (if (i32.le_s (call $spawn (local.get $k)) (i32.const 0)) (then unreachable))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (block $all
      (loop $wait
        (local.set $done (i32.atomic.load (i32.const 4)))
        (br_if $all (i32.ge_u (local.get $done) (local.get $n)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
        (br $wait)))
    (local.set $ok (i32.const 1))
    (local.set $k (i32.const 0))
    (block $checked
      (loop $each
        (br_if $checked (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $id (i32.atomic.load (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.le_s (local.get $id) (i32.const 0)) (then (local.set $ok (i32.const 0))))
        (local.set $j (i32.add (local.get $k) (i32.const 1)))
        (block $inner
          (loop $other
            (br_if $inner (i32.ge_u (local.get $j) (local.get $n)))
            (if (i32.eq (local.get $id)
                        (i32.atomic.load (i32.add (i32.const 64) (i32.shl (local.get $j) (i32.const 2)))))
              (then (local.set $ok (i32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $other)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (i32.atomic.load (i32.const 0))
    (i32.load (i32.const 16))
    (local.get $ok)))
