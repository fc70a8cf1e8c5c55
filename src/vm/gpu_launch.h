// The launch ABI of GPU kernels: what a GPU device passes to the kernel entry that GPU code
// generation emits (compile/gpu_kernel.h), for every GPU back end. Codegen makes one entry
// parameter per row of kGpuLaunchParams, in that order; a device passes a pointer to each field
// the same way (gpuLaunchParamPointers) — the order is written here and nowhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace parawasm::vm {

// The entry's symbol in the emitted module.
inline constexpr const char *kGpuEntrySymbol = "pw_gpu_kernel";

// The entry's parameters: these fields, then one u32 per argument of `kernel` after block_size
// (a buffer's guest pointer and length).
//
// Every access is checked against [spanStart, spanEnd) and traps outside it. Wasm accesses may
// be misaligned; the code tests each address and takes a byte-wise path when it is. The device
// address `memory` must be aligned like spanStart modulo kGpuMirrorAlignment (spanStart a
// multiple of 256 and a cuMemAlloc'd mirror are): codegen's fast path takes a guest-aligned
// access for a device-aligned one without testing the device address.
//
// The launch runs iterations [firstIteration, lastIteration) of a call of numIterations (a
// device that splits a call, over several GPUs or ranks, gives each its sub-range); thread t
// of the grid takes firstIteration + t, then steps by the grid's size.
inline constexpr uint64_t kGpuMirrorAlignment = 16;

struct GpuLaunchParams {
  uint64_t memory;        // device address of the mirror; its byte 0 holds guest address spanStart
  uint64_t spanStart;     // guest address of the mirror's first byte
  uint64_t spanEnd;       // guest address one past the mirror's last byte
  uint64_t memorySize;    // the caller's memory size in bytes (what memory.size reports)
  uint64_t trapRecord;    // device address of a GpuTrapRecord, zeroed before the launch
  uint32_t numIterations; // of the whole call: what the kernel receives
  uint32_t blockSize;     // as the guest passed it; the launch's block shape is the device's choice
  uint32_t firstIteration; // the sub-range this launch runs
  uint32_t lastIteration;
};

// One entry parameter: where its value lies in GpuLaunchParams, its width, and whether it is a
// device address (a pointer into the target's global address space) rather than an integer.
struct GpuLaunchParam {
  size_t offset;
  unsigned bytes;
  bool devicePointer;
  const char *name; // the parameter's name in the emitted IR
};

inline constexpr GpuLaunchParam kGpuLaunchParams[] = {
    {offsetof(GpuLaunchParams, memory), 8, true, "memory"},
    {offsetof(GpuLaunchParams, spanStart), 8, false, "span_start"},
    {offsetof(GpuLaunchParams, spanEnd), 8, false, "span_end"},
    {offsetof(GpuLaunchParams, memorySize), 8, false, "memory_size"},
    {offsetof(GpuLaunchParams, trapRecord), 8, true, "trap_record"},
    {offsetof(GpuLaunchParams, numIterations), 4, false, "num_iterations"},
    {offsetof(GpuLaunchParams, blockSize), 4, false, "block_size"},
    {offsetof(GpuLaunchParams, firstIteration), 4, false, "first_iteration"},
    {offsetof(GpuLaunchParams, lastIteration), 4, false, "last_iteration"},
};
inline constexpr unsigned kGpuLaunchParamCount = unsigned(std::size(kGpuLaunchParams));

// Entry parameter indices codegen reads by name.
enum GpuLaunchParamIndex : unsigned {
  kGpuParamMemory,
  kGpuParamSpanStart,
  kGpuParamSpanEnd,
  kGpuParamMemorySize,
  kGpuParamTrapRecord,
  kGpuParamNumIterations,
  kGpuParamBlockSize,
  kGpuParamFirstIteration,
  kGpuParamLastIteration,
};

static_assert(sizeof(GpuLaunchParams) == 56);
static_assert(kGpuLaunchParamCount == kGpuParamLastIteration + 1);
static_assert(kGpuLaunchParams[kGpuParamTrapRecord].offset ==
              offsetof(GpuLaunchParams, trapRecord));
static_assert(kGpuLaunchParams[kGpuParamFirstIteration].offset ==
              offsetof(GpuLaunchParams, firstIteration));
static_assert(kGpuLaunchParams[kGpuParamLastIteration].offset ==
              offsetof(GpuLaunchParams, lastIteration));

// Writes a pointer to each field of `p`, in entry order, to out[0 .. kGpuLaunchParamCount).
inline void gpuLaunchParamPointers(GpuLaunchParams &p, void **out) {
  for (unsigned k = 0; k < kGpuLaunchParamCount; ++k)
    out[k] = reinterpret_cast<char *>(&p) + kGpuLaunchParams[k].offset;
}

// Where the first trap of a launch is recorded (4-byte aligned, in device memory).
struct GpuTrapRecord {
  uint32_t code;      // 0: no trap; else 1 + TrapCode
  uint32_t iteration; // the iteration that trapped (valid once code != 0 and the launch ended)
};
static_assert(sizeof(GpuTrapRecord) == 8);
static_assert(offsetof(GpuTrapRecord, iteration) == 4);

} // namespace parawasm::vm
