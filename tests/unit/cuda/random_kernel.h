// Random kernels for differential tests of the GPU code generation (random_kernels_test.cpp): each
// is a valid wasi-parallel kernel whose results are fully determined by Wasm's semantics, so any
// two devices must agree on them bit for bit, except the stores the generator marks as possibly
// holding an arithmetic NaN (whose payload Wasm leaves open). The kernels lean on what the GPU
// lowering rewrites: loops that stream through memory with constant strides and symbolic trip
// counts (compile/gpu_check_versioning.h), neighbouring accesses, accesses at and past the end of
// memory, floating-point values whose NaNs must keep or lose their payload
// (compile/canonical_nan.h), operators that trap, in an order the GPU must keep, calls of helper
// functions, per-thread globals, atomics of every width (8- and 16-bit ones are
// compare-and-swap loops on a GPU), and SIMD (a GPU does it lane by lane).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parawasm::parallel::random_kernel {

// The launch every generated kernel expects: `kIterations` iterations over two buffers, `in`
// (read only, its last byte the last byte of memory) and `out` (each iteration writes only its
// own `kOutPerIteration` bytes).
constexpr uint32_t kIterations = 16;
constexpr uint32_t kOutPerIteration = 384;
constexpr uint32_t kOutAddress = 65536, kOutSize = kIterations * kOutPerIteration;
constexpr uint32_t kInAddress = 131072, kInSize = 65536;
constexpr uint32_t kMemoryPages = (kInAddress + kInSize) / 65536;

// Bytes of an iteration's out region whose value may be an arithmetic NaN: compared as "both NaN
// or equal", each element `width` bytes.
struct LooseRange {
  uint32_t offset, size, width;
};

struct Kernel {
  std::string wat;
  std::vector<LooseRange> loose; // within each iteration's kOutPerIteration bytes
  uint32_t blockSize = 0;
};

// The kernel of `seed`, and the in buffer's contents for it (kInSize bytes: random bits with many
// special values: NaNs with payloads, infinities, zeros, subnormals, integer extremes).
Kernel generate(uint64_t seed);
std::vector<uint8_t> inputData(uint64_t seed);

} // namespace parawasm::parallel::random_kernel
