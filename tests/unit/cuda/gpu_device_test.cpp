// The discrete_gpu device (src/parallel/gpu_device.h) through the wasi-parallel Device interface:
// buffers mirrored in device memory, kernels compiled to PTX and launched, traps recorded with
// their iteration, Wasm semantics kept on the GPU. Every test skips without a CUDA GPU.
#include "cuda/gpu_device.h"
#include "cuda/multi_gpu_device.h"
#include "gpu_harness.h"
#include "parallel/cpu_device.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"
#include "vm/gpu_launch.h"
#include "wasm/loaded_module.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <utility>

namespace parawasm::parallel {
namespace {

std::shared_ptr<KernelModule> kernel(const std::string &text) {
  std::string why;
  auto k = kernelModule(text, &why);
  EXPECT_TRUE(k) << why;
  return k;
}

constexpr const char *kVectorAdd = R"((module (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param i32) (param $b i32) (param i32) (param $c i32) (param i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (i32.store (i32.add (local.get $c) (local.get $o))
      (i32.add (i32.load (i32.add (local.get $a) (local.get $o)))
               (i32.load (i32.add (local.get $b) (local.get $o))))))))";

TEST(GpuDevice, DescribesItself) {
  PW_NEED_GPU(d);
  EXPECT_TRUE(d->kind() == DeviceKind::DiscreteGpu || d->kind() == DeviceKind::IntegratedGpu);
  EXPECT_FALSE(d->name().empty());
  EXPECT_NE(d->details().find("compute capability"), std::string::npos) << d->details();
}

TEST(GpuDevice, AddsVectorsInDeviceMemory) {
  PW_NEED_GPU(d);
  Guest g(16); // three arrays of 200,000 bytes: more than the 4 pages a Guest has by default
  constexpr uint32_t n = 50000, a = 1024, b = a + 4 * n, c = b + 4 * n;
  for (uint32_t i = 0; i < n; ++i) {
    g.at<int32_t>(a)[i] = int32_t(i);
    g.at<int32_t>(b)[i] = 2 * int32_t(i) + 1;
    g.at<int32_t>(c)[i] = -1;
  }
  Status s = run(*d, g, kernel(kVectorAdd), n, 128,
                 {{a, 4 * n, AccessKind::Read, false},
                  {b, 4 * n, AccessKind::Read, false},
                  {c, 4 * n, AccessKind::Write, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(g.at<int32_t>(c)[i], int32_t(3 * i + 1)) << i;
}

TEST(GpuDevice, AnyBlockSizeWorks) {
  PW_NEED_GPU(d);
  for (uint32_t block : {1u, 7u, 32u, 100u, 1024u, 100000u}) {
    Guest g;
    constexpr uint32_t n = 3000, a = 0, b = 4 * n, c = 8 * n;
    for (uint32_t i = 0; i < n; ++i)
      g.at<int32_t>(a)[i] = g.at<int32_t>(b)[i] = int32_t(i);
    Status s = run(*d, g, kernel(kVectorAdd), n, block,
                   {{a, 4 * n, AccessKind::Read, false},
                    {b, 4 * n, AccessKind::Read, false},
                    {c, 4 * n, AccessKind::Write, true}});
    ASSERT_TRUE(s.isOk()) << s.message;
    for (uint32_t i = 0; i < n; ++i)
      ASSERT_EQ(g.at<int32_t>(c)[i], int32_t(2 * i)) << i;
  }
}

TEST(GpuDevice, ResultsStayOnTheDeviceUntilRead) {
  PW_NEED_GPU(d);
  Guest g;
  auto k = kernel(kVectorAdd);
  constexpr uint32_t n = 64, a = 256, c = 1024;
  for (uint32_t i = 0; i < n; ++i)
    g.at<int32_t>(a)[i] = int32_t(i);
  std::unique_ptr<DeviceBuffer> in, out;
  ASSERT_TRUE(d->createBuffer(4 * n, AccessKind::Read, in).isOk());
  ASSERT_TRUE(d->createBuffer(4 * n, AccessKind::ReadWrite, out).isOk());
  ASSERT_TRUE(d->writeBuffer(in.get(), g.memory, a, 4 * n, AccessKind::Read).isOk());
  ASSERT_TRUE(d->writeBuffer(out.get(), g.memory, c, 4 * n, AccessKind::ReadWrite).isOk());
  LaunchBuffer lb[] = {{a, 4 * n, AccessKind::Read, true, false, in.get()},
                       {a, 4 * n, AccessKind::Read, true, false, in.get()},
                       {c, 4 * n, AccessKind::ReadWrite, true, true, out.get()}};
  Launch launch;
  launch.kernel = k;
  launch.memory = g.memory;
  launch.numIterations = n;
  launch.blockSize = 32;
  launch.buffers = lb;
  ASSERT_TRUE(d->launch(launch).isOk());
  EXPECT_EQ(g.at<int32_t>(c)[5], 0); // not copied back yet
  // A buffer bound later, far above, grows the mirror; the results survive the move.
  constexpr uint32_t far = 3 * 65536;
  std::unique_ptr<DeviceBuffer> extra;
  ASSERT_TRUE(d->createBuffer(16, AccessKind::Read, extra).isOk());
  ASSERT_TRUE(d->writeBuffer(extra.get(), g.memory, far, 16, AccessKind::Read).isOk());
  // read_buffer into another region copies the device's contents there.
  constexpr uint32_t elsewhere = 2 * 65536;
  ASSERT_TRUE(
      d->readBuffer(out.get(), g.memory, c, elsewhere, 4 * n, AccessKind::ReadWrite).isOk());
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(g.at<int32_t>(elsewhere)[i], int32_t(2 * i)) << i;
  EXPECT_EQ(g.at<int32_t>(c)[5], 0);
  ASSERT_TRUE(d->readBuffer(out.get(), g.memory, c, c, 4 * n, AccessKind::ReadWrite).isOk());
  EXPECT_EQ(g.at<int32_t>(c)[5], 10);
}

TEST(GpuDevice, OutOfBoundsAccessTrapsWithItsIteration) {
  PW_NEED_GPU(d);
  Guest g;
  // Iteration 1000 reaches far past every buffer, outside the mirror.
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (i32.store (i32.add (local.get $p)
                   (select (i32.const 100000) (i32.shl (local.get $i) (i32.const 2))
                           (i32.eq (local.get $i) (i32.const 1000))))
                 (local.get $i)))))");
  Status s = run(*d, g, k, 2000, 256, {{4096, 8000, AccessKind::Write, true}});
  ASSERT_EQ(s.code, ErrorCode::KernelTrapped) << s.message;
  EXPECT_EQ(s.trap, TrapCode::MemoryOutOfBounds);
  EXPECT_EQ(s.message, "out of bounds memory access in iteration 1000");
  // The device is still usable.
  Guest g2;
  Status ok = run(*d, g2, kernel(kVectorAdd), 10, 32,
                  {{0, 40, AccessKind::Read, false},
                   {64, 40, AccessKind::Read, false},
                   {128, 40, AccessKind::Write, true}});
  EXPECT_TRUE(ok.isOk()) << ok.message;
}

TEST(GpuDevice, ArithmeticTrapsBecomeKernelTrapped) {
  PW_NEED_GPU(d);
  struct Case {
    const char *body;
    TrapCode trap;
    const char *message;
  } cases[] = {
      {"(drop (i32.div_s (i32.const 1) (i32.sub (local.get $i) (i32.const 5))))",
       TrapCode::IntegerDivideByZero, "integer divide by zero in iteration 5"},
      {"(drop (i32.div_s (i32.const 0x80000000) (select (i32.const -1) (i32.const 1) (i32.eq "
       "(local.get $i) (i32.const 7)))))",
       TrapCode::IntegerOverflow, "integer overflow in iteration 7"},
      {"(drop (i32.trunc_f32_s (f32.div (f32.const 0) (f32.convert_i32_s (i32.sub (local.get $i) "
       "(i32.const 9))))))",
       TrapCode::InvalidConversionToInteger, "invalid conversion to integer in iteration 9"},
      {"(if (i32.eq (local.get $i) (i32.const 11)) (then unreachable))", TrapCode::Unreachable,
       "unreachable in iteration 11"},
  };
  for (const Case &c : cases) {
    Guest g;
    auto k = kernel(std::string(R"((module (import "env" "memory" (memory 0))
      (func (export "kernel") (param $i i32) (param i32 i32) )") +
                    c.body + "))");
    Status s = run(*d, g, k, 20, 32, {});
    ASSERT_EQ(s.code, ErrorCode::KernelTrapped) << c.body << ": " << s.message;
    EXPECT_EQ(s.trap, c.trap);
    EXPECT_EQ(s.message, c.message);
  }
}

TEST(GpuDevice, MisalignedAccessesWork) {
  PW_NEED_GPU(d);
  Guest g;
  // Copies 64-bit values from p + 1 + 8i to q + 3 + 8i: every access misaligned.
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (param $q i32) (param i32)
      (i64.store offset=3 (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 3)))
        (i64.load offset=1 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))))))");
  constexpr uint32_t n = 100, p = 512, q = 4096;
  for (uint32_t i = 0; i < 8 * n + 8; ++i)
    g.memory.base()[p + i] = uint8_t(i * 7 + 1);
  Status s =
      run(*d, g, k, n, 64,
          {{p, 8 * n + 8, AccessKind::Read, false}, {q, 8 * n + 8, AccessKind::ReadWrite, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  EXPECT_EQ(std::memcmp(g.memory.base() + q + 3, g.memory.base() + p + 1, 8 * n), 0);
}

// Every access takes a one-test fast path or a slow path that checks exactly (ptx_policy.cpp):
// probes of each width and kind at and around both ends of the mirror, misaligned ones, an offset
// above the mirror's start (where the fast path's base would be negative) and addresses whose
// effective address passes 2^32 must trap exactly when some byte is outside the mirror, and
// read or write exactly the right bytes otherwise.
TEST(GpuDevice, AccessesTrapExactlyWhenOutsideTheMirror) {
  PW_NEED_GPU(d);
  // One buffer, a whole number of the mirror's 256-byte units: the mirror is exactly the buffer.
  constexpr uint32_t start = 65536, size = 4096, end = start + size, slot = start + 2048;
  constexpr uint64_t stored = 0x1122334455667788;
  auto pattern = [](uint64_t a) { return uint8_t(a * 37 + 11); };
  const char *loads[] = {"i64.load8_u", "i64.load16_u", "i64.load32_u", "i64.load"};
  const char *stores[] = {"i64.store8", "i64.store16", "i64.store32", "i64.store"};
  int probes = 0;
  for (bool store : {false, true})
    for (unsigned log = 0; log < 4; ++log)
      for (uint64_t offset : {0u, 3u, 16u, start + 100}) {
        unsigned width = 1u << log;
        // The address comes from the buffer's slot, the loaded value goes to slot + 8.
        std::string probe = "(i32.load offset=2048 (local.get $p))";
        std::string body =
            store ? "(" + std::string(stores[log]) + " offset=" + std::to_string(offset) + " " +
                        probe + " (i64.const " + std::to_string(stored) + "))"
                  : "(i64.store offset=2056 (local.get $p) (" + std::string(loads[log]) +
                        " offset=" + std::to_string(offset) + " " + probe + "))";
        auto k = kernel(R"((module (import "env" "memory" (memory 0))
          (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32) )" +
                        body + "))");
        ASSERT_TRUE(k);
        std::vector<uint32_t> addresses;
        auto around = [&](int64_t ea, int before, int after) {
          for (int64_t e = ea - before; e <= ea + after; ++e)
            addresses.push_back(uint32_t(e - int64_t(offset)));
        };
        around(start, 2 * width + 3, 2 * width + 3);
        around(end - width, 2 * width + 3, 2 * width + 3);
        around(start + 1000, 0, 2 * width);
        for (uint32_t a = 0xfffffff0u; a >= 0xfffffff0u; a += 3)
          addresses.push_back(a);
        for (uint32_t address : addresses) {
          uint64_t effective = uint64_t(address) + offset;
          bool inside = effective >= start && effective + width <= end;
          SCOPED_TRACE((store ? stores[log] : loads[log]) + std::string(" offset=") +
                       std::to_string(offset) + " at " + std::to_string(address));
          Guest g;
          for (uint32_t a = start; a < end; ++a)
            g.memory.base()[a] = pattern(a);
          *g.at<uint32_t>(slot) = address;
          *g.at<uint64_t>(slot + 8) = 0xdeadbeefdeadbeef;
          Status s = run(*d, g, k, 1, 32, {{start, size, AccessKind::ReadWrite, true}});
          ++probes;
          if (!inside) {
            ASSERT_EQ(s.code, ErrorCode::KernelTrapped) << s.message;
            EXPECT_EQ(s.trap, TrapCode::MemoryOutOfBounds);
            continue;
          }
          ASSERT_TRUE(s.isOk()) << s.message;
          ASSERT_TRUE(effective + width <= slot || effective >= slot + 16);
          if (!store) {
            uint64_t expected = 0;
            for (unsigned b = 0; b < width; ++b)
              expected |= uint64_t(pattern(effective + b)) << (8 * b);
            EXPECT_EQ(*g.at<uint64_t>(slot + 8), expected);
            continue;
          }
          for (uint32_t a = start; a < end; ++a) {
            if (a >= slot && a < slot + 16)
              continue;
            bool written = a >= effective && a < effective + width;
            uint8_t want = written ? uint8_t(stored >> (8 * (a - effective))) : pattern(a);
            ASSERT_EQ(g.memory.base()[a], want) << "byte " << a;
          }
        }
      }
  EXPECT_GT(probes, 1500);
}

// A loop whose accesses step through memory runs a copy without their tests when a check block
// finds that all would pass (compile/gpu_check_versioning.h), else the loop with them: either
// way the results and traps are the loop's, whatever the stride, direction, alignment or wrap.
TEST(GpuDevice, LoopsWithAndWithoutTheirAccessTestsAgree) {
  PW_NEED_GPU(d);
  // Sums count doubles from address `from` on, `step` bytes apart, each with its neighbours 8
  // bytes above and below (whose tests share the first one's address in the copy), copying each
  // to out[k]; the three parameters at p, the sum at p + 16, out at p + 64.
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (local $a i32) (local $step i32) (local $n i32) (local $k i32) (local $s f64) (local $v f64)
      (local.set $a (i32.load (local.get $p)))
      (local.set $step (i32.load offset=4 (local.get $p)))
      (local.set $n (i32.load offset=8 (local.get $p)))
      (block (loop
        (br_if 1 (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $v (f64.load (local.get $a)))
        (local.set $s (f64.add (local.get $s)
          (f64.add (f64.add (local.get $v) (f64.load offset=8 (local.get $a)))
                   (f64.load (i32.sub (local.get $a) (i32.const 8))))))
        (f64.store offset=64 (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))
          (local.get $v))
        (local.set $a (i32.add (local.get $a) (local.get $step)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br 0)))
      (f64.store offset=16 (local.get $p) (local.get $s)))))");
  constexpr uint32_t p = 65536, size = 16384, end = p + size, data = p + 8192;
  struct Case {
    uint32_t from;
    int32_t step;
    uint32_t count;
  } cases[] = {
      {data, 8, 100},      {data, 16, 50},    {end - 808, 8, 100},
      {end - 800, 8, 101}, {data + 4, 8, 10}, {end - 16, -8, 100},
      {data + 100, 0, 7},  {data, 8, 0},      {0xfffffff8u, 8, 3},
      {p - 40, 8, 10},     {p, -8, 2},        {data, 8, 1000},
      {end - 16, 8, 2},    {data + 2, 2, 40}, {data, 0x10000000, 3},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("from " + std::to_string(c.from) + " step " + std::to_string(c.step) + " count " +
                 std::to_string(c.count));
    ASSERT_LE(c.count, 1000u);
    Guest g;
    for (uint32_t a = data; a + 8 <= end; a += 8) {
      double v = (a - data) * 0.25 + 1;
      std::memcpy(g.memory.base() + a, &v, 8);
    }
    uint32_t params[3] = {c.from, uint32_t(c.step), c.count};
    std::memcpy(g.memory.base() + p, params, sizeof params);
    double sum = 0;
    bool traps = false;
    auto at = [&](uint64_t a) {
      double v;
      std::memcpy(&v, g.memory.base() + a, 8);
      return v;
    };
    for (uint32_t i = 0, a = c.from; i < c.count && !traps; ++i, a += uint32_t(c.step)) {
      // In the kernel's order: a, a + 8 (offset: no wrap), a - 8 (wraps).
      for (uint64_t e : {uint64_t(a), uint64_t(a) + 8, uint64_t(uint32_t(a - 8))})
        traps = traps || e < p || e + 8 > end;
      if (!traps)
        sum += (at(a) + at(uint64_t(a) + 8)) + at(uint32_t(a - 8));
    }
    Status s = run(*d, g, k, 1, 32, {{p, size, AccessKind::ReadWrite, true}});
    if (traps) {
      ASSERT_EQ(s.code, ErrorCode::KernelTrapped) << s.message;
      EXPECT_EQ(s.trap, TrapCode::MemoryOutOfBounds);
      continue;
    }
    ASSERT_TRUE(s.isOk()) << s.message;
    EXPECT_EQ(*g.at<double>(p + 16), sum);
  }
}

// memory.fill and memory.copy give the sequential device's bytes, overlapping copies both ways
// included; a range that starts inside the mirror and ends outside it (but inside the memory)
// traps before writing any of it.
TEST(GpuDevice, BulkMemoryChecksTheWholeRange) {
  PW_NEED_GPU(d);
  // Iteration i owns the 64 bytes at p + 64 i. Iteration FILL fills 200,064 bytes from there, and
  // iteration COPY copies 8 bytes from 150,000 bytes further: inside the 256 KiB memory, far
  // outside the mirror. (For the others the first copy's bytes are overwritten by the fill.)
  constexpr const char *kBulk = R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (local $o i32)
      (local.set $o (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 6))))
      (i32.store8 (local.get $o) (i32.const 0x77))
      (memory.copy (i32.add (local.get $o) (i32.const 1))
        (i32.add (local.get $o)
          (select (i32.const 150000) (i32.const 0) (i32.eq (local.get $i) (i32.const COPY))))
        (i32.const 8))
      (memory.fill (local.get $o) (i32.add (local.get $i) (i32.const 0x40))
        (select (i32.const 200064) (i32.const 48) (i32.eq (local.get $i) (i32.const FILL))))
      (i32.store offset=8 (local.get $o) (i32.mul (local.get $i) (i32.const 0x01020304)))
      (memory.copy (i32.add (local.get $o) (i32.const 5)) (local.get $o) (i32.const 32))
      (memory.copy (i32.add (local.get $o) (i32.const 17)) (i32.add (local.get $o) (i32.const 20))
        (i32.const 40))
      (memory.copy (local.get $o) (local.get $o) (i32.const 0))
      (memory.fill (i32.add (local.get $o) (i32.const 63)) (i32.const 0x1ff) (i32.const 1)))))";
  auto kernelWith = [&](const char *fill, const char *copy) {
    std::string text = kBulk, why;
    text.replace(text.find("FILL"), 4, fill);
    text.replace(text.find("COPY"), 4, copy);
    auto k = anyDeviceKernel(text.c_str(), why); // the sequential device runs it too
    EXPECT_TRUE(k) << why;
    return k;
  };
  constexpr uint32_t n = 100, p = 4096, size = n * 64;
  CpuDevice sequential(DeviceKind::Sequential, 1);
  Guest onGpu, onSequential;
  for (Guest *g : {&onGpu, &onSequential})
    std::memset(g->at<uint8_t>(p), 0xa5, size);
  auto fine = kernelWith("-1", "-1");
  PW_ASSERT_OK(run(sequential, onSequential, fine, n, 0, {{p, size, AccessKind::ReadWrite, true}}));
  PW_ASSERT_OK(run(*d, onGpu, fine, n, 32, {{p, size, AccessKind::ReadWrite, true}}));
  EXPECT_EQ(std::memcmp(onGpu.at<uint8_t>(p), onSequential.at<uint8_t>(p), size), 0);
  EXPECT_EQ(*onGpu.at<uint8_t>(p + 64 * 7), 0x47);
  EXPECT_EQ(*onGpu.at<uint8_t>(p + 64 * 7 + 63), 0xff);

  // Iteration 7 traps in its fill, then in its copy (on a CPU these ranges are fine: they lie in
  // the memory). Read the buffer back anyway: the bytes it wrote before are there (the read
  // shows the device's memory): its first byte, and in the fill's case the first copy's. The
  // bulk operator that trapped wrote none.
  for (auto [fill, copy] : {std::pair{"7", "-1"}, std::pair{"-1", "7"}}) {
    SCOPED_TRACE(std::string("fill ") + fill + ", copy " + copy);
    Guest g;
    std::memset(g.at<uint8_t>(p), 0xa5, size);
    std::unique_ptr<DeviceBuffer> buffer;
    PW_ASSERT_OK(d->createBuffer(size, AccessKind::ReadWrite, buffer));
    PW_ASSERT_OK(d->writeBuffer(buffer.get(), g.memory, p, size, AccessKind::ReadWrite));
    Status s = d->launch(
        launchOf(kernelWith(fill, copy), g, n, 32,
                 {transferDirections({p, size, AccessKind::ReadWrite, false, false, buffer.get()},
                                     false, true)},
                 7, 8));
    ASSERT_EQ(s.code, ErrorCode::KernelTrapped) << s.message;
    EXPECT_EQ(s.trap, TrapCode::MemoryOutOfBounds);
    EXPECT_EQ(s.message, "out of bounds memory access in iteration 7");
    PW_ASSERT_OK(d->readBuffer(buffer.get(), g.memory, p, p, size, AccessKind::ReadWrite));
    uint8_t want[64];
    std::memset(want, 0xa5, 64);
    want[0] = 0x77;
    if (*fill == '7')
      want[1] = 0x77; // the first copy moved bytes [0, 8) up by one
    EXPECT_EQ(std::memcmp(g.at<uint8_t>(p + 64 * 7), want, 64), 0)
        << "byte 1: " << int(*g.at<uint8_t>(p + 64 * 7 + 1));
  }
}

// Selects of a float on its own comparison with a constant keep Wasm's answer for zeros of
// either sign and for NaNs (a PTX min/max would give -0.0 for pmin(+0.0, -0.0)): the sequential
// device's bits exactly.
TEST(GpuDevice, FloatSelectsKeepTheSignOfZero) {
  PW_NEED_GPU(d);
  std::string why;
  auto k = anyDeviceKernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $in i32) (param i32)
      (param $out i32) (param i32)
      (local $x f32) (local $o i32)
      (local.set $x (f32.load (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 5))))
      (v128.store (local.get $o) (f32x4.pmin (v128.const f32x4 0 -0 0 -0) (f32x4.splat (local.get $x))))
      (v128.store offset=16 (local.get $o)
        (f32x4.pmax (v128.const f32x4 -0 0 -0 0) (f32x4.splat (local.get $x)))))))",
                           why);
  ASSERT_TRUE(k) << why;
  const float in[] = {-0.0f, 0.0f, NAN, -NAN, 1.0f, -1.0f, INFINITY, -INFINITY};
  constexpr uint32_t n = 8, inAt = 1024, outAt = 4096;
  CpuDevice sequential(DeviceKind::Sequential, 1);
  Guest onGpu, onSequential;
  for (Guest *g : {&onGpu, &onSequential}) {
    std::memcpy(g->at<uint8_t>(inAt), in, sizeof in);
    std::memset(g->at<uint8_t>(outAt), 0xa5, n * 32);
  }
  const std::vector<Buffer> buffers{{inAt, sizeof in, AccessKind::Read, false},
                                    {outAt, n * 32, AccessKind::Write, true}};
  PW_ASSERT_OK(run(sequential, onSequential, k, n, 0, buffers));
  PW_ASSERT_OK(run(*d, onGpu, k, n, 32, buffers));
  for (uint32_t at = 0; at < n * 32; at += 4)
    EXPECT_EQ(*onGpu.at<uint32_t>(outAt + at), *onSequential.at<uint32_t>(outAt + at))
        << "x = " << in[at / 32] << ", lane " << at % 32 / 4;
  // pmin(+0, -0) is +0: -0 < +0 does not hold.
  EXPECT_EQ(*onGpu.at<uint32_t>(outAt), 0u);
}

TEST(GpuDevice, AtomicsAreAtomic) {
  PW_NEED_GPU(d);
  Guest g;
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (drop (i32.atomic.rmw.add (local.get $p) (i32.const 1)))
      (drop (i64.atomic.rmw.add offset=8 (local.get $p) (i64.extend_i32_u (local.get $i))))
      (drop (i32.atomic.rmw8.add_u offset=16 (local.get $p) (i32.const 1))))))");
  constexpr uint32_t n = 100000;
  std::memset(g.memory.base() + 64, 0, 24);
  Status s = run(*d, g, k, n, 256, {{64, 24, AccessKind::ReadWrite, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  EXPECT_EQ(*g.at<uint32_t>(64), n);
  EXPECT_EQ(*g.at<uint64_t>(72), uint64_t(n) * (n - 1) / 2);
  EXPECT_EQ(*g.at<uint8_t>(80), uint8_t(n));
}

TEST(GpuDevice, FloatingPointIsWasms) {
  PW_NEED_GPU(d);
  Guest g;
  // out[0] = a * b + c with separate roundings (0 here; a fused multiply-add gives 2^-24);
  // out[1] = a subnormal product (flush-to-zero would give 0); out[2] = sqrt(2) correctly rounded;
  // out[3] = 0 / 0, the canonical NaN (PTX's own NaN is 0x7fffffff).
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (f32.store (local.get $p)
        (f32.add (f32.mul (f32.load offset=16 (local.get $p)) (f32.load offset=16 (local.get $p)))
                 (f32.load offset=20 (local.get $p))))
      (f32.store offset=4 (local.get $p)
        (f32.mul (f32.load offset=24 (local.get $p)) (f32.load offset=24 (local.get $p))))
      (f32.store offset=8 (local.get $p) (f32.sqrt (f32.load offset=28 (local.get $p))))
      (f32.store offset=12 (local.get $p)
        (f32.div (f32.const 0) (f32.load offset=32 (local.get $p)))))))");
  float in[5] = {1.0f + 0x1p-12f, -(1.0f + 0x1p-11f), 1e-20f, 2.0f, 0.0f};
  std::memcpy(g.memory.base() + 256 + 16, in, sizeof in);
  Status s = run(*d, g, k, 1, 32, {{256, 36, AccessKind::ReadWrite, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  volatile float a = in[0], c = in[1], tiny = in[2], two = in[3];
  float product = a * a;
  EXPECT_EQ(g.at<float>(256)[0], product + c);
  EXPECT_EQ(g.at<float>(256)[0], 0.0f);
  EXPECT_EQ(g.at<float>(256)[1], tiny * tiny);
  EXPECT_NE(g.at<float>(256)[1], 0.0f);
  EXPECT_EQ(g.at<float>(256)[2], std::sqrt(float(two)));
  EXPECT_EQ(g.at<uint32_t>(256)[3] & 0x7fffffffu, 0x7fc00000u);
}

// Arithmetic NaNs are canonicalised where they can be seen, not after every operation
// (compile/canonical_nan.h): each store, reinterpretation and bit operation of an arithmetic NaN
// must see Wasm's canonical NaN (PTX's own is 0x7fff...f), while a loaded NaN that a loop or a
// select may pass on unchanged must keep its payload bit for bit.
TEST(GpuDevice, NaNsAreCanonicalWhereverTheyAreSeen) {
  PW_NEED_GPU(d);
  Guest g;
  // Iteration i writes 10 results at p + 128 i; the inputs +inf, a signalling NaN with a
  // payload and 1.0 lie at p + 256. The select's NaN is its own: a merge with a loaded value
  // keeps the canonicalisation of what it merges, which would hide the other uses' own.
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (local $o i32) (local $nan f64) (local $s f64) (local $t f64) (local $k i32)
      (local.set $o (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 7))))
      (local.set $nan (f64.sub (f64.load offset=256 (local.get $p))
                               (f64.load offset=256 (local.get $p))))
      (f64.store (local.get $o) (local.get $nan))
      (f64.store offset=8 (local.get $o) (f64.neg (local.get $nan)))
      (f64.store offset=16 (local.get $o) (f64.copysign (local.get $nan) (f64.const -1)))
      ;; s = the signalling NaN, plus 1.0 2i times; t = 0, plus the NaN 2i + 1 times
      (local.set $s (f64.load offset=264 (local.get $p)))
      (local.set $k (i32.shl (local.get $i) (i32.const 1)))
      (block (loop (br_if 1 (i32.eqz (local.get $k)))
        (local.set $s (f64.add (local.get $s) (f64.load offset=272 (local.get $p))))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br 0)))
      (f64.store offset=24 (local.get $o) (local.get $s))
      (f64.store offset=32 (local.get $o)
        (select (f64.load offset=264 (local.get $p))
                (f64.mul (f64.load offset=256 (local.get $p)) (f64.const 0))
                (i32.eqz (local.get $i))))
      (i64.store offset=40 (local.get $o)
        (i64.reinterpret_f64 (f64.mul (local.get $nan) (f64.load offset=272 (local.get $p)))))
      (i64.store offset=48 (local.get $o)
        (i64.add (i64.extend_i32_u (f64.eq (local.get $nan) (local.get $nan)))
                 (i64.trunc_sat_f64_s (local.get $nan))))
      (f64.store offset=56 (local.get $o)
        (f64.min (f64.load offset=264 (local.get $p)) (f64.load offset=272 (local.get $p))))
      (local.set $k (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)))
      (loop
        (local.set $t (f64.add (local.get $t) (local.get $nan)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if 0 (local.get $k)))
      (f64.store offset=64 (local.get $o) (local.get $t))
      (f64.store offset=72 (local.get $o) (f64.abs (local.get $nan))))))");
  constexpr uint32_t p = 512;
  constexpr uint64_t canonical = 0x7ff8000000000000, sign = 0x8000000000000000,
                     signalling = 0x7ff0000000000123;
  double inf = INFINITY, one = 1.0;
  std::memcpy(g.memory.base() + p + 256, &inf, 8);
  std::memcpy(g.memory.base() + p + 264, &signalling, 8);
  std::memcpy(g.memory.base() + p + 272, &one, 8);
  Status s = run(*d, g, k, 2, 32, {{p, 280, AccessKind::ReadWrite, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  for (uint32_t i = 0; i < 2; ++i) {
    SCOPED_TRACE("iteration " + std::to_string(i));
    const uint64_t *out = g.at<uint64_t>(p + 128 * i);
    EXPECT_EQ(out[0] & ~sign, canonical) << std::hex << out[0];
    EXPECT_EQ(out[1] & ~sign, canonical) << std::hex << out[1]; // neg keeps the payload
    EXPECT_EQ(out[2], canonical | sign) << std::hex << out[2];
    // Looped zero times the signalling NaN passes through unchanged; twice it is arithmetic.
    if (i == 0)
      EXPECT_EQ(out[3], signalling) << std::hex << out[3];
    else
      EXPECT_EQ(out[3] & ~sign, canonical) << std::hex << out[3];
    if (i == 0)
      EXPECT_EQ(out[4], signalling) << std::hex << out[4];
    else
      EXPECT_EQ(out[4] & ~sign, canonical) << std::hex << out[4];
    EXPECT_EQ(out[5] & ~sign, canonical) << std::hex << out[5];
    EXPECT_EQ(out[6], 0u);
    // min of a signalling NaN: an arithmetic NaN (quiet), whatever its payload.
    EXPECT_EQ(out[7] & canonical, canonical) << std::hex << out[7];
    EXPECT_EQ(out[8] & ~sign, canonical) << std::hex << out[8];
    EXPECT_EQ(out[9], canonical) << std::hex << out[9];
  }
}

TEST(GpuDevice, EachThreadHasItsOwnGlobals) {
  PW_NEED_GPU(d);
  Guest g;
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (global $g (mut i32) (i32.const 1000))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                 (global.get $g)))))");
  constexpr uint32_t n = 256; // one iteration per thread
  Status s = run(*d, g, k, n, 256, {{0, 4 * n, AccessKind::Write, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  for (uint32_t i = 0; i < n; ++i)
    EXPECT_EQ(g.at<int32_t>(0)[i], 1001) << i;
}

TEST(GpuDevice, MemorySizeIsTheCallers) {
  PW_NEED_GPU(d);
  Guest g(7);
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (i32.store (local.get $p) (memory.size)))))");
  Status s = run(*d, g, k, 1, 1, {{8, 4, AccessKind::Write, true}});
  ASSERT_TRUE(s.isOk()) << s.message;
  EXPECT_EQ(*g.at<int32_t>(8), 7);
}

TEST(GpuDevice, RefusesWhatAGpuCannotRun) {
  PW_NEED_GPU(d);
  Guest g;
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param i32 i32 i32) (drop (memory.grow (i32.const 1))))))");
  Status s = run(*d, g, k, 4, 32, {});
  EXPECT_EQ(s.code, ErrorCode::NotSupported) << s.message;
  EXPECT_NE(s.message.find("memory.grow"), std::string::npos) << s.message;
}

TEST(GpuDevice, ZeroIterationsRunNothing) {
  PW_NEED_GPU(d);
  Guest g;
  EXPECT_TRUE(run(*d, g, kernel(kVectorAdd), 0, 32,
                  {{0, 4, AccessKind::Read, false},
                   {4, 4, AccessKind::Read, false},
                   {8, 4, AccessKind::Write, true}})
                  .isOk());
}

// Kernels compiled by the GPU device, or by every GPU of a device over several.
size_t compiledKernels(Device &d) {
  auto *several = dynamic_cast<cuda::MultiGpuDevice *>(&d);
  if (!several)
    return static_cast<cuda::GpuDevice &>(d).compiledKernels();
  size_t n = 0;
  for (const auto &g : several->gpus())
    n += g->compiledKernels();
  return n;
}

TEST(GpuDevice, CompilesEachKernelOnce) {
  PW_NEED_GPU(d);
  Guest g;
  auto k = kernel(R"((module (import "env" "memory" (memory 0))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (i32.store offset=12 (local.get $p) (local.get $i)))))");
  ASSERT_TRUE(run(*d, g, k, 1, 1, {{0, 16, AccessKind::Write, true}}).isOk());
  size_t before = compiledKernels(*d);
  for (int r = 0; r < 5; ++r)
    ASSERT_TRUE(run(*d, g, k, 1, 1, {{0, 16, AccessKind::Write, true}}).isOk());
  EXPECT_EQ(compiledKernels(*d), before);
}

} // namespace
} // namespace parawasm::parallel
