;; Multi-memory and memory64 (issue 14) on a GPU: a kernel mirrors one span of one 32-bit memory,
;; so a module with a second memory, or a 64-bit one, is refused before any code is made
;; (Unsupported; wasi-parallel turns it into not_supported and the cpu device runs it).
;; RUN: not parawasm compile --emit=ptx %s 2>&1 | FileCheck %s --check-prefix=MULTI
;; RUN: sed 's/(memory \$second 1)//; s/(memory 1 1 shared)/(memory i64 1 1 shared)/; s/(i32.const 0)/(i64.const 0)/' %s > %t.wat
;; RUN: not parawasm compile --emit=ptx %t.wat 2>&1 | FileCheck %s --check-prefix=MEM64
(module
  (import "env" "memory" (memory 1 1 shared))
  (memory $second 1)
  (func (export "kernel") (param i32 i32 i32)
    (i32.store (i32.const 0) (local.get 0))))

;; MULTI: error: {{.*}}kernel uses multi-memory (2 memories), which a GPU cannot run
;; MEM64: error: {{.*}}kernel uses a 64-bit memory (memory64), which a GPU cannot run
