// Several GPUs as one device (cuda/multi_gpu_device.h), on two fake GPUs: each launch is split
// between them, and what a guest reads back is bit for bit what the sequential device gives for
// the same calls — outputs written by both GPUs, write-only buffers, buffers bound to overlapping
// regions, bytes of one word written by different GPUs, a launch reading the previous launch's
// output, a trap in the second GPU's part. The kernels run on the CPU for real; on the fake GPUs a
// C++ stand-in for each runs the part its GPU got.
#include "cuda/multi_gpu_device.h"
#include "parallel/cpu_device.h"
#include "parallel/device_registry.h"
#include "parallel/kernel.h"
#include "parallel/split.h"
#include "vm/gpu_launch.h"
#include "vm/trap_codes.h"

#include "engine_access.h"
#include "fake_driver/fake_harness.h"
#include "uncached_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace parawasm::parallel {
namespace {

#ifdef PW_FAKE_CUDA_PATH

class MultiGpu : public FakeDriver {};

std::shared_ptr<cuda::MultiGpuDevice> fakeGpus() {
  std::vector<std::shared_ptr<Device>> devices;
  cuda::provideGpuDevices(DeviceOptions{}, devices);
  return devices.size() == 1 ? std::dynamic_pointer_cast<cuda::MultiGpuDevice>(devices[0])
                             : nullptr;
}

// y[i] = x[i] * 3 + i
constexpr const char *kScale = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $x i32) (param i32) (param $y i32) (param i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (i32.store (i32.add (local.get $y) (local.get $o))
      (i32.add (i32.mul (i32.load (i32.add (local.get $x) (local.get $o))) (i32.const 3))
               (local.get $i))))))";

// z[i] = y[n - 1 - i] - y[i]: half of what each iteration reads, the other GPU wrote.
constexpr const char *kMirror = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $y i32) (param i32) (param $z i32) (param i32)
    (i32.store (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 2)))
      (i32.sub
        (i32.load (i32.add (local.get $y)
          (i32.shl (i32.sub (i32.sub (local.get $n) (i32.const 1)) (local.get $i)) (i32.const 2))))
        (i32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2)))))))))";

// out[i] = i * 7 + n, one byte per iteration: neighbouring bytes of a word on different GPUs.
constexpr const char *kBytes = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $out i32) (param i32)
    (i32.store8 (i32.add (local.get $out) (local.get $i))
      (i32.add (i32.mul (local.get $i) (i32.const 7)) (local.get $n))))))";

// Word i of p through two overlapping buffers: p's first half by iterations below n/2, the rest
// through q (bound at p + 2n) by the others.
constexpr const char *kOverlap = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param i32) (param $q i32) (param i32)
    (local $h i32)
    (local.set $h (i32.shr_u (local.get $n) (i32.const 1)))
    (if (i32.lt_u (local.get $i) (local.get $h))
      (then (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                       (i32.xor (local.get $i) (i32.const 0x5a5a))))
      (else (i32.store (i32.add (local.get $q)
                                (i32.shl (i32.sub (local.get $i) (local.get $h)) (i32.const 2)))
                       (i32.mul (local.get $i) (i32.const -3))))))))";

// out[i] = i, except that iteration 700 traps.
constexpr const char *kTrap = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $out i32) (param i32)
    (if (i32.eq (local.get $i) (i32.const 700)) (then unreachable))
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $i)))))";

enum class Kernel { Scale, Mirror, Bytes, Overlap, Trap };
std::atomic<Kernel> current{Kernel::Scale};

// What each fake launch ran: the GPU and its part of the call.
struct Part {
  int device;
  uint32_t first, last;
};
std::mutex partsMutex;
std::vector<Part> parts;

// The launch as the PTX entry receives it; accesses are checked against the mirrored span.
struct Entry {
  Entry(const PwFakeLaunch &l, unsigned numArgs) {
    for (unsigned k = 0; k < vm::kGpuLaunchParamCount; ++k)
      std::memcpy(reinterpret_cast<char *>(&p) + vm::kGpuLaunchParams[k].offset, l.params[k],
                  vm::kGpuLaunchParams[k].bytes);
    for (unsigned k = 0; k < numArgs; ++k)
      args.push_back(*static_cast<uint32_t *>(l.params[vm::kGpuLaunchParamCount + k]));
  }
  template <class T> T &at(uint64_t address) const {
    if (address < p.spanStart || address + sizeof(T) > p.spanEnd) {
      std::fprintf(stderr, "stand-in access outside the mirror at %llu\n",
                   static_cast<unsigned long long>(address));
      std::abort();
    }
    return *reinterpret_cast<T *>(p.memory + (address - p.spanStart));
  }
  vm::GpuLaunchParams p{};
  std::vector<uint32_t> args;
};

// The C++ stand-ins for the kernels above, over the part of the call their GPU got.
void standIn(const PwFakeLaunch &l) {
  Kernel k = current.load();
  Entry e(l, k == Kernel::Bytes || k == Kernel::Trap ? 2 : 4);
  const uint32_t n = e.p.numIterations;
  {
    std::lock_guard lock(partsMutex);
    parts.push_back({l.device, e.p.firstIteration, e.p.lastIteration});
  }
  for (uint32_t i = e.p.firstIteration; i < e.p.lastIteration; ++i)
    switch (k) {
    case Kernel::Scale:
      e.at<int32_t>(e.args[2] + 4 * i) = e.at<int32_t>(e.args[0] + 4 * i) * 3 + int32_t(i);
      break;
    case Kernel::Mirror:
      e.at<int32_t>(e.args[2] + 4 * i) =
          e.at<int32_t>(e.args[0] + 4 * (n - 1 - i)) - e.at<int32_t>(e.args[0] + 4 * i);
      break;
    case Kernel::Bytes:
      e.at<uint8_t>(e.args[0] + i) = uint8_t(i * 7 + n);
      break;
    case Kernel::Overlap:
      if (i < n / 2)
        e.at<uint32_t>(e.args[0] + 4 * i) = i ^ 0x5a5a;
      else
        e.at<uint32_t>(e.args[2] + 4 * (i - n / 2)) = i * uint32_t(-3);
      break;
    case Kernel::Trap:
      if (i == 700) {
        auto *record = reinterpret_cast<vm::GpuTrapRecord *>(e.p.trapRecord);
        record->code = 1 + uint32_t(TrapCode::Unreachable);
        record->iteration = i;
        return;
      }
      e.at<uint32_t>(e.args[0] + 4 * i) = i;
      break;
    }
}

struct Kernels {
  std::shared_ptr<KernelModule> scale, mirror, bytes, overlap, trap;
};

// A guest's calls, the same on any device: data in, five kernels, every output read back, some
// onto other places too. Each launch's status goes to `statuses`.
bool script(Device &d, GuestMemory &g, const Kernels &k, std::vector<Status> &statuses) {
  constexpr uint32_t n = 1000, nb = 1001;
  constexpr uint32_t x = 0x1000, y = 0x2000, z = 0x3000, bytes = 0x4000, p = 0x5000, q = p + 2 * n,
                     t = 0x7000, copies = 0x8000;
  auto *m = g.base();
  for (uint32_t i = 0; i < 0x8000; ++i) // every region starts with something of its own
    m[i] = uint8_t(i * 13 + 1);
  for (uint32_t i = 0; i < n; ++i)
    reinterpret_cast<int32_t *>(m + x)[i] = int32_t(i * i) - 5;
  std::unique_ptr<DeviceBuffer> bx, by, bz, bb, bp, bq, bt;
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::Read, bx));
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::Write, by));
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::ReadWrite, bz));
  PW_CHECK_OK(d.createBuffer(nb, AccessKind::ReadWrite, bb));
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::ReadWrite, bp));
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::Write, bq));
  PW_CHECK_OK(d.createBuffer(4 * n, AccessKind::Write, bt));
  auto bind = [&](DeviceBuffer *b, uint32_t at, uint32_t size, AccessKind a) {
    return d.writeBuffer(b, g, at, size, a);
  };
  PW_CHECK_OK(bind(bx.get(), x, 4 * n, AccessKind::Read));
  PW_CHECK_OK(bind(by.get(), y, 4 * n, AccessKind::Write));
  PW_CHECK_OK(bind(bz.get(), z, 4 * n, AccessKind::ReadWrite));
  PW_CHECK_OK(bind(bb.get(), bytes, nb, AccessKind::ReadWrite));
  PW_CHECK_OK(bind(bp.get(), p, 4 * n, AccessKind::ReadWrite));
  PW_CHECK_OK(bind(bq.get(), q, 4 * n, AccessKind::Write));
  PW_CHECK_OK(bind(bt.get(), t, 4 * n, AccessKind::Write));
  // A buffer as host_api passes it, listed as an input or an output.
  auto in = [](uint32_t at, uint32_t size, AccessKind a, DeviceBuffer *b) {
    return transferDirections({at, size, a, true, true, b}, true, false);
  };
  auto out = [](uint32_t at, uint32_t size, AccessKind a, DeviceBuffer *b) {
    return transferDirections({at, size, a, true, true, b}, false, true);
  };
  auto run = [&](Kernel which, std::shared_ptr<KernelModule> kernel, uint32_t count,
                 std::vector<LaunchBuffer> buffers) {
    current = which;
    Launch l;
    l.kernel = std::move(kernel);
    l.memory = g;
    l.numIterations = count;
    l.blockSize = 64;
    l.buffers = buffers;
    statuses.push_back(d.launch(l));
  };
  run(Kernel::Scale, k.scale, n,
      {in(x, 4 * n, AccessKind::Read, bx.get()), out(y, 4 * n, AccessKind::Write, by.get())});
  PW_CHECK_OK(d.readBuffer(by.get(), g, y, copies, 4 * n, AccessKind::Write));
  // The write-only y as the next launch's input: what both GPUs wrote, on both GPUs.
  run(Kernel::Mirror, k.mirror, n,
      {in(y, 4 * n, AccessKind::Write, by.get()), out(z, 4 * n, AccessKind::ReadWrite, bz.get())});
  PW_CHECK_OK(d.readBuffer(bz.get(), g, z, z, 4 * n, AccessKind::ReadWrite));
  // New input data, the same two launches again: results of the first round are replaced.
  for (uint32_t i = 0; i < n; ++i)
    reinterpret_cast<int32_t *>(m + x)[i] = int32_t(i * 31) ^ 0x1234;
  PW_CHECK_OK(bind(bx.get(), x, 4 * n, AccessKind::Read));
  run(Kernel::Scale, k.scale, n,
      {in(x, 4 * n, AccessKind::Read, bx.get()), out(y, 4 * n, AccessKind::Write, by.get())});
  run(Kernel::Mirror, k.mirror, n,
      {in(y, 4 * n, AccessKind::Write, by.get()), out(z, 4 * n, AccessKind::ReadWrite, bz.get())});
  PW_CHECK_OK(d.readBuffer(by.get(), g, y, y, 4 * n, AccessKind::Write));
  PW_CHECK_OK(d.readBuffer(bz.get(), g, z, copies + 4 * n, 4 * n, AccessKind::ReadWrite));
  // (A device with its own memory leaves z as the guest had it until read back; the sequential
  // device wrote it in place. A portable guest reads its outputs back.)
  PW_CHECK_OK(d.readBuffer(bz.get(), g, z, z, 4 * n, AccessKind::ReadWrite));
  run(Kernel::Bytes, k.bytes, nb, {out(bytes, nb, AccessKind::ReadWrite, bb.get())});
  PW_CHECK_OK(d.readBuffer(bb.get(), g, bytes, bytes, nb, AccessKind::ReadWrite));
  run(Kernel::Overlap, k.overlap, n,
      {out(p, 4 * n, AccessKind::ReadWrite, bp.get()), out(q, 4 * n, AccessKind::Write, bq.get())});
  PW_CHECK_OK(d.readBuffer(bp.get(), g, p, p, 4 * n, AccessKind::ReadWrite));
  PW_CHECK_OK(d.readBuffer(bq.get(), g, q, q, 4 * n, AccessKind::Write));
  run(Kernel::Trap, k.trap, n, {out(t, 4 * n, AccessKind::Write, bt.get())});
  PW_CHECK_OK(d.readBuffer(bt.get(), g, t, t, 4 * n, AccessKind::Write));
  return true;
}

bool sameAsSequential() {
  Fake fake;
  PW_CHECK(fake.setKernel);
  fake.setKernel(standIn);
  auto gpus = fakeGpus();
  PW_CHECK(gpus && gpus->gpus().size() == 2);
  KernelCache cache(test::kernelCompiler(test::uncachedEngine()), 8);
  Kernels k;
  auto get = [&](const char *text, std::shared_ptr<KernelModule> &out) {
    auto bytes = wasm::watToWasm(text, "kernel.wat");
    if (!bytes) {
      std::fprintf(stderr, "%s\n", bytes.error().message().c_str());
      return false;
    }
    Status s = cache.lookup(*bytes, out);
    if (!s.isOk())
      std::fprintf(stderr, "%s\n", s.message.c_str());
    return s.isOk();
  };
  PW_CHECK(get(kScale, k.scale) && get(kMirror, k.mirror) && get(kBytes, k.bytes) &&
           get(kOverlap, k.overlap) && get(kTrap, k.trap));

  Guest onCpu, onGpus;
  CpuDevice sequential(DeviceKind::Sequential, 1);
  std::vector<Status> expected, got;
  PW_CHECK(script(sequential, onCpu.memory, k, expected));
  PW_CHECK(script(*gpus, onGpus.memory, k, got));
  PW_CHECK(expected.size() == got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    std::fprintf(stderr, "launch %zu: sequential %s \"%s\", gpus %s \"%s\"\n", i,
                 errorCodeName(expected[i].code), expected[i].message.c_str(),
                 errorCodeName(got[i].code), got[i].message.c_str());
    PW_CHECK(got[i].code == expected[i].code && got[i].trap == expected[i].trap);
  }
  // The trap in the second GPU's part, with its iteration.
  PW_CHECK(got.back().code == ErrorCode::KernelTrapped && got.back().trap == TrapCode::Unreachable);
  PW_CHECK(got.back().message.find("in iteration 700") != std::string::npos);
  // Everything the guest can see, bit for bit.
  for (uint32_t a = 0; a < 0x10000; ++a)
    if (onCpu.memory.base()[a] != onGpus.memory.base()[a]) {
      std::fprintf(stderr, "byte %#x: sequential %#x, gpus %#x\n", a, onCpu.memory.base()[a],
                   onGpus.memory.base()[a]);
      return false;
    }
  // Each launch ran as splitIterations cut it: both GPUs, equal weights.
  std::lock_guard lock(partsMutex);
  PW_CHECK(parts.size() == 2 * got.size());
  for (size_t i = 0; i < parts.size(); i += 2) {
    const Part &a = parts[i].device == 0 ? parts[i] : parts[i + 1];
    const Part &b = parts[i].device == 0 ? parts[i + 1] : parts[i];
    PW_CHECK(a.device == 0 && b.device == 1 && a.first == 0 && a.last == b.first);
    PW_CHECK(b.last == 1000 || b.last == 1001);
    PW_CHECK(a.last == b.last / 2);
  }
  PW_CHECK(fake.stats().launchesOn[0] == got.size() && fake.stats().launchesOn[1] == got.size());
  return true;
}

TEST_F(MultiGpu, ResultsAreTheSequentialDevices) { PW_RUN_WITH_FAKE_GPUS(2, sameAsSequential); }

// What the merge moves: each GPU gets the inputs once and the outputs' bytes before every
// launch; every GPU's outputs come back. Buffers held unchanged are not sent again.
bool bytesMoved() {
  Fake fake;
  fake.setKernel(standIn);
  current = Kernel::Scale;
  auto gpus = fakeGpus();
  auto k = kernel(kScale);
  PW_CHECK(gpus && k);
  Guest g;
  constexpr uint32_t n = 1000, x = 0, y = 4096;
  for (uint32_t i = 0; i < n; ++i)
    g.at<int32_t>(x)[i] = int32_t(i);
  std::unique_ptr<DeviceBuffer> bx, by;
  PW_CHECK_OK(gpus->createBuffer(4 * n, AccessKind::Read, bx));
  PW_CHECK_OK(gpus->createBuffer(4 * n, AccessKind::Write, by));
  PW_CHECK_OK(gpus->writeBuffer(bx.get(), g.memory, x, 4 * n, AccessKind::Read));
  PW_CHECK_OK(gpus->writeBuffer(by.get(), g.memory, y, 4 * n, AccessKind::Write));
  PW_CHECK(fake.stats().hostToDeviceBytes == 0); // binding sends nothing yet
  std::vector<LaunchBuffer> buffers{{x, 4 * n, AccessKind::Read, true, false, bx.get()},
                                    {y, 4 * n, AccessKind::Write, false, true, by.get()}};
  Launch l;
  l.kernel = k;
  l.memory = g.memory;
  l.numIterations = n;
  l.buffers = buffers;
  PW_CHECK_OK(gpus->launch(l));
  PW_CHECK(gpus->bytesSent() == 2 * (4 * n + 4 * n) && gpus->bytesMerged() == 2 * 4 * n);
  PW_CHECK_OK(gpus->launch(l));
  PW_CHECK(gpus->bytesSent() == 2 * (4 * n + 4 * n) + 2 * 4 * n);
  PW_CHECK(gpus->bytesMerged() == 2 * 2 * 4 * n);
  // read_buffer copies from the host-side result: no device copy.
  size_t d2h = fake.stats().deviceToHostBytes;
  PW_CHECK_OK(gpus->readBuffer(by.get(), g.memory, y, y, 4 * n, AccessKind::Write));
  PW_CHECK(fake.stats().deviceToHostBytes == d2h);
  for (uint32_t i = 0; i < n; ++i)
    PW_CHECK(g.at<int32_t>(y)[i] == int32_t(4 * i));
  // One iteration: only the second GPU gets a part (splitIterations), its copy is the result
  // and it keeps it.
  l.numIterations = 1;
  uint64_t sent = gpus->bytesSent();
  PW_CHECK_OK(gpus->launch(l));
  PW_CHECK_OK(gpus->launch(l));
  PW_CHECK(gpus->bytesSent() == sent + 4 * n); // y once, then held
  return true;
}

TEST_F(MultiGpu, MovesOnlyWhatTheMergeNeeds) { PW_RUN_WITH_FAKE_GPUS(2, bytesMoved); }

bool oneGpuFails() {
  Fake fake;
  fake.setKernel([](const PwFakeLaunch &) {});
  auto gpus = fakeGpus();
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32))))");
  PW_CHECK(gpus && k);
  Guest g;
  Launch l;
  l.kernel = k;
  l.memory = g.memory;
  l.numIterations = 100;
  PW_CHECK_OK(gpus->launch(l));
  fake.failNextSynchronize(700); // one of the two GPUs
  Status s = gpus->launch(l);
  std::fprintf(stderr, "message: %s\n", s.message.c_str());
  PW_CHECK(s.code == ErrorCode::DeviceFailure);
  PW_CHECK(s.message.find("CUDA_ERROR_ILLEGAL_ADDRESS") != std::string::npos);
  s = gpus->launch(l);
  PW_CHECK(s.code == ErrorCode::DeviceFailure &&
           s.message.find("failed earlier") != std::string::npos);
  return true;
}

TEST_F(MultiGpu, AFailingGpuIsDeviceFailure) { PW_RUN_WITH_FAKE_GPUS(2, oneGpuFails); }

// counts[i % 4] += 1 by atomic adds: every iteration updates shared data, which a write-merge
// cannot combine. The parts' changes conflict; the launch runs again, whole, on one GPU, and so
// does every later launch of the kernel.
constexpr const char *kCount = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $counts i32) (param i32)
    (drop (i32.atomic.rmw.add (i32.add (local.get $counts)
                                       (i32.shl (i32.and (local.get $i) (i32.const 3))
                                                (i32.const 2)))
                              (i32.const 1))))))";

void countStandIn(const PwFakeLaunch &l) {
  Entry e(l, 2);
  {
    std::lock_guard lock(partsMutex);
    parts.push_back({l.device, e.p.firstIteration, e.p.lastIteration});
  }
  for (uint32_t i = e.p.firstIteration; i < e.p.lastIteration; ++i)
    ++e.at<uint32_t>(e.args[0] + 4 * (i % 4));
}

bool sharedUpdates() {
  Fake fake;
  fake.setKernel(countStandIn);
  auto gpus = fakeGpus();
  auto k = kernel(kCount);
  PW_CHECK(gpus && k);
  Guest g;
  constexpr uint32_t n = 1000, counts = 64;
  std::unique_ptr<DeviceBuffer> b;
  PW_CHECK_OK(gpus->createBuffer(16, AccessKind::ReadWrite, b));
  PW_CHECK_OK(gpus->writeBuffer(b.get(), g.memory, counts, 16, AccessKind::ReadWrite));
  std::vector<LaunchBuffer> buffers{{counts, 16, AccessKind::ReadWrite, true, true, b.get()}};
  Launch l;
  l.kernel = k;
  l.memory = g.memory;
  l.numIterations = n;
  l.buffers = buffers;
  for (uint32_t round = 1; round <= 2; ++round) {
    PW_CHECK_OK(gpus->launch(l));
    PW_CHECK_OK(gpus->readBuffer(b.get(), g.memory, counts, counts, 16, AccessKind::ReadWrite));
    for (uint32_t c = 0; c < 4; ++c)
      PW_CHECK(g.at<uint32_t>(counts)[c] == round * n / 4);
  }
  std::lock_guard lock(partsMutex);
  for (const Part &p : parts)
    std::fprintf(stderr, "GPU %d ran [%u, %u)\n", p.device, p.first, p.last);
  // Split, conflicting; again on GPU 0; the second launch on GPU 0 at once.
  PW_CHECK(parts.size() == 4);
  PW_CHECK(parts[2].device == 0 && parts[2].first == 0 && parts[2].last == n);
  PW_CHECK(parts[3].device == 0 && parts[3].first == 0 && parts[3].last == n);
  return true;
}

TEST_F(MultiGpu, SharedUpdatesRunOnOneGpu) { PW_RUN_WITH_FAKE_GPUS(2, sharedUpdates); }

// An interrupt stops the wait for every GPU; the GPUs, which cannot stop their kernels, then
// refuse work.
bool interrupted() {
  Fake fake;
  fake.setKernel([](const PwFakeLaunch &) {});
  auto gpus = fakeGpus();
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32 i32 i32))))");
  PW_CHECK(gpus && k);
  Guest g;
  std::atomic<uint32_t> flag{0};
  // An output, so that there would be something to merge.
  PW_CHECK_OK(gpus->writeBuffer(nullptr, g.memory, 0, 64, AccessKind::ReadWrite));
  std::vector<LaunchBuffer> buffers{{0, 64, AccessKind::ReadWrite, true, true, nullptr}};
  Launch l;
  l.kernel = k;
  l.memory = g.memory;
  l.numIterations = 100;
  l.interrupt = &flag;
  l.buffers = buffers;
  PW_CHECK_OK(gpus->launch(l));
  fake.setBusy(1); // the kernels never finish
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    flag.store(1);
  });
  Status s = gpus->launch(l);
  stopper.join();
  std::fprintf(stderr, "message: %s\n", s.message.c_str());
  PW_CHECK(s.code == ErrorCode::KernelTrapped && s.trap == TrapCode::Interrupted);
  fake.setBusy(0);
  flag.store(0);
  PW_CHECK(gpus->launch(l).code == ErrorCode::DeviceFailure);
  return true;
}

TEST_F(MultiGpu, InterruptStopsWaitingForEveryGpu) { PW_RUN_WITH_FAKE_GPUS(2, interrupted); }

// The registry offers one discrete_gpu for both GPUs, naming them; with one GPU the plain device.
bool oneDeviceForAll() {
  auto devices = discoverDevices(DeviceOptions{});
  size_t gpus = 0;
  for (const auto &d : devices)
    if (d->kind() == DeviceKind::DiscreteGpu) {
      ++gpus;
      std::fprintf(stderr, "%s: %s\n", d->name().c_str(), d->details().c_str());
      PW_CHECK(d->name() == "2 x parawasm fake GPU");
      PW_CHECK(d->details().find("GPU 0: parawasm fake GPU") != std::string::npos);
      PW_CHECK(d->details().find("GPU 1: parawasm fake GPU") != std::string::npos);
      PW_CHECK(d->concurrency() == 8); // 4 multiprocessors each
    }
  PW_CHECK(gpus == 1);
  PW_CHECK(chooseDevice(devices, DeviceKind::DiscreteGpu)->name() == "2 x parawasm fake GPU");
  return true;
}

bool onlyOneGpu() {
  std::vector<std::shared_ptr<Device>> devices;
  cuda::provideGpuDevices(DeviceOptions{}, devices);
  PW_CHECK(devices.size() == 1 && devices[0]->name() == "parawasm fake GPU");
  PW_CHECK(!std::dynamic_pointer_cast<cuda::MultiGpuDevice>(devices[0]));
  return true;
}

TEST_F(MultiGpu, IsOneDeviceNamingEachGpu) {
  PW_RUN_WITH_FAKE_GPUS(2, oneDeviceForAll);
  PW_RUN_WITH_FAKE_GPUS(1, onlyOneGpu);
}

#else

TEST(MultiGpu, NotBuilt) { GTEST_SKIP() << "the fake CUDA driver is not part of this build"; }

#endif

} // namespace
} // namespace parawasm::parallel
