// The CPU devices (sequential and cpu) through the Device interface: a launch of a sub-range
// [first, last) of a call runs exactly those iterations, each seeing the whole call's count.
#include "harness.h"
#include "parallel/cpu_device.h"
#include "parallel/kernel.h"

#include "engine_access.h"
#include "runtime/objects.h"

namespace parawasm::parallel {
namespace {

// out[i] = i * 1000 + num_iterations, for the iterations run.
constexpr const char *kMark = R"((module (import "env" "memory" (memory 1))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $out i32) (param i32)
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
      (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $n))))))";

// A kernel compiled from `wat` (by `engine`), and a fresh page of guest memory for it to run on.
struct KernelOnAPage {
  explicit KernelOnAPage(const char *wat, Engine &engine = test::testEngine())
      : cache(test::kernelCompiler(engine), 4),
        page(runtime::MemoryObject::create(MemoryType{1, std::nullopt, false})) {
    EXPECT_TRUE(cache.lookup(test::wat(wat), kernel).isOk());
    EXPECT_TRUE(page.ok());
  }
  GuestMemory memory() const { return {*page, (*page)->vm.base, (*page)->vm.sizeBytes.load()}; }
  // A launch of all `n` iterations of a call, in blocks of `blockSize`.
  Launch launch(uint32_t n, uint32_t blockSize, std::span<const LaunchBuffer> buffers) const {
    Launch l;
    l.kernel = kernel;
    l.memory = memory();
    l.numIterations = n;
    l.blockSize = blockSize;
    l.buffers = buffers;
    return l;
  }

  KernelCache cache;
  std::shared_ptr<KernelModule> kernel;
  Result<std::shared_ptr<runtime::MemoryObject>> page;
};

void runSubRange(DeviceKind kind, unsigned threads) {
  KernelOnAPage setUp(kMark);
  ASSERT_TRUE(setUp.kernel && setUp.page.ok());
  GuestMemory g = setUp.memory();
  constexpr uint32_t n = 1000, out = 64;
  auto *cells = reinterpret_cast<int32_t *>(g.base() + out);
  std::fill(cells, cells + n, -1);
  CpuDevice d(kind, threads);
  std::vector<LaunchBuffer> buffers{{out, 4 * n, AccessKind::ReadWrite, true, true, nullptr}};
  Launch l = setUp.launch(n, 7, buffers);
  l.first = 123;
  l.last = 877;
  ASSERT_TRUE(d.launch(l).isOk());
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(cells[i], i >= 123 && i < 877 ? int32_t(i * 1000 + n) : -1) << i;
  // The rest of the call, then an empty range.
  l.first = 877;
  l.last = Launch::kToTheEnd;
  ASSERT_TRUE(d.launch(l).isOk());
  l.first = l.last = 5;
  ASSERT_TRUE(d.launch(l).isOk());
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(cells[i], i >= 123 ? int32_t(i * 1000 + n) : -1) << i;
}

TEST(CpuDevice, RunsASubRangeOfACall) { runSubRange(DeviceKind::Cpu, 3); }
TEST(SequentialDevice, RunsASubRangeOfACall) { runSubRange(DeviceKind::Sequential, 1); }

// A kernel that writes its own params buffer part way through a launch: out[i] = mix(m) * i +
// mix(c), and iteration `at` stores m + 1000 into params[0]. The driver's loop loads m, c and at
// once (src/compile/load_hoisting.cpp); the store must make the iterations after `at` see the new
// m, as they do when each iteration loads it. On devices that run the iterations in order.
constexpr const char *kSelfWriting = R"((module (import "env" "memory" (memory 1))
  (func $mix (param $v i32) (result i32)
    (i32.xor (i32.mul (local.get $v) (i32.const 0x9e3779b1)) (i32.shr_u (local.get $v) (i32.const 3))))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $params i32) (param i32) (param $out i32) (param i32)
    (local $m i32)
    (local.set $m (i32.load (local.get $params)))
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
      (i32.add (i32.mul (call $mix (local.get $m)) (local.get $i))
               (call $mix (i32.load offset=4 (local.get $params)))))
    (if (i32.eq (local.get $i) (i32.load offset=8 (local.get $params)))
      (then (i32.store (local.get $params) (i32.add (local.get $m) (i32.const 1000)))))))
)";

uint32_t mixed(uint32_t v) { return (v * 0x9e3779b1u) ^ (v >> 3); }

void runSelfWriting(DeviceKind kind, unsigned threads) {
  KernelOnAPage setUp(kSelfWriting);
  ASSERT_TRUE(setUp.kernel && setUp.page.ok());
  GuestMemory g = setUp.memory();
  constexpr uint32_t n = 600, params = 16, out = 64;
  CpuDevice d(kind, threads);
  for (uint32_t at : {0u, 1u, 299u, 599u, 1000u}) {
    const uint32_t m = 7, c = 11;
    auto *p = reinterpret_cast<uint32_t *>(g.base() + params);
    p[0] = m, p[1] = c, p[2] = at;
    std::vector<LaunchBuffer> buffers{{params, 12, AccessKind::Read, true, false, nullptr},
                                      {out, 4 * n, AccessKind::Write, false, true, nullptr}};
    ASSERT_TRUE(d.launch(setUp.launch(n, 16, buffers)).isOk());
    auto *cells = reinterpret_cast<uint32_t *>(g.base() + out);
    for (uint32_t i = 0; i < n; ++i)
      ASSERT_EQ(cells[i], mixed(i <= at ? m : m + 1000) * i + mixed(c))
          << "at " << at << ", i " << i;
    EXPECT_EQ(p[0], at < n ? m + 1000 : m);
  }
}

TEST(SequentialDevice, KernelSeesItsOwnWritesToItsParams) {
  runSelfWriting(DeviceKind::Sequential, 1);
}
TEST(CpuDevice, KernelSeesItsOwnWritesToItsParamsOnOneThread) {
  runSelfWriting(DeviceKind::Cpu, 1);
}

// Checked kernels (issue 12): a buffer one cell too small makes the last iteration write past
// it. Checked, the launch traps naming that iteration and leaves the cell alone; unchecked, the
// cell is overwritten.
void runOverrun(DeviceKind kind, unsigned threads, bool checked, const char *kernel = kMark) {
  EngineConfig config;
  config.useCache = false;
  config.checkKernelBuffers = checked;
  Engine engine(config);
  KernelOnAPage setUp(kernel, engine);
  ASSERT_TRUE(setUp.kernel && setUp.page.ok());
  GuestMemory g = setUp.memory();
  constexpr uint32_t n = 100, out = 64;
  auto *cells = reinterpret_cast<int32_t *>(g.base() + out);
  std::fill(cells, cells + n, -1);
  CpuDevice d(kind, threads);
  std::vector<LaunchBuffer> buffers{{out, 4 * (n - 1), AccessKind::ReadWrite, true, true, nullptr}};
  Launch l = setUp.launch(n, 4, buffers);
  Status st = d.launch(l);
  if (!checked) {
    ASSERT_TRUE(st.isOk()) << st.message;
    EXPECT_EQ(cells[n - 1], int32_t((n - 1) * 1000 + n));
    return;
  }
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.code, ErrorCode::KernelTrapped);
  EXPECT_NE(st.message.find("in iteration 99 (a checked kernel"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("[64, 460)"), std::string::npos) << st.message;
  EXPECT_EQ(cells[n - 1], -1);
  // The same device runs a launch that stays inside its buffers.
  buffers[0].size = 4 * n;
  ASSERT_TRUE(d.launch(l).isOk());
  EXPECT_EQ(cells[n - 1], int32_t((n - 1) * 1000 + n));
}

TEST(CpuDevice, CheckedKernelTrapsOutsideItsBuffers) { runOverrun(DeviceKind::Cpu, 3, true); }
TEST(SequentialDevice, CheckedKernelTrapsOutsideItsBuffers) {
  runOverrun(DeviceKind::Sequential, 1, true);
}
TEST(CpuDevice, UncheckedKernelWritesPastItsBuffers) { runOverrun(DeviceKind::Cpu, 3, false); }

// kMark with an atomic store: atomics are checked as plain accesses are.
constexpr const char *kAtomicMark = R"((module (import "env" "memory" (memory 1))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $out i32) (param i32)
    (drop (i32.atomic.rmw.xchg (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
      (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $n)))))))";

TEST(CpuDevice, CheckedKernelChecksAtomics) {
  runOverrun(DeviceKind::Cpu, 3, true, kAtomicMark);
  runOverrun(DeviceKind::Cpu, 3, false, kAtomicMark);
}

} // namespace
} // namespace parawasm::parallel
