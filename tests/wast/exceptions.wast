;; Exception handling (issue 14): the legacy proposal as wabt 1.0.32 parses it. Tags defined,
;; imported and exported; try/catch/catch_all/delegate/throw/rethrow; payloads of every value
;; type; exceptions across call_indirect, module boundaries and deep recursion; what the host
;; sees of an uncaught one; validation errors.

(module $tags
  (tag $shared (export "shared") (param i32))
  (tag $other (export "other") (param i32))
  (func (export "throw-shared") (param i32) (throw $shared (local.get 0)))
  (func (export "throw-other") (param i32) (throw $other (local.get 0)))
)
(register "tags" $tags)

(module
  (tag $shared (import "tags" "shared") (param i32))
  (func $throw-shared (import "tags" "throw-shared") (param i32))
  (func $throw-other (import "tags" "throw-other") (param i32))
  (tag $e0)
  (tag $ei32 (param i32))
  (tag $ei64 (param i64))
  (tag $ef32 (param f32))
  (tag $ef64 (param f64))
  (tag $ev128 (param v128))
  (tag $eref (param externref))
  (tag $emany (param i32 i64 f32 f64 v128 externref))

  (func (export "i32") (param i32) (result i32)
    (try (result i32) (do (throw $ei32 (local.get 0))) (catch $ei32)))
  (func (export "i64") (param i64) (result i64)
    (try (result i64) (do (throw $ei64 (local.get 0))) (catch $ei64)))
  (func (export "f32") (param f32) (result f32)
    (try (result f32) (do (throw $ef32 (local.get 0))) (catch $ef32)))
  (func (export "f64") (param f64) (result f64)
    (try (result f64) (do (throw $ef64 (local.get 0))) (catch $ef64)))
  (func (export "v128") (param v128) (result v128)
    (try (result v128) (do (throw $ev128 (local.get 0))) (catch $ev128)))
  (func (export "externref") (param externref) (result externref)
    (try (result externref) (do (throw $eref (local.get 0))) (catch $eref)))
  (func $throw-many (param i32 i64 f32 f64 v128 externref)
    (throw $emany (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                  (local.get 5)))
  (func (export "many") (param i32 i64 f32 f64 v128 externref)
                        (result i32 i64 f32 f64 v128 externref)
    (try (result i32 i64 f32 f64 v128 externref)
      (do (call $throw-many (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                            (local.get 4) (local.get 5))
          (unreachable))
      (catch $emany)))

  ;; Tags are told apart by identity: the first matching clause wins, others are skipped.
  (func (export "select") (param i32) (result i32)
    (try (result i32)
      (do
        (if (i32.eq (local.get 0) (i32.const 0)) (then (throw $e0)))
        (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $ei32 (i32.const 11))))
        (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $ei64 (i64.const 12))))
        (i32.const 99))
      (catch $e0 (i32.const 10))
      (catch $ei32)
      (catch_all (i32.const 13))))

  ;; An exception not caught by the inner try goes to the outer one; the inner catch body's
  ;; own exception is not caught by its own try.
  (func (export "nested") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (if (local.get 0) (then (throw $ei64 (i64.const 5)))) (throw $ei32 (i32.const 1)))
          (catch $ei32 (throw $e0))))
      (catch $e0 (i32.const 2))
      (catch $ei64 (i32.wrap_i64))))

  ;; Results of a try body and its catches reach the code after the try; br leaves a catch.
  (func (export "br-from-catch") (result i32)
    (block $out (result i32)
      (try (do (throw $ei32 (i32.const 7)))
        (catch $ei32 (br $out)))
      (i32.const 0)))
  (func (export "try-params") (result i32)
    (i32.const 3)
    (try (param i32) (result i32)
      (do (i32.const 4) (i32.add))
      (catch_all (i32.const -1))))

  ;; delegate: to an outer try, to a plain block inside a try, to the caller.
  (func (export "delegate-outer") (result i32)
    (try $t (result i32)
      (do (try (result i32) (do (throw $ei32 (i32.const 21))) (delegate $t)))
      (catch $ei32)))
  (func (export "delegate-block") (result i32)
    (try $t (result i32)
      (do
        (block $b (result i32)
          (try (result i32)
            (do (throw $ei32 (i32.const 22)))
            (delegate $b))))
      (catch $ei32)))
  (func $delegate-caller
    (try (do (throw $ei32 (i32.const 23))) (delegate 0)))
  (func (export "delegate-caller") (result i32)
    (try (result i32) (do (call $delegate-caller) (i32.const 0)) (catch $ei32)))
  ;; A delegate skips the try whose catch body it is in.
  (func (export "delegate-from-catch") (result i32)
    (try $outer (result i32)
      (do
        (try $t (result i32)
          (do (throw $e0))
          (catch $e0
            (try (result i32) (do (throw $ei32 (i32.const 24))) (delegate $t)))
          (catch $ei32 (drop) (i32.const -1))))
      (catch $ei32)))

  ;; rethrow: of the innermost catch, of an outer one from a nested catch, from catch_all.
  (func (export "rethrow") (result i32)
    (try (result i32)
      (do (try (do (throw $ei32 (i32.const 31))) (catch $ei32 (drop) (rethrow 0))) (i32.const 0))
      (catch $ei32)))
  (func (export "rethrow-outer") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $ei32 (i32.const 32)))
          (catch $ei32
            (drop)
            (try (result i32) (do (throw $ei64 (i64.const 0))) (catch $ei64 (drop) (rethrow 1))))))
      (catch $ei32)
      (catch $ei64 (drop) (i32.const -1))))
  (func (export "rethrow-catch-all") (result i64)
    (try (result i64)
      (do (try (do (throw $ei64 (i64.const 33))) (catch_all (rethrow 0))) (i64.const 0))
      (catch $ei64)))

  ;; Through a table, across modules (the imported tag is the exporter's), and tail calls.
  (type $v (func))
  (table funcref (elem $throw-e0 $nothing))
  (func $throw-e0 (throw $e0))
  (func $nothing)
  (func (export "indirect") (param i32) (result i32)
    (try (result i32)
      (do (call_indirect (type $v) (local.get 0)) (i32.const 0))
      (catch $e0 (i32.const 1))))
  (func (export "imported-tag") (result i32)
    (try (result i32) (do (call $throw-shared (i32.const 41)) (i32.const 0)) (catch $shared)))
  (func (export "foreign-tag") (result i32)
    (try (result i32)
      (do (call $throw-other (i32.const 42)) (i32.const 0))
      (catch $shared (drop) (i32.const -1))
      (catch_all (i32.const 42))))
  (func $tail (result i32) (return_call $throws))
  (func $throws (result i32) (throw $ei32 (i32.const 51)))
  (func (export "return-call-in-try") (result i32)
    (try (result i32) (do (call $tail-in-try)) (catch $ei32)))
  ;; The tail call leaves the inner try: the exception passes its catch and reaches ours.
  (func $tail-in-try (result i32)
    (try (result i32) (do (return_call $throws)) (catch $ei32 (drop) (i32.const -1))))

  ;; Deep unwinding: thrown 20000 calls down, caught at the top; then caught 100000 times.
  (func $down (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (throw $ei32 (i32.const 61))))
    (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "deep") (result i32)
    (try (result i32) (do (call $down (i32.const 20000))) (catch $ei32)))
  (func (export "loop") (param i32) (result i32)
    (local $sum i32)
    (loop $l
      (try
        (do (try (do (throw $ei32 (local.get 0))) (catch $ei32 (drop) (rethrow 0))))
        (catch $ei32 (local.set $sum (i32.add (local.get $sum)))))
      (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l))
    (local.get $sum))

  (func (export "uncaught") (throw $ei32 (i32.const 1)))
  (func (export "uncaught-rethrow") (try (do (throw $e0)) (catch_all (rethrow 0))))
  (func (export "not-matching") (result i32)
    (try (result i32) (do (throw $ei64 (i64.const 1))) (catch $ei32)))
)

(assert_return (invoke "i32" (i32.const 7)) (i32.const 7))
(assert_return (invoke "i64" (i64.const -8)) (i64.const -8))
(assert_return (invoke "f32" (f32.const 1.5)) (f32.const 1.5))
(assert_return (invoke "f32" (f32.const nan:0x200001)) (f32.const nan:0x200001))
(assert_return (invoke "f64" (f64.const -2.25)) (f64.const -2.25))
(assert_return (invoke "v128" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "externref" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "externref" (ref.null extern)) (ref.null extern))
(assert_return
  (invoke "many" (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)
                 (v128.const i64x2 5 6) (ref.extern 7))
  (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (v128.const i64x2 5 6) (ref.extern 7))
(assert_return (invoke "select" (i32.const 0)) (i32.const 10))
(assert_return (invoke "select" (i32.const 1)) (i32.const 11))
(assert_return (invoke "select" (i32.const 2)) (i32.const 13))
(assert_return (invoke "select" (i32.const 3)) (i32.const 99))
(assert_return (invoke "nested" (i32.const 0)) (i32.const 2))
(assert_return (invoke "nested" (i32.const 1)) (i32.const 5))
(assert_return (invoke "br-from-catch") (i32.const 7))
(assert_return (invoke "try-params") (i32.const 7))
(assert_return (invoke "delegate-outer") (i32.const 21))
(assert_return (invoke "delegate-block") (i32.const 22))
(assert_return (invoke "delegate-caller") (i32.const 23))
(assert_return (invoke "delegate-from-catch") (i32.const 24))
(assert_return (invoke "rethrow") (i32.const 31))
(assert_return (invoke "rethrow-outer") (i32.const 32))
(assert_return (invoke "rethrow-catch-all") (i64.const 33))
(assert_return (invoke "indirect" (i32.const 0)) (i32.const 1))
(assert_return (invoke "indirect" (i32.const 1)) (i32.const 0))
(assert_trap (invoke "indirect" (i32.const 2)) "undefined element")
(assert_return (invoke "imported-tag") (i32.const 41))
(assert_return (invoke "foreign-tag") (i32.const 42))
(assert_return (invoke "return-call-in-try") (i32.const 51))
(assert_return (invoke "deep") (i32.const 61))
(assert_return (invoke "loop" (i32.const 100000)) (i32.const 705082704))
(assert_exception (invoke "uncaught"))
(assert_exception (invoke "uncaught-rethrow"))
(assert_exception (invoke "not-matching"))
(assert_exception (invoke $tags "throw-shared" (i32.const 1)))
;; After an uncaught exception the thread is clean: the next call runs normally.
(assert_return (invoke "i32" (i32.const 8)) (i32.const 8))

;; A tag import matches the exporter's type exactly, and only a tag.
(assert_unlinkable
  (module (tag (import "tags" "shared") (param i64)))
  "incompatible import type")
(assert_unlinkable
  (module (tag (import "tags" "throw-shared") (param i32)))
  "incompatible import type")
(assert_unlinkable
  (module (func (import "tags" "shared") (param i32)))
  "incompatible import type")

;; A module without tags or try is compiled without checks after its calls: an exception that
;; returns into it stops there, and the host sees it as uncaught.
(module $plain
  (func $throw (import "tags" "throw-shared") (param i32))
  (global $g (mut i32) (i32.const 0))
  (func (export "pass-through") (call $throw (i32.const 1)) (global.set $g (i32.const 1)))
  (func (export "g") (result i32) (global.get $g))
)
(assert_exception (invoke "pass-through"))
(assert_return (invoke "g") (i32.const 0))

(assert_invalid
  (module (tag $e (param i32)) (func (throw $e (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32)) (func (result i32) (try (result i32) (do (i32.const 0)) (catch $e))
    (drop) (i32.const 0)) (func (result i64) (try (result i64) (do (i64.const 0)) (catch $e))))
  "type mismatch")
(assert_invalid (module (func (block (rethrow 0)))) "invalid rethrow label")
(assert_invalid (module (func (try (do (rethrow 0))))) "invalid rethrow label")
(assert_invalid (module (func (throw 0))) "unknown tag")
(assert_invalid (module (tag (param i32) (result i32))) "non-empty tag result type")
