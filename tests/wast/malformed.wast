;; Binary modules that the decoder must reject, with a few valid binaries first to show
;; that the encodings used below are otherwise well formed.

;; the smallest module
(module binary
    "\00asm" "\01\00\00\00")
;; one exported function
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\66\00\00\0a\06\01\04\00\41"
    "\2a\0b")
;; custom sections anywhere, empty name allowed
(module binary
    "\00asm" "\01\00\00\00"
    "\00\0e\06\63\75\73\74\6f\6d\70\61\79\6c\6f\61\64\01\04\01\60\00\00\00\01"
    "\00")
;; a non-minimal LEB128 of five bytes is fine
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\67\00\00\0a\0a\01\08\00\41"
    "\aa\80\80\80\00\0b")
;; a local declaration
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\68\00\00\0a\08\01\06\01\01"
    "\7f\20\00\0b")

;; the module with function f above
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\66\00\00\0a\06\01\04\00\41"
    "\2a\0b")
(assert_return (invoke "f") (i32.const 42))
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\67\00\00\0a\0a\01\08\00\41"
    "\aa\80\80\80\00\0b")
(assert_return (invoke "g") (i32.const 42))
(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\07\05\01\01\68\00\00\0a\0f\01\0d\00\42"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\7f\0b")
(assert_return (invoke "h") (i64.const -1))

;; empty file
(assert_malformed
  (module binary "")
  "unexpected end")
;; truncated magic
(assert_malformed
  (module binary
    "\00\61\73")
  "unexpected end")
;; missing version
(assert_malformed
  (module binary
    "\00\61\73\6d")
  "unexpected end")
;; truncated version
(assert_malformed
  (module binary
    "\00\61\73\6d\01\00\00")
  "unexpected end")
;; magic bytes in the wrong order
(assert_malformed
  (module binary
    "\61\73\6d\00\01\00\00\00")
  "magic header not detected")
;; upper-case magic
(assert_malformed
  (module binary
    "\00\41\53\4d\01\00\00\00")
  "magic header not detected")
;; extra byte in the magic
(assert_malformed
  (module binary
    "\00\77\61\73\6d\01\00\00")
  "magic header not detected")
;; version 2
(assert_malformed
  (module binary
    "\00\61\73\6d\02\00\00\00")
  "unknown binary version")
;; big-endian version
(assert_malformed
  (module binary
    "\00\61\73\6d\00\00\00\01")
  "unknown binary version")
;; component-model layer
(assert_malformed
  (module binary
    "\00\61\73\6d\0d\00\01\00")
  "unknown binary version")
;; section id 14 does not exist
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\0e\00")
  "malformed section id")
;; section id 127 does not exist
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\7f\00")
  "malformed section id")
;; section id without size
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01")
  "unexpected end")
;; section shorter than its size
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00")
  "unexpected end")
;; section longer than its contents
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\00\00")
  "section size mismatch")
;; custom section name longer than the section
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\01\05")
  "unexpected end")
;; section size LEB128 over 32 bits
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\80\80\80\80\10")
  "integer too large")
;; section size LEB128 of six bytes
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\82\80\80\80\80\00")
  "integer representation too long")
;; i32.const LEB128 of six bytes
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\0a\0b\01\09\00\41\80\80\80\80\80\00\0b")
  "integer representation too long")
;; i32.const with unused bits that are not a sign extension
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\0a\0a\01\08\00\41\80\80\80\80\70\0b")
  "integer too large")
;; i64.const LEB128 of eleven bytes
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\0a\10\01\0e\00\42\80\80\80\80\80\80\80"
    "\80\80\80\00\0b")
  "integer representation too long")
;; i64.const LEB128 overflowing 64 bits
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\0a\0f\01\0d\00\42\80\80\80\80\80\80\80"
    "\80\80\02\0b")
  "integer too large")
;; opcode 0xff
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\05\01\03\00\ff\0b")
  "illegal opcode")
;; opcode 0xd3 (not in 2.0)
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\05\01\03\00\d3\0b")
  "illegal opcode")
;; unknown 0xfc sub-opcode
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\06\01\04\00\fc\7f\0b")
  "illegal opcode")
;; unknown SIMD sub-opcode
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\07\01\05\00\fd\ff\0f\0b")
  "illegal opcode")
;; function body without end
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\04\01\02\00\01")
  "unexpected end")
;; functions without bodies
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\03\02\00\00")
  "function and code section have inconsistent lengths")
;; more bodies than functions
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\07\02\02\00\0b\02\00\0b")
  "function and code section have inconsistent lengths")
;; bodies without a function section
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\0a\04\01\02\00\0b")
  "function and code section have inconsistent lengths")
;; local count above 2^32
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\0c\01\0a\02\ff\ff\ff\ff\0f\7f\01\7e\0b")
  "too many locals")
;; export name that is not UTF-8
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\07\05\01\01\ff\00\00")
  "malformed UTF-8 encoding")
;; overlong encoding of NUL
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\07\06\01\02\c0\80\00\00")
  "malformed UTF-8 encoding")
;; surrogate code point in an import name
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\02\09\01\01\6d\03\ed\a0\80\00\00")
  "malformed UTF-8 encoding")
;; five-byte sequence in a custom section name
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\06\05\f8\88\80\80\80")
  "malformed UTF-8 encoding")
;; import kind 5
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\02\07\01\01\6d\01\66\05\00")
  "malformed import kind")
;; export kind 5
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\07\05\01\01\66\05\00\0a\04\01\02\00\0b")
  "malformed export kind")

;; Text-format modules that cannot be parsed.
(assert_malformed (module quote "(func (drop (i32.const 0x100000000)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i32.const -0x80000001)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i64.const 18446744073709551616)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f32.const 0x1p128)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f32.const nan:0x800000)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f64.const nan:0x0)))") "constant out of range")
(assert_malformed (module quote "(func (i32.frobnicate))") "unknown operator")
(assert_malformed (module quote "(func (drop (i32.load align=3 (i32.const 0))))") "alignment")
(assert_malformed (module quote "(memory 1) (func (drop (i32.load offset=0x100000000 (i32.const 0))))") "i32 constant")
(assert_malformed (module quote "(type $t (func)) (type $t (func))") "duplicate type")
(assert_malformed (module quote "(func $f) (func $f)") "duplicate func")
(assert_malformed (module quote "(func (param $x i32) (local $x i32))") "duplicate local")
