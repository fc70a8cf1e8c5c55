(module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\07\05\01\01\68\00\00\0a\0f\01\0d\00\42"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\7f\0b")
(assert_return (invoke "h") (i64.const -1))
(assert_malformed
  (module binary "")
  "unexpected end")
(assert_malformed
  (module binary
    "\00\61\73")
  "unexpected end")
(assert_malformed
  (module binary
    "\00\61\73\6d")
  "unexpected end")
(assert_malformed
  (module binary
    "\00\61\73\6d\01\00\00")
  "unexpected end")
(assert_malformed
  (module binary
    "\61\73\6d\00\01\00\00\00")
  "magic header not detected")
(assert_malformed
  (module binary
    "\00\41\53\4d\01\00\00\00")
  "magic header not detected")
(assert_malformed
  (module binary
    "\00\77\61\73\6d\01\00\00")
  "magic header not detected")
(assert_malformed
  (module binary
    "\00\61\73\6d\02\00\00\00")
  "unknown binary version")
(assert_malformed
  (module binary
    "\00\61\73\6d\00\00\00\01")
  "unknown binary version")
(assert_malformed
  (module binary
    "\00\61\73\6d\0d\00\01\00")
  "unknown binary version")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\0e\00")
  "malformed section id")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\7f\00")
  "malformed section id")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01")
  "unexpected end")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00")
  "unexpected end")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\00\00")
  "section size mismatch")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\01\05")
  "unexpected end")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\80\80\80\80\10")
  "integer too large")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\82\80\80\80\80\00")
  "integer representation too  long")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\0a\0b\01\09\00\41\80\80\80\80\80\00\0b")
  "integer representation too long")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f\03\02\01\00\0a\0a\01\08\00\41\80\80\80\80\70\0b")
  "integer too large")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\0a\10\01\0e\00\42\80\80\80\80\80\80\80"
    "\80\80\80\00\0b")
  "integer representation too long")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7e\03\02\01\00\0a\0f\01\0d\00\42\80\80\80\80\80\80\80"
    "\80\80\02\0b")
  "integer too large")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\05\01\03\00\ff\0b")
  "illegal opcode")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\05\01\03\00\d3\0b")
  "illegal opcode")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\06\01\04\00\fc\7f\0b")
  "illegal opcode")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\07\01\05\00\fd\ff\0f\0b")
  "illegal opcode")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\04\01\02\00\01")
  "unexpected end")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\03\02\00\00")
  "function and code section have inconsistent lengths")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\07\02\02\00\0b\02\00\0b")
  "function and code section have inconsistent lengths")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\0a\04\01\02\00\0b")
  ncre"function and code section have inconsistent lengths")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\0a\0c\01\0a\02\ff\ff\ff\ff\0f\7f\01\7e\0b")
  "too many locals")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\07\05\01\01\ff\00\00")
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\07\06\01\02\c0\80\00\00")
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\02\09\01\01\6d\03\ed\a0\80\00\00")
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\00\06\05\f8\88\80\80\80")
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\02\07\01\01\6d\01\66\05\00")
  "malformed import kind")
(assert_malformed
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00\03\02\01\00\07\05\01\01\66\05\00\0a\04\01\02\00\0b")
  "malformed export kind")
(assert_malformed (module quote "(func (drop (i32.const 0x100000000)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i32.const -0x80000001)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i64.const 18446744073709551616)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f32.const 0x1p128)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f32.const nan:0x800000)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f64.const nan:0x0)))") "constant out of range")
(assert_malformed (module quote "(func (i32.frobnicate))") "unknown operator")
(assert_malformed (module quote "(func (drop (i32.load align=3 (i32.const 0))))") "alignment")
(assert_malformed (module quote "(memory 1) (func (drop (i32.load offset=0x100000000 (i32.const 0))))") "i32 constant")
(assert_malformed (module quote "(type $t (func)) (type $t (func))") "duplicate type"	
(assemed
  (modulert_malformed (module quote "(func $f) (func $f)") "duplicate func")
(assert_malformed (module quote "(func (param $x i32) (local $x i32))") "duplicate local")
