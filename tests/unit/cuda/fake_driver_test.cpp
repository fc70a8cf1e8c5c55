// The GPU device's host side against a fake CUDA driver (fake_driver/fake_cuda.h), so it runs on
// every machine: discovery, the mirror of guest memory, which copies happen, the launch
// parameters the PTX entry receives, trap records, driver failures. The kernels are compiled to
// PTX for real; the fake runs a C++ stand-in for each instead. Each test runs in a fresh process
// (the driver is opened once per process) with $PARAWASM_CUDA_DRIVER naming the fake.
#include "compile/ptx.h"
#include "cuda/cuda.h"
#include "cuda/gpu_device.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"
#include "vm/gpu_launch.h"
#include "wasm/loaded_module.h"

#include "engine_access.h"
#include "fake_driver/fake_harness.h"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <thread>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace parawasm::parallel {
namespace {

#ifdef PW_FAKE_CUDA_PATH

std::shared_ptr<cuda::GpuDevice> fakeGpu() {
  std::vector<std::shared_ptr<Device>> devices;
  cuda::provideGpuDevices(DeviceOptions{}, devices);
  return devices.size() == 1 ? std::static_pointer_cast<cuda::GpuDevice>(devices[0]) : nullptr;
}

constexpr const char *kVectorAdd = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param i32) (param $b i32) (param i32) (param $c i32) (param i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (i32.store (i32.add (local.get $c) (local.get $o))
      (i32.add (i32.load (i32.add (local.get $a) (local.get $o)))
               (i32.load (i32.add (local.get $b) (local.get $o))))))))";

// What the PTX entry receives (vm::GpuLaunchParams, then the buffer arguments).
struct Seen {
  vm::GpuLaunchParams p{};
  std::vector<uint32_t> args;
  bool recordWasClear = true;
  bool accessesInside = true;
};
Seen seen;

Seen decode(const PwFakeLaunch &l, unsigned numArgs) {
  Seen s;
  auto u32 = [&](int k) { return *static_cast<uint32_t *>(l.params[k]); };
  // Each entry parameter into its field, as the ABI table places it.
  for (unsigned k = 0; k < vm::kGpuLaunchParamCount; ++k)
    std::memcpy(reinterpret_cast<char *>(&s.p) + vm::kGpuLaunchParams[k].offset, l.params[k],
                vm::kGpuLaunchParams[k].bytes);
  for (unsigned k = 0; k < numArgs; ++k)
    s.args.push_back(u32(int(vm::kGpuLaunchParamCount + k)));
  auto *record = reinterpret_cast<const vm::GpuTrapRecord *>(s.p.trapRecord);
  s.recordWasClear = record->code == 0 && record->iteration == 0;
  return s;
}

// Guest address -> the mirror's bytes, as the PTX computes it (and checks it).
template <class T> T *device(const Seen &s, uint64_t address) {
  if (address < s.p.spanStart || address + sizeof(T) > s.p.spanEnd) {
    seen.accessesInside = false;
    static T dummy;
    return &dummy;
  }
  return reinterpret_cast<T *>(s.p.memory + (address - s.p.spanStart));
}

// C++ stand-in for kVectorAdd.
void vectorAdd(const PwFakeLaunch &l) {
  seen = decode(l, 6);
  for (uint32_t i = seen.p.firstIteration; i < seen.p.lastIteration; ++i)
    *device<int32_t>(seen, seen.args[4] + 4 * i) =
        *device<int32_t>(seen, seen.args[0] + 4 * i) + *device<int32_t>(seen, seen.args[2] + 4 * i);
}

// A launch whose iteration 17 trapped out of bounds.
void trapsAt17(const PwFakeLaunch &l) {
  seen = decode(l, 0);
  auto *record = reinterpret_cast<vm::GpuTrapRecord *>(seen.p.trapRecord);
  record->code = 1 + uint32_t(TrapCode::MemoryOutOfBounds);
  record->iteration = 17;
}

Status launch(Device &d, Guest &g, std::shared_ptr<KernelModule> k, uint32_t n, uint32_t block,
              std::vector<LaunchBuffer> buffers, uint32_t first = 0,
              uint32_t last = Launch::kToTheEnd) {
  return d.launch(launchOf(std::move(k), g, n, block, std::move(buffers), first, last));
}

bool discovery() {
  auto d = fakeGpu();
  PW_CHECK(d);
  PW_CHECK(d->kind() == DeviceKind::DiscreteGpu);
  PW_CHECK(d->name() == "parawasm fake GPU");
  std::string details = d->details();
  std::fprintf(stderr, "details: %s\n", details.c_str());
  PW_CHECK(details.find("compute capability 8.6") != std::string::npos);
  PW_CHECK(details.find("CUDA driver 12.4") != std::string::npos);
  PW_CHECK(details.find("PTX for sm_86") != std::string::npos);
  // The same device object every time: compiled kernels stay loaded.
  PW_CHECK(fakeGpu() == d);
  return true;
}

TEST_F(FakeDriver, DiscoversTheDevice) { PW_RUN_WITH_FAKE_DRIVER(discovery); }

bool vectorAddEndToEnd() {
  Fake fake;
  PW_CHECK(fake.setKernel);
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  PW_CHECK(d);
  auto k = kernel(kVectorAdd);
  PW_CHECK(k);
  Guest g;
  constexpr uint32_t n = 1000, a = 1000, b = a + 4 * n, c = b + 4 * n;
  for (uint32_t i = 0; i < n; ++i) {
    g.at<int32_t>(a)[i] = int32_t(i);
    g.at<int32_t>(b)[i] = int32_t(7 * i);
    g.at<int32_t>(c)[i] = 12345;
  }
  std::unique_ptr<DeviceBuffer> ba, bb, bc;
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Read, ba));
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Read, bb));
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Write, bc));
  PW_CHECK_OK(d->writeBuffer(ba.get(), g.memory, a, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(bb.get(), g.memory, b, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(bc.get(), g.memory, c, 4 * n, AccessKind::Write));
  // A write-only buffer is bound, never copied in.
  PW_CHECK(fake.stats().hostToDeviceBytes == 8 * n);
  std::vector<LaunchBuffer> buffers{{a, 4 * n, AccessKind::Read, true, false, ba.get()},
                                    {b, 4 * n, AccessKind::Read, true, false, bb.get()},
                                    {c, 4 * n, AccessKind::Write, false, true, bc.get()}};
  PW_CHECK_OK(launch(*d, g, k, n, 128, buffers));
  PW_CHECK(seen.accessesInside);
  PW_CHECK(seen.recordWasClear);
  // The entry gets the guest's own addresses and values.
  PW_CHECK((seen.args == std::vector<uint32_t>{a, 4 * n, b, 4 * n, c, 4 * n}));
  PW_CHECK(seen.p.numIterations == n && seen.p.blockSize == 128);
  PW_CHECK(seen.p.memorySize == g.memory.size());
  PW_CHECK(seen.p.spanStart % 256 == 0 && seen.p.spanStart <= a && seen.p.spanEnd >= c + 4 * n);
  PW_CHECK(seen.p.spanEnd % 256 == 0);
  PW_CHECK(fake.stats().lastBlockX == 128 && fake.stats().lastGridX == 8);
  // Results are on the device until read_buffer.
  PW_CHECK(g.at<int32_t>(c)[3] == 12345);
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, c, 4 * n, AccessKind::Write));
  for (uint32_t i = 0; i < n; ++i)
    PW_CHECK(g.at<int32_t>(c)[i] == int32_t(8 * i));
  // A read-only buffer read back onto itself copies nothing.
  size_t before = fake.stats().deviceToHostBytes;
  PW_CHECK_OK(d->readBuffer(ba.get(), g.memory, a, a, 4 * n, AccessKind::Read));
  PW_CHECK(fake.stats().deviceToHostBytes == before);
  // The kernel was compiled and loaded once for any number of launches.
  PW_CHECK_OK(launch(*d, g, k, n, 128, buffers));
  PW_CHECK_OK(launch(*d, g, k, n, 128, buffers));
  PW_CHECK(fake.stats().modulesLoaded == 1 && d->compiledKernels() == 1);
  return true;
}

TEST_F(FakeDriver, RunsAKernelOnMirroredMemory) { PW_RUN_WITH_FAKE_DRIVER(vectorAddEndToEnd); }

// A launch of a sub-range [first, last) of a call: the entry gets the range and the whole
// call's count, and the grid covers only the range.
bool subRange() {
  Fake fake;
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  PW_CHECK(d);
  auto k = kernel(kVectorAdd);
  PW_CHECK(k);
  Guest g;
  constexpr uint32_t n = 1000, a = 1000, b = a + 4 * n, c = b + 4 * n;
  for (uint32_t i = 0; i < n; ++i) {
    g.at<int32_t>(a)[i] = int32_t(i);
    g.at<int32_t>(b)[i] = int32_t(7 * i);
    g.at<int32_t>(c)[i] = -1;
  }
  std::unique_ptr<DeviceBuffer> ba, bb, bc;
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Read, ba));
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Read, bb));
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::ReadWrite, bc));
  PW_CHECK_OK(d->writeBuffer(ba.get(), g.memory, a, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(bb.get(), g.memory, b, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(bc.get(), g.memory, c, 4 * n, AccessKind::ReadWrite));
  std::vector<LaunchBuffer> buffers{{a, 4 * n, AccessKind::Read, true, false, ba.get()},
                                    {b, 4 * n, AccessKind::Read, true, false, bb.get()},
                                    {c, 4 * n, AccessKind::ReadWrite, true, true, bc.get()}};
  PW_CHECK_OK(launch(*d, g, k, n, 128, buffers, 300, 556));
  PW_CHECK(seen.p.numIterations == n);
  PW_CHECK(seen.p.firstIteration == 300 && seen.p.lastIteration == 556);
  PW_CHECK(fake.stats().lastBlockX == 128 && fake.stats().lastGridX == 2); // 256 iterations
  // An empty range launches nothing.
  size_t launches = fake.stats().launches;
  PW_CHECK_OK(launch(*d, g, k, n, 128, buffers, 400, 400));
  PW_CHECK(fake.stats().launches == launches);
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, c, 4 * n, AccessKind::ReadWrite));
  for (uint32_t i = 0; i < n; ++i)
    PW_CHECK(g.at<int32_t>(c)[i] == (i >= 300 && i < 556 ? int32_t(8 * i) : -1));
  return true;
}

TEST_F(FakeDriver, RunsASubRangeOfACall) { PW_RUN_WITH_FAKE_DRIVER(subRange); }

bool writeOnlyBuffers() {
  Fake fake;
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  auto k = kernel(kVectorAdd);
  PW_CHECK(d && k);
  Guest g;
  constexpr uint32_t n = 8, a = 0, c = 512, copy = 1024;
  for (uint32_t i = 0; i < n; ++i) {
    g.at<int32_t>(a)[i] = int32_t(i);
    g.at<int32_t>(c)[i] = -1;
  }
  std::unique_ptr<DeviceBuffer> ba, bc;
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Read, ba));
  PW_CHECK_OK(d->createBuffer(4 * n, AccessKind::Write, bc));
  PW_CHECK_OK(d->writeBuffer(ba.get(), g.memory, a, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(bc.get(), g.memory, c, 4 * n, AccessKind::Write));
  std::vector<LaunchBuffer> buffers{{a, 4 * n, AccessKind::Read, true, false, ba.get()},
                                    {a, 4 * n, AccessKind::Read, true, false, ba.get()},
                                    {c, 4 * n, AccessKind::Write, false, true, bc.get()}};
  // Zero iterations: the output is what the guest had, read onto itself or elsewhere, and the
  // device's (uninitialised) copy is never read.
  PW_CHECK_OK(launch(*d, g, k, 0, 32, buffers));
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, c, 4 * n, AccessKind::Write));
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, copy, 4 * n, AccessKind::Write));
  PW_CHECK(fake.stats().deviceToHostBytes == 0);
  PW_CHECK(g.at<int32_t>(c)[0] == -1 && g.at<int32_t>(copy)[n - 1] == -1);
  // After a launch the device holds the results.
  PW_CHECK_OK(launch(*d, g, k, n, 32, buffers));
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, copy, 4 * n, AccessKind::Write));
  for (uint32_t i = 0; i < n; ++i)
    PW_CHECK(g.at<int32_t>(copy)[i] == int32_t(2 * i));
  PW_CHECK(g.at<int32_t>(c)[1] == -1);
  // Binding it again hands the contents back to the guest's region.
  PW_CHECK_OK(d->writeBuffer(bc.get(), g.memory, c, 4 * n, AccessKind::Write));
  PW_CHECK_OK(d->readBuffer(bc.get(), g.memory, c, copy, 4 * n, AccessKind::Write));
  PW_CHECK(g.at<int32_t>(copy)[1] == -1);
  return true;
}

TEST_F(FakeDriver, WriteOnlyBuffersHoldTheGuestsDataUntilALaunch) {
  PW_RUN_WITH_FAKE_DRIVER(writeOnlyBuffers);
}

bool blockShapes() {
  Fake fake;
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  auto k = kernel(kVectorAdd);
  PW_CHECK(d && k);
  Guest g;
  constexpr uint32_t n = 1000;
  std::vector<LaunchBuffer> buffers{{0, 4 * n, AccessKind::Read, true, false, nullptr},
                                    {0, 4 * n, AccessKind::Read, true, false, nullptr},
                                    {8192, 4 * n, AccessKind::Write, false, true, nullptr}};
  PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, 0, 4 * n, AccessKind::Read));
  PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, 8192, 4 * n, AccessKind::Write));
  struct Case {
    uint32_t block, threads, grid;
  } cases[] = {
      {128, 128, 8},    // the guest's block size
      {1, 256, 4},      // below a warp: the default
      {100, 96, 11},    // whole warps
      {100000, 512, 2}, // clamped to what the kernel can launch (the fake says 512)
  };
  for (const Case &c : cases) {
    PW_CHECK_OK(launch(*d, g, k, n, c.block, buffers));
    std::fprintf(stderr, "block %u -> %u x %u\n", c.block, fake.stats().lastGridX,
                 fake.stats().lastBlockX);
    PW_CHECK(fake.stats().lastBlockX == c.threads && fake.stats().lastGridX == c.grid);
    PW_CHECK(seen.p.blockSize == c.block); // the kernel still sees the guest's value
  }
  return true;
}

TEST_F(FakeDriver, ChoosesTheBlockShape) { PW_RUN_WITH_FAKE_DRIVER(blockShapes); }

bool trapRecords() {
  Fake fake;
  fake.setKernel(trapsAt17);
  auto d = fakeGpu();
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32))))");
  PW_CHECK(d && k);
  Guest g;
  Status s = launch(*d, g, k, 100, 32, {});
  PW_CHECK(s.code == ErrorCode::KernelTrapped);
  PW_CHECK(s.trap == TrapCode::MemoryOutOfBounds);
  std::fprintf(stderr, "message: %s\n", s.message.c_str());
  PW_CHECK(s.message == "out of bounds memory access in iteration 17");
  // The record is cleared before every launch.
  fake.setKernel(vectorAdd);
  Status again = launch(*d, g, kernel(kVectorAdd), 0, 32, {});
  PW_CHECK(again.isOk());
  fake.setKernel([](const PwFakeLaunch &l) { seen = decode(l, 0); });
  PW_CHECK_OK(launch(*d, g, k, 5, 32, {}));
  PW_CHECK(seen.recordWasClear);
  return true;
}

TEST_F(FakeDriver, ReportsTheFirstTrapWithItsIteration) { PW_RUN_WITH_FAKE_DRIVER(trapRecords); }

bool mirrorsGrowAndGo() {
  Fake fake;
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  auto k = kernel(kVectorAdd);
  PW_CHECK(d && k);
  size_t baseline;
  {
    Guest g;
    constexpr uint32_t n = 16, a = 300, c = 600;
    for (uint32_t i = 0; i < n; ++i)
      g.at<int32_t>(a)[i] = int32_t(i + 1);
    PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, a, 4 * n, AccessKind::Read));
    PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, c, 4 * n, AccessKind::ReadWrite));
    baseline = fake.stats().liveAllocations; // trap record + one mirror
    PW_CHECK(d->mirrors() == 1);
    PW_CHECK_OK(launch(*d, g, k, n, 32,
                       {{a, 4 * n, AccessKind::Read, true, false, nullptr},
                        {a, 4 * n, AccessKind::Read, true, false, nullptr},
                        {c, 4 * n, AccessKind::ReadWrite, true, true, nullptr}}));
    // Binding far above moves the mirror; the results not read yet move along.
    PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, 200000, 64, AccessKind::Read));
    PW_CHECK(fake.stats().liveAllocations == baseline && d->mirrors() == 1);
    PW_CHECK_OK(d->readBuffer(nullptr, g.memory, c, c, 4 * n, AccessKind::ReadWrite));
    for (uint32_t i = 0; i < n; ++i)
      PW_CHECK(g.at<int32_t>(c)[i] == int32_t(2 * (i + 1)));
    // read_buffer elsewhere copies the device's contents there.
    PW_CHECK_OK(d->readBuffer(nullptr, g.memory, c, 100000, 4 * n, AccessKind::ReadWrite));
    PW_CHECK(std::memcmp(g.at<int32_t>(100000), g.at<int32_t>(c), 4 * n) == 0);
    // A region outside the mirror was never bound on this device: it cannot be read.
    Status s = d->readBuffer(nullptr, g.memory, 250000, 0, 16, AccessKind::ReadWrite);
    PW_CHECK(s.code == ErrorCode::InvalidArgument);
    // A launch whose buffer lies outside the mirror is refused.
    s = launch(*d, g, k, 1, 32,
               {{a, 4, AccessKind::Read, true, false, nullptr},
                {a, 4, AccessKind::Read, true, false, nullptr},
                {250000, 4, AccessKind::Write, false, true, nullptr}});
    PW_CHECK(s.code == ErrorCode::InvalidArgument);
  }
  // The guest memory is gone: its mirror goes with the next call.
  Guest other;
  PW_CHECK_OK(d->writeBuffer(nullptr, other.memory, 0, 64, AccessKind::Read));
  PW_CHECK(d->mirrors() == 1 && fake.stats().liveAllocations == baseline);
  return true;
}

TEST_F(FakeDriver, MirrorsFollowTheirMemory) { PW_RUN_WITH_FAKE_DRIVER(mirrorsGrowAndGo); }

// A table-index worker on a GPU: a function of a whole program (its own memory, a data segment,
// a WASI import, a mutable global) compiled as a kernel, one iteration per thread id.
constexpr const char *kProgram = R"((module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory 1)
  (data (i32.const 0) "x")
  (global $sp (mut i32) (i32.const 4096))
  (func $vadd (param $t i32) (param $n i32) (param $block i32)
    (param $a i32) (param i32) (param $b i32) (param i32) (param $c i32) (param i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $t) (i32.const 2)))
    (i32.store (i32.add (local.get $c) (local.get $o))
      (i32.add (i32.load (i32.add (local.get $a) (local.get $o)))
               (i32.load (i32.add (local.get $b) (local.get $o))))))
  (func $usesStack (param i32 i32 i32) (global.set $sp (i32.const 0)))
  (func $yields (param i32 i32 i32) (drop (call $yield))))
)";

bool workerAsKernel() {
  Fake fake;
  fake.setKernel(vectorAdd);
  auto d = fakeGpu();
  auto bytes = wasm::watToWasm(kProgram, "program.wat");
  PW_CHECK(d && bytes);
  Engine engine;
  auto vadd = KernelModule::forWorker(test::kernelCompiler(engine), *bytes, 1);
  PW_CHECK(vadd.ok());
  PW_CHECK((*vadd)->worker && (*vadd)->numBuffers == 3);
  Guest g;
  constexpr uint32_t n = 8, a = 1024, b = 2048, c = 4096;
  for (uint32_t i = 0; i < n; ++i)
    g.at<int32_t>(a)[i] = int32_t(i), g.at<int32_t>(b)[i] = int32_t(10 * i);
  for (uint32_t at : {a, b, c})
    PW_CHECK_OK(d->writeBuffer(nullptr, g.memory, at, 4 * n, AccessKind::ReadWrite));
  PW_CHECK_OK(launch(*d, g, *vadd, n, 0,
                     {{a, 4 * n, AccessKind::Read, true, false, nullptr},
                      {b, 4 * n, AccessKind::Read, true, false, nullptr},
                      {c, 4 * n, AccessKind::Write, false, true, nullptr}}));
  PW_CHECK(seen.p.numIterations == n);
  PW_CHECK_OK(d->readBuffer(nullptr, g.memory, c, c, 4 * n, AccessKind::Write));
  for (uint32_t i = 0; i < n; ++i)
    PW_CHECK(g.at<int32_t>(c)[i] == int32_t(11 * i));
  // What a GPU cannot run is not_supported, with the reason.
  auto stack = KernelModule::forWorker(test::kernelCompiler(engine), *bytes, 2);
  auto yields = KernelModule::forWorker(test::kernelCompiler(engine), *bytes, 3);
  PW_CHECK(stack.ok() && yields.ok());
  Status s = launch(*d, g, *stack, 4, 0, {});
  std::fprintf(stderr, "%s\n", s.message.c_str());
  PW_CHECK(s.code == ErrorCode::NotSupported &&
           s.message.find("mutable global 0") != std::string::npos);
  s = launch(*d, g, *yields, 4, 0, {});
  std::fprintf(stderr, "%s\n", s.message.c_str());
  PW_CHECK(s.code == ErrorCode::NotSupported &&
           s.message.find("imported function") != std::string::npos);
  // A function of the wrong type is no worker.
  PW_CHECK(!KernelModule::forWorker(test::kernelCompiler(engine), *bytes, 0).ok());
  return true;
}

TEST_F(FakeDriver, TableIndexWorkerRunsAsAKernel) { PW_RUN_WITH_FAKE_DRIVER(workerAsKernel); }

bool refusals() {
  Fake fake;
  auto d = fakeGpu();
  PW_CHECK(d);
  Guest g;
  auto grow = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32) (drop (memory.grow (i32.const 1))))))");
  PW_CHECK(grow);
  Status s = launch(*d, g, grow, 10, 32, {});
  PW_CHECK(s.code == ErrorCode::NotSupported);
  PW_CHECK(s.message.find("memory.grow") != std::string::npos);
  PW_CHECK(fake.stats().launches == 0 && fake.stats().modulesLoaded == 0);
  std::unique_ptr<DeviceBuffer> huge;
  s = d->createBuffer(0xffffffffu, AccessKind::Read, huge);
  PW_CHECK(s.code == ErrorCode::OutOfResources);
  return true;
}

TEST_F(FakeDriver, RefusesWhatItCannotRun) { PW_RUN_WITH_FAKE_DRIVER(refusals); }

bool driverFailures() {
  Fake fake;
  fake.setKernel([](const PwFakeLaunch &) {});
  auto d = fakeGpu();
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32))))");
  PW_CHECK(d && k);
  Guest g;
  fake.failNextSynchronize(700);
  Status s = launch(*d, g, k, 10, 32, {});
  std::fprintf(stderr, "message: %s\n", s.message.c_str());
  PW_CHECK(s.code == ErrorCode::DeviceFailure);
  PW_CHECK(s.message.find("cuCtxSynchronize: CUDA_ERROR_ILLEGAL_ADDRESS") != std::string::npos);
  // A failed launch leaves the context unusable: later calls say so.
  s = launch(*d, g, k, 10, 32, {});
  PW_CHECK(s.code == ErrorCode::DeviceFailure);
  PW_CHECK(s.message.find("failed earlier") != std::string::npos);
  return true;
}

TEST_F(FakeDriver, DriverFailuresBecomeDeviceFailure) { PW_RUN_WITH_FAKE_DRIVER(driverFailures); }

// Issue 12: a launch stops being waited for when its caller is interrupted, although the driver
// cannot stop the kernel; the device then refuses work instead of racing the abandoned kernel.
bool interruptedLaunch() {
  Fake fake;
  fake.setKernel([](const PwFakeLaunch &) {});
  auto d = fakeGpu();
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32))))");
  PW_CHECK(d && k);
  Guest g;
  PW_CHECK_OK(launch(*d, g, k, 10, 32, {})); // an interrupt flag of 0 changes nothing
  fake.setBusy(1);                           // from now on the kernel never finishes
  std::atomic<uint32_t> flag{0};
  Launch l;
  l.kernel = k;
  l.memory = g.memory;
  l.numIterations = 10;
  l.interrupt = &flag;
  auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    flag.store(1);
  });
  Status s = d->launch(l);
  stopper.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "message: %s (after %.3f s)\n", s.message.c_str(), seconds);
  PW_CHECK(s.code == ErrorCode::KernelTrapped && s.trap == TrapCode::Interrupted);
  PW_CHECK(seconds >= 0.04 && seconds < 1.0);
  fake.setBusy(0);
  s = launch(*d, g, k, 10, 32, {});
  PW_CHECK(s.code == ErrorCode::DeviceFailure);
  PW_CHECK(s.message.find("interrupted kernel") != std::string::npos);
  return true;
}

TEST_F(FakeDriver, InterruptStopsWaitingForALaunch) { PW_RUN_WITH_FAKE_DRIVER(interruptedLaunch); }

bool badPtx() {
  auto c = cuda::Context::create(0);
  PW_CHECK(c.ok());
  auto m = (*c)->loadModule("// no entry here\n");
  PW_CHECK(!m.ok());
  std::fprintf(stderr, "message: %s\n", m.error().message().c_str());
  PW_CHECK(m.error().message() ==
           "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX: fake ptxas: no .entry in this PTX");
  auto p = (*c)->alloc(size_t(4) << 30);
  PW_CHECK(!p.ok() && p.error().kind() == ErrorKind::Exhaustion);
  PW_CHECK(p.error().message() == "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
  return true;
}

TEST_F(FakeDriver, DriverErrorsCarryTheirNameAndLog) { PW_RUN_WITH_FAKE_DRIVER(badPtx); }

#else

TEST(FakeDriver, NotBuilt) { GTEST_SKIP() << "the fake CUDA driver is not part of this build"; }

#endif

} // namespace
} // namespace parawasm::parallel
