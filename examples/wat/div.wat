;; Integer division, to show a trap: parawasm run --invoke div examples/wat/div.wat 1 0
(module
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
