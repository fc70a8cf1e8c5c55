// A guest for driving wasi-parallel from tests: a small Wasm module whose exports forward to the
// five imports, so a test plays the guest program — it writes kernels and data into the guest's
// memory and makes the calls a guest would, with any argument it likes.
#pragma once

#include "parawasm/parallel.h"
#include "parawasm/parawasm.h"
#include "wasm/loaded_module.h"

#include "uncached_engine.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace parawasm::test {

// One engine for the whole test binary: kernels compile once and stay cached across tests.
inline Engine &testEngine() { return uncachedEngine(); }

inline std::vector<uint8_t> wat(const std::string &text) {
  auto bytes = wasm::watToWasm(text, "test.wat");
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message()) << "\n" << text;
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

// The guest: 4 pages of memory (or `memoryDecl`), exports forwarding to the five calls, and
// `exec_loop`, which calls parallel_exec `count` times and returns the first error.
inline std::string guestText(const std::string &memoryDecl = "(memory (export \"memory\") 4)") {
  return R"((module
  (import "wasi_ephemeral_parallel" "get_device" (func $gd (param i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "create_buffer" (func $cb (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "write_buffer" (func $wb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "read_buffer" (func $rb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func $pe (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  )" + memoryDecl +
         R"(
  (func (export "get_device") (param i32 i32) (result i32)
    (call $gd (local.get 0) (local.get 1)))
  (func (export "create_buffer") (param i32 i32 i32 i32) (result i32)
    (call $cb (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "write_buffer") (param i32 i32 i32) (result i32)
    (call $wb (local.get 0) (local.get 1) (local.get 2)))
  (func (export "read_buffer") (param i32 i32 i32) (result i32)
    (call $rb (local.get 0) (local.get 1) (local.get 2)))
  (func (export "parallel_exec") (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $pe (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
              (local.get 5) (local.get 6) (local.get 7) (local.get 8)))
  (func (export "exec_loop") (param $count i32)
        (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local $err i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $err
          (call $pe (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)
                    (local.get 6) (local.get 7) (local.get 8) (local.get 9)))
        (br_if $done (local.get $err))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $err))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
))";
}

struct DeviceParam {
  const char *name;   // gtest suffix
  const char *device; // ParallelConfig::device
  unsigned threads;
};

class Guest {
public:
  static std::unique_ptr<Guest>
  make(const ParallelConfig &config,
       const std::string &memoryDecl = "(memory (export \"memory\") 4)") {
    auto g = std::unique_ptr<Guest>(new Guest());
    auto ctx = ParallelContext::create(testEngine(), config);
    EXPECT_TRUE(ctx.ok()) << (ctx.ok() ? "" : ctx.error().message());
    if (!ctx)
      return nullptr;
    g->context = *ctx;
    if (!g->instantiate(memoryDecl))
      return nullptr;
    return g;
  }

  // Another instance (own memory) on the same context.
  std::unique_ptr<Guest> sibling(const std::string &memoryDecl = "(memory (export \"memory\") 4)") {
    auto g = std::unique_ptr<Guest>(new Guest());
    g->context = context;
    if (!g->instantiate(memoryDecl))
      return nullptr;
    return g;
  }

  int32_t call(const char *name, std::vector<int32_t> args) {
    auto f = instance->getFunc(name);
    EXPECT_TRUE(f.has_value()) << name;
    std::vector<Val> vals;
    for (int32_t a : args)
      vals.push_back(Val::makeI32(a));
    auto r = f->call(vals);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? (*r)[0].of.i32 : -1;
  }

  uint8_t *mem() { return instance->memory()->data(); }
  uint64_t memSize() { return instance->memory()->size(); }

  // Copies bytes into guest memory at a fresh 16-byte aligned address.
  uint32_t place(const void *data, size_t size) {
    uint32_t at = alloc(uint32_t(size));
    if (size)
      std::memcpy(mem() + at, data, size);
    return at;
  }
  uint32_t place(const std::vector<uint8_t> &bytes) { return place(bytes.data(), bytes.size()); }
  template <class T> uint32_t placeArray(const std::vector<T> &v) {
    return place(v.data(), v.size() * sizeof(T));
  }
  uint32_t alloc(uint32_t size) {
    uint32_t at = next_;
    next_ = (next_ + size + 15) & ~15u;
    EXPECT_LE(next_, memSize()) << "test guest out of memory";
    return at;
  }
  template <class T> T read(uint32_t at) {
    T v;
    std::memcpy(&v, mem() + at, sizeof v);
    return v;
  }
  template <class T> void write(uint32_t at, T v) { std::memcpy(mem() + at, &v, sizeof v); }

  int32_t device(int32_t hint) {
    int32_t err = call("get_device", {hint, int32_t(scratch_)});
    EXPECT_EQ(err, 0) << "get_device(" << hint << ")";
    return read<int32_t>(scratch_);
  }
  // create_buffer + write_buffer on [address, address + size).
  int32_t buffer(int32_t device, uint32_t address, uint32_t size, int32_t access) {
    EXPECT_EQ(call("create_buffer", {device, int32_t(size), access, int32_t(scratch_)}), 0);
    int32_t b = read<int32_t>(scratch_);
    EXPECT_EQ(call("write_buffer", {int32_t(address), int32_t(size), b}), 0);
    return b;
  }
  // parallel_exec with the kernel and handle lists placed in guest memory.
  int32_t exec(int32_t device, uint32_t kernel, uint32_t kernelLen, uint32_t n, uint32_t block,
               const std::vector<int32_t> &in, const std::vector<int32_t> &out) {
    uint32_t inAt = placeArray(in), outAt = placeArray(out);
    return call("parallel_exec",
                {device, int32_t(kernel), int32_t(kernelLen), int32_t(n), int32_t(block),
                 int32_t(inAt), int32_t(in.size()), int32_t(outAt), int32_t(out.size())});
  }

  std::shared_ptr<ParallelContext> context;
  std::optional<Instance> instance;

private:
  Guest() = default;
  bool instantiate(const std::string &memoryDecl) {
    auto module = Module::fromText(testEngine(), guestText(memoryDecl), "guest.wat");
    EXPECT_TRUE(module.ok()) << (module.ok() ? "" : module.error().message());
    if (!module)
      return false;
    Linker linker(testEngine());
    addWasiParallelToLinker(linker, context);
    auto inst = linker.instantiate(*module);
    EXPECT_TRUE(inst.ok()) << (inst.ok() ? "" : inst.error().message());
    if (!inst)
      return false;
    instance = *inst;
    scratch_ = alloc(16);
    return true;
  }
  uint32_t next_ = 64; // keep address 0 unused
  uint32_t scratch_ = 0;
};

// A kernel module text: imports memory as env.memory with `memoryType` and defines `kernel`
// with `buffers` (ptr, len) pairs named $p0,$l0,$p1,$l1... around `body`.
inline std::string kernelText(int buffers, const std::string &body, const std::string &extra = "",
                              const std::string &memoryType = "0") {
  std::string params = "(param $i i32) (param $n i32) (param $bs i32)";
  for (int b = 0; b < buffers; ++b)
    params += " (param $p" + std::to_string(b) + " i32) (param $l" + std::to_string(b) + " i32)";
  return "(module (import \"env\" \"memory\" (memory " + memoryType + "))\n" + extra +
         "\n(func (export \"kernel\") " + params + "\n" + body + "))";
}

} // namespace parawasm::test
