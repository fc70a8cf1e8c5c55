;; The kernel that vector_add.wat embeds: c[i] = a[i] + b[i] over i32 elements.
;; Its binary form is the data string in vector_add.wat; after editing this file, regenerate it:
;;   wat2wasm vector_add_kernel.wat -o - | od -An -v -tx1 | sed 's/ /\\/g'
(module
  ;; The caller's memory: buffers arrive as addresses in it.
  (import "env" "memory" (memory 1))
  (func (export "kernel")
    (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32)
    (param $c i32) (param $c_len i32)
    (local $offset i32)
    (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
    (i32.store
      (i32.add (local.get $c) (local.get $offset))
      (i32.add
        (i32.load (i32.add (local.get $a) (local.get $offset)))
        (i32.load (i32.add (local.get $b) (local.get $offset)))))))
