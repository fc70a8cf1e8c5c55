;; The shape of a GPU kernel: the entry pw_gpu_kernel takes GpuLaunchParams (vm/gpu_launch.h), then
;; the kernel's buffer arguments; the thread's global id is the first iteration id and a
;; grid-stride loop takes the rest; every iteration first looks at the trap record. -O0 keeps the
;; kernel function apart from the entry; -O2 inlines it.
;; RUN: parawasm compile --emit=ptx-llvm -O0 %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --check-prefix=OPT
;; RUN: parawasm compile --emit=ptx --sm=80 %s | FileCheck %s --check-prefix=PTX80
;; RUN: parawasm compile --emit=ptx --sm=90 %s | FileCheck %s --check-prefix=PTX90
;; RUN: parawasm compile --emit=ptx --sm=86 %s | FileCheck %s --check-prefix=PTX86
;; RUN: parawasm compile --emit=ptx --sm=120 %s | FileCheck %s --check-prefix=PTX120
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param $a_len i32) (param $c i32) (param $c_len i32)
    (i32.store offset=8 (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))
      (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))))

;; IR: target triple = "nvptx64-nvidia-cuda"
;; IR-LABEL: define internal void @pwf_0(ptr %0, ptr %1, i32 %2,
;; IR-LABEL: define ptx_kernel void @pw_gpu_kernel(ptr addrspace(1) %memory, i64 %span_start, i64 %span_end, i64 %memory_size, ptr addrspace(1) %trap_record, i32 %num_iterations, i32 %block_size, i32 %first_iteration, i32 %last_iteration, i32 %0, i32 %1, i32 %2, i32 %3)
;; The thread's context: a VMContext (56 bytes, zeroed) followed by the memory view.
;; IR: %[[CTX:[0-9]+]] = alloca [136 x i8], align 16
;; IR: call void @llvm.memset.p0.i64(ptr align 16 %[[CTX]], i8 0, i64 88, i1 false)
;; IR: store ptr addrspace(1) %memory,
;; IR: store ptr addrspace(1) %trap_record,
;; IR-DAG: call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
;; IR-DAG: call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
;; IR-DAG: call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
;; IR-DAG: call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
;; IR: next:
;; IR-NEXT: %iteration_id = phi i64
;; IR-NEXT: icmp ult i64 %iteration_id,
;; IR: check_trap:
;; IR-NEXT: %trapped = load atomic i32, ptr addrspace(1) %trap_record monotonic, align 4
;; IR: iteration:
;; IR: call void @pwf_0(ptr %[[CTX]], ptr %[[CTX]], i32 %{{[0-9]+}}, i32 %num_iterations, i32 %block_size, i32 %0, i32 %1, i32 %2, i32 %3) #[[INLINE:[0-9]+]]
;; IR: attributes #[[INLINE]] = { alwaysinline }
;; IR: !nvvm.annotations = !{![[ANN:[0-9]+]]}
;; IR: ![[ANN]] = !{ptr @pw_gpu_kernel, !"kernel", i32 1}

;; OPT-NOT: define {{.*}}@pwf_0
;; OPT: define ptx_kernel void @pw_gpu_kernel(
;; OPT-NOT: alloca
;; OPT-NOT: call {{.*}}@pwf_
;; OPT: ret void

;; PTX80: .version 7.0
;; PTX80: .target sm_80
;; PTX80: .visible .entry pw_gpu_kernel(
;; PTX80-COUNT-5: .param .u64 pw_gpu_kernel_param_
;; PTX80-COUNT-8: .param .u32 pw_gpu_kernel_param_
;; PTX80-NEXT: )
;; PTX80-NOT: .local
;; PTX80-DAG: mov.u32 {{.*}}%tid.x;
;; PTX80-DAG: mov.u32 {{.*}}%ntid.x;
;; PTX80-DAG: mov.u32 {{.*}}%ctaid.x;
;; PTX80-DAG: mov.u32 {{.*}}%nctaid.x;
;; PTX80: ld.volatile.global.u32
;; PTX80: ld.global.u32
;; PTX80: st.global.u32
;; PTX80: atom.global.cas.b32 {{.*}}, 0, 2;
;; PTX80: exit;

;; PTX90: .version 7.8
;; PTX90: .target sm_90
;; PTX86: .version 7.1
;; PTX86: .target sm_86
;; A newer GPU than LLVM 19 knows gets sm_90 PTX, which the driver compiles for it.
;; PTX120: .version 7.8
;; PTX120: .target sm_90
