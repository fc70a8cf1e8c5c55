;; A loop long enough to leave the interpreter: parawasm run --invoke sum examples/wat/sum.wat 1000
;; (in a lazy or tiered start the first iterations run in the interpreter, the rest compiled).
(module
  (func (export "sum") (param $n i64) (result i64) (local $i i64) (local $s i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i64.add (local.get $s) (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $s)))
