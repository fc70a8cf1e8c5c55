"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cases = [
 # operand type mismatches
 ('(func (result i32) (i64.const 0))', "type mismatch"),
 ('(func (result i32) (i32.add (i32.const 0) (i64.const 0)))', "type mismatch"),
 ('(func (result f32) (f64.const 0))', "type mismatch"),
 ('(func (i32.eqz (f32.const 0)) (drop))', "type mismatch"),
 ('(func (result i32) (f32.eq (f32.const 0) (f64.const 0)))', "type mismatch"),
 ('(func (result i64) (i64.extend_i32_s (i64.const 0)))', "type mismatch"),
 ('(func (result i32) (i32.wrap_i64 (i32.const 0)))', "type mismatch"),
 ('(func (result f64) (f64.promote_f32 (f64.const 0)))', "type mismatch"),
 ('(func (result v128) (i32x4.add (v128.const i64x2 0 0) (i32.const 0)))', "type mismatch"),
 ('(func (i32.add (i32.const 1)) (drop))', "type mismatch"),
 ('(func (drop))', "type mismatch"),
 ('(func (result i32))', "type mismatch"),
 ('(func (i32.const 1))', "type mismatch"),
 ('(func (result i32 i32) (i32.const 1))', "type mismatch"),
 ('(func (result i32) (i32.const 1) (i32.const 2))', "type mismatch"),
 ('(func (param i32) (result i64) (local.get 0))', "type mismatch"),
 ('(func (local f32) (local.set 0 (i32.const 0)))', "type mismatch"),
 ('(func (param i32) (result i64) (local.tee 0 (i32.const 0)))', "type mismatch"),
 # control flow typing
 ('(func (result i32) (block (result i32) (i64.const 0)))', "type mismatch"),
 ('(func (result i32) (block (i32.const 0)))', "type mismatch"),
 ('(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 0))))', "type mismatch"),
 ('(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 0)) (else (i64.const 0))))', "type mismatch"),
 ('(func (if (f32.const 1) (then)))', "type mismatch"),
 ('(func (br_if 0 (i64.const 1)))', "type mismatch"),
 ('(func (result i32) (block (result i32) (br 0)))', "type mismatch"),
 ('(func (result i32) (block (result i32) (br 0 (f32.const 0))))', "type mismatch"),
 ('(func (result i32) (block (result i32) (br_if 0 (i32.const 1) (i32.const 1))))', "type mismatch") if False else None,
 ('(func (block (result i32) (block (result i64) (br_table 0 1 (i32.const 0) (i32.const 0))) (drop)) (drop))', "type mismatch"),
 ('(func (result i32) (return (i64.const 1)))', "type mismatch"),
 ('(func (result i32) (return))', "type mismatch"),
 ('(func (select (i32.const 0) (i64.const 0) (i32.const 1)) (drop))', "type mismatch"),
 ('(func (select (i32.const 0) (i32.const 0) (i64.const 1)) (drop))', "type mismatch"),
 ('(func (param externref) (select (local.get 0) (local.get 0) (i32.const 1)) (drop))', "type mismatch"),
 ('(func (block (param i32) (drop)))', "type mismatch"),
 ('(func (result i32) (i32.const 0) (block (param i32) (result i32) (i64.const 1) (drop)) (drop) (i32.const 0) (block (param i64) (result i32) (drop) (i32.const 0)))', "type mismatch"),
 ('(func (loop (param i32) (drop)))', "type mismatch"),
 # unknown indices
 ('(func (local.get 0) (drop))', "unknown local"),
 ('(func (param i32) (local i64) (local.get 2) (drop))', "unknown local"),
 ('(func (local.set 1 (i32.const 0)))', "unknown local"),
 ('(func (global.get 0) (drop))', "unknown global"),
 ('(global i32 (i32.const 0)) (func (global.set 1 (i32.const 0)))', "unknown global"),
 ('(func (call 5))', "unknown function"),
 ('(start 3)', "unknown function"),
 ('(func (elem.drop 0))', "unknown elem segment"),
 ('(memory 1) (data "") (func (data.drop 1))', "unknown data segment"),
 ('(memory 1) (data "") (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0)))', "unknown data segment"),
 ('(func (drop (i32.load (i32.const 0))))', "unknown memory"),
 ('(func (i32.store (i32.const 0) (i32.const 0)))', "unknown memory"),
 ('(func (drop (memory.size)))', "unknown memory"),
 ('(func (drop (memory.grow (i32.const 0))))', "unknown memory"),
 ('(func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))', "unknown memory"),
 ('(func (call_indirect (type 0) (i32.const 0))) (type (func))', "unknown table"),
 ('(func (drop (table.get 0 (i32.const 0))))', "unknown table"),
 ('(func (drop (table.size 0)))', "unknown table"),
 ('(table 1 funcref) (func (call_indirect (type 9) (i32.const 0)))', "unknown type"),
 ('(func (br 1))', "unknown label"),
 ('(func (block (br_if 2 (i32.const 0))))', "unknown label"),
 ('(func (block (br_table 0 2 (i32.const 0))))', "unknown label"),
 ('(func (ref.func 7) (drop))', "unknown function"),
 ('(data 0 (i32.const 0) "")', "unknown memory"),
 ('(elem (i32.const 0) func)', "unknown table"),
 # immutable globals
 ('(global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))', "global is immutable"),
 # alignment
 ('(memory 1) (func (drop (i32.load align=8 (i32.const 0))))', "alignment must not be larger than natural"),
 ('(memory 1) (func (drop (i32.load8_u align=2 (i32.const 0))))', "alignment must not be larger than natural"),
 ('(memory 1) (func (drop (i64.load32_s align=8 (i32.const 0))))', "alignment must not be larger than natural"),
 ('(memory 1) (func (i64.store16 align=4 (i32.const 0) (i64.const 0)))', "alignment must not be larger than natural"),
 ('(memory 1) (func (drop (f64.load align=16 (i32.const 0))))', "alignment must not be larger than natural"),
 ('(memory 1) (func (drop (v128.load align=32 (i32.const 0))))', "alignment must not be larger than natural"),
 ('(memory 1) (func (drop (v128.load8x8_s align=16 (i32.const 0))))', "alignment must not be larger than natural"),
 # limits
 ('(memory 2 1)', "size minimum must not be greater than maximum"),
 ('(memory 65537)', "memory size must be at most 65536 pages (4GiB)"),
 ('(memory 0 65537)', "memory size must be at most 65536 pages (4GiB)"),
 ('(table 3 2 funcref)', "size minimum must not be greater than maximum"),
 # start function type
 ('(func (param i32)) (start 0)', "start function"),
 ('(func (result i32) (i32.const 0)) (start 0)', "start function"),
 # exports
 ('(func) (export "a" (func 0)) (export "a" (func 0))', "duplicate export name"),
 ('(global i32 (i32.const 0)) (memory 1) (export "x" (global 0)) (export "x" (memory 0))', "duplicate export name"),
 ('(export "f" (func 0))', "unknown function"),
 ('(export "g" (global 0))', "unknown global"),
 ('(export "m" (memory 0))', "unknown memory"),
 ('(export "t" (table 0))', "unknown table"),
 # constant expressions
 ('(global i32 (i32.ctz (i32.const 0)))', "constant expression required"),
 ('(global i32 (nop) (i32.const 0))', "constant expression required") if False else None,
 ('(memory 1) (data (i32.ctz (i32.const 0)) "")', "constant expression required"),
 ('(table 1 funcref) (elem (i64.const 0) func)', "type mismatch"),
 ('(memory 1) (data (i64.const 0) "")', "type mismatch"),
 # reference types
 ('(func $f) (func (result funcref) (ref.func $f)))' if False else '(func (drop (ref.func 0)))', "undeclared function reference"),
 ('(table 1 funcref) (func (table.set 0 (i32.const 0) (ref.null extern)))', "type mismatch"),
 ('(table 1 externref) (func (result funcref) (table.get 0 (i32.const 0)))', "type mismatch"),
 ('(table $a 1 funcref) (table $b 1 externref) (func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0)))', "type mismatch"),
 ('(table 1 externref) (elem funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))', "type mismatch"),
 ('(func (result i32) (ref.is_null (i32.const 0)))', "type mismatch"),
 # simd lanes
 ('(func (result i32) (i32x4.extract_lane 4 (v128.const i64x2 0 0)))', "invalid lane index"),
 ('(func (result i32) (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)))', "invalid lane index"),
 ('(func (result v128) (f64x2.replace_lane 2 (v128.const i64x2 0 0) (f64.const 0)))', "invalid lane index"),
 ('(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))', "invalid lane index"),
 ('(memory 1) (func (result v128) (v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0)))', "invalid lane index"),
 # atomics
 ('(memory 1 1 shared) (func (result i32) (i32.atomic.load align=2 (i32.const 0)))', "alignment must be equal to natural"),
 ('(memory 1 1 shared) (func (result i64) (i64.atomic.rmw.add align=4 (i32.const 0) (i64.const 0)))', "alignment must be equal to natural"),
 ('(func (result i32) (i32.atomic.load (i32.const 0)))', "unknown memory"),
 ('(memory 1 shared)', "shared memory must have maximum"),
]
out = [";; Modules that must fail validation, one rule per case. Numeric indices are used for",
       ";; unknown entities so that the text parser accepts the module and validation rejects it.", ""]
n = 0
for c in cases:
    if c is None: continue
    body, msg = c
    out.append(f'(assert_invalid (module {body}) "{msg}")')
    n += 1
out.append("")
out.append(";; Valid modules that look suspicious: stack-polymorphic code after unreachable and br.")
out.append("""(module
  (func (export "a") (result i32) (unreachable) (i32.add))
  (func (export "b") (result i64) (block (result i64) (br 0 (i64.const 3)) (i64.add)))
  (func (export "c") (result i32) (return (i32.const 4)) (select))
  (func (export "d") (result f64) (loop (result f64) (unreachable) (br 0)) (f64.neg))
  (func (export "e") (param i32) (result i32)
    (block (result i32) (br_table 0 0 (i32.const 5) (local.get 0)) (i64.const 0) (drop)))
  (memory 1)
  (func (export "f") (result i32) (i32.load align=1 (i32.const 0)))
  (func (export "g") (result i64) (i64.load8_u offset=0xffff align=1 (i32.const 0)))
)""")
out.append('(assert_trap (invoke "a") "unreachable")')
out.append('(assert_return (invoke "b") (i64.const 3))')
out.append('(assert_return (invoke "c") (i32.const 4))')
out.append('(assert_trap (invoke "d") "unreachable")')
out.append('(assert_return (invoke "e" (i32.const 1)) (i32.const 5))')
out.append('(assert_return (invoke "f") (i32.const 0))')
out.append('(assert_return (invoke "g") (i64.const 0))')
open(os.path.join(WAST_DIR, "validation.wast"), "w").write("\n".join(out) + "\n")
