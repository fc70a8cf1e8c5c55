// The runtime entry points compiled CPU code calls (vm/runtime_calls.def).
#include "runtime/exceptions.h"
#include "runtime/interpreter.h"
#include "runtime/interrupt.h"
#include "runtime/objects.h"
#include "runtime/trap.h"
#include "vm/guest_memory_view.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <new>
#include <type_traits>
#include <unordered_map>

using parawasm::TrapCode;
using parawasm::vm::VMContext;
using namespace parawasm::runtime;

namespace {

InstanceObject &instanceOf(void *ctx) {
  return *static_cast<InstanceObject *>(static_cast<VMContext *>(ctx)->instance);
}

// Inlined so that the return address is the compiled code's call site: it names the function.
[[noreturn]] __attribute__((always_inline)) inline void trapHere(TrapCode code) {
  raiseTrap(code, reinterpret_cast<uintptr_t>(__builtin_return_address(0)));
}

// Parking lot for memory.atomic.wait/notify, keyed by host address: a FIFO of waiters per
// address. notify takes waiters off the front and marks each woken itself; a shared count of
// wake-ups would let a later waiter take (or miss) a wake-up meant for an earlier one.
struct Waiter {
  std::condition_variable cv;
  bool woken = false;
};
std::mutex parkingMutex;
std::unordered_map<uintptr_t, std::deque<Waiter *>> parking;

MemoryObject &memoryOf(void *ctx, int32_t memory) {
  return *instanceOf(ctx).memories[uint32_t(memory)];
}

uint8_t *atomicAddress(MemoryObject &mem, int64_t address, uint32_t size) {
  if (uint64_t(address) % size)
    trapHere(TrapCode::UnalignedAtomic);
  // Compared without a sum that could wrap (a 64-bit memory's address may be near 2^64).
  uint64_t bytes = mem.vm.sizeBytes.load();
  if (bytes < size || uint64_t(address) > bytes - size)
    trapHere(TrapCode::MemoryOutOfBounds);
  return mem.vm.base + address;
}

// How long a waiter sleeps before it looks at its instance's interrupt flag again: an interrupt
// does not know which waiters to wake.
constexpr auto kInterruptSlice = std::chrono::milliseconds(10);

// 0 "ok", 1 "not-equal", 2 "timed-out", or -1 when the instance was interrupted (the caller
// traps once this frame's destructors have run).
template <class T>
int32_t waitOn(void *ctx, int32_t memory, int64_t address, T expected, int64_t timeoutNs) {
  MemoryObject &mem = memoryOf(ctx, memory);
  uint8_t *p = atomicAddress(mem, address, sizeof(T));
  if (!mem.vm.shared)
    trapHere(TrapCode::ExpectedSharedMemory);
  const std::atomic<uint32_t> &interrupt = *static_cast<VMContext *>(ctx)->interrupt;
  std::unique_lock lock(parkingMutex);
  if (reinterpret_cast<std::atomic<T> *>(p)->load() != expected)
    return 1; // "not-equal"
  if (interrupt.load())
    return -1;
  Waiter self;
  std::deque<Waiter *> &queue = parking[uintptr_t(p)];
  queue.push_back(&self);
  auto woken = [&] { return self.woken; };
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      timeoutNs < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::nanoseconds(timeoutNs);
  int32_t result = 2;
  for (;;) {
    Clock::time_point now = Clock::now();
    Clock::time_point until = deadline - now < kInterruptSlice ? deadline : now + kInterruptSlice;
    if (self.cv.wait_until(lock, until, woken)) {
      result = 0;
      break;
    }
    if (interrupt.load()) {
      result = -1;
      break;
    }
    if (until == deadline)
      break;
  }
  if (result != 0) { // still queued: notify removes only those it wakes
    queue.erase(std::find(queue.begin(), queue.end(), &self));
    if (queue.empty())
      parking.erase(uintptr_t(p));
  }
  return result;
}

} // namespace

extern "C" {

[[noreturn]] void pw_trap(int32_t code) { trapHere(static_cast<TrapCode>(code)); }

[[noreturn]] void pw_raise_pending() { raisePending(); }

int32_t pw_host_call(void *hostFunc, void *callerCtx, void *io) {
  auto &f = *static_cast<FuncObject *>(hostFunc);
  auto *slots = static_cast<parawasm::vm::Slot *>(io);
  const parawasm::FuncType &type = f.type;
  // Host code may allocate and throw; nothing of that may cross back into compiled frames.
  try {
    // On the stack up to 16 of each, and only those the type has made: a host call allocates
    // and clears nothing of its own (parallel_exec in a loop makes one per launch; clearing
    // two arrays of 16 took most of this function's instructions).
    using parawasm::Val;
    static_assert(std::is_trivially_destructible_v<Val>);
    alignas(Val) unsigned char argBytes[16 * sizeof(Val)], resultBytes[16 * sizeof(Val)];
    std::vector<Val> bigArgs, bigResults;
    Val *argv = reinterpret_cast<Val *>(argBytes), *resultv = reinterpret_cast<Val *>(resultBytes);
    if (type.params.size() > 16) {
      bigArgs.resize(type.params.size());
      argv = bigArgs.data();
    }
    if (type.results.size() > 16) {
      bigResults.resize(type.results.size());
      resultv = bigResults.data();
    }
    for (size_t i = 0; i < type.params.size(); ++i) {
      Val *arg = ::new (&argv[i]) Val;
      arg->type = type.params[i];
      std::memcpy(&arg->of, &slots[i], sizeof(parawasm::vm::Slot));
    }
    for (size_t i = 0; i < type.results.size(); ++i)
      ::new (&resultv[i]) Val(Val::zero(type.results[i]));
    parawasm::Caller caller(callerCtx ? &instanceOf(callerCtx) : nullptr);
    parawasm::HostStatus st =
        f.host(caller, {argv, type.params.size()}, {resultv, type.results.size()});
    if (!st.isOk()) {
      setPendingError(*st.error());
      return 1;
    }
    for (size_t i = 0; i < type.results.size(); ++i)
      std::memcpy(&slots[i], &resultv[i].of, sizeof(parawasm::vm::Slot));
    // A checkpoint of interruption (runtime/interrupt.h): a loop that spends its time in host
    // calls would otherwise rarely be signalled inside compiled code.
    if (interruptedAtHostReturn()) {
      setPendingError(parawasm::Error::trap(
          TrapCode::Interrupted, std::string(trapCodeMessage(TrapCode::Interrupted)) +
                                     " (after host function '" + f.name + "' returned)"));
      return 1;
    }
    return 0;
  } catch (const std::exception &e) {
    setPendingError(parawasm::Error::trap(
        TrapCode::HostTrap, std::string("host function '") + f.name + "' failed: " + e.what()));
    return 1;
  } catch (...) {
    setPendingError(
        parawasm::Error::trap(TrapCode::HostTrap, "host function '" + f.name + "' failed"));
    return 1;
  }
}

int64_t pw_memory_grow(void *ctx, int32_t memory, int64_t delta) {
  return memoryOf(ctx, memory).grow(uint64_t(delta));
}

void pw_memory_init(void *ctx, int32_t memory, int32_t segment, int64_t dst, int32_t src,
                    int32_t len) {
  InstanceObject &inst = instanceOf(ctx);
  const auto &bytes = inst.module->info.data[segment].bytes;
  uint64_t segSize = inst.dataDropped[segment] ? 0 : bytes.size();
  MemoryObject &mem = memoryOf(ctx, memory);
  uint64_t size = mem.vm.sizeBytes.load();
  // dst is a 64-bit memory's address (or a zero-extended 32-bit one): compare without a sum.
  if (uint64_t(uint32_t(src)) + uint32_t(len) > segSize || uint64_t(dst) > size ||
      uint32_t(len) > size - uint64_t(dst))
    trapHere(TrapCode::MemoryOutOfBounds);
  if (len)
    std::memcpy(mem.vm.base + uint64_t(dst), bytes.data() + uint32_t(src), uint32_t(len));
}

void pw_data_drop(void *ctx, int32_t segment) { instanceOf(ctx).dataDropped[segment] = true; }

int32_t pw_table_grow(void *ctx, int32_t table, void *init, int32_t delta) {
  return instanceOf(ctx).tables[table]->grow(uint32_t(delta), init);
}

void pw_table_fill(void *ctx, int32_t table, int32_t dst, void *ref, int32_t len) {
  TableObject &t = *instanceOf(ctx).tables[table];
  if (uint64_t(uint32_t(dst)) + uint32_t(len) > t.vm.size)
    trapHere(TrapCode::TableOutOfBounds);
  std::fill(t.vm.elements + uint32_t(dst), t.vm.elements + uint32_t(dst) + uint32_t(len), ref);
}

void pw_table_copy(void *ctx, int32_t dstTable, int32_t srcTable, int32_t dst, int32_t src,
                   int32_t len) {
  InstanceObject &inst = instanceOf(ctx);
  TableObject &d = *inst.tables[dstTable];
  TableObject &s = *inst.tables[srcTable];
  if (uint64_t(uint32_t(src)) + uint32_t(len) > s.vm.size ||
      uint64_t(uint32_t(dst)) + uint32_t(len) > d.vm.size)
    trapHere(TrapCode::TableOutOfBounds);
  if (len) // an empty table has no elements array, and memmove must not see a null pointer
    std::memmove(d.vm.elements + uint32_t(dst), s.vm.elements + uint32_t(src),
                 uint32_t(len) * sizeof(void *));
}

void pw_table_init(void *ctx, int32_t table, int32_t segment, int32_t dst, int32_t src,
                   int32_t len) {
  InstanceObject &inst = instanceOf(ctx);
  TableObject &t = *inst.tables[table];
  const auto &refs = inst.elemSegments[segment];
  if (uint64_t(uint32_t(src)) + uint32_t(len) > refs.size() ||
      uint64_t(uint32_t(dst)) + uint32_t(len) > t.vm.size)
    trapHere(TrapCode::TableOutOfBounds);
  std::copy(refs.begin() + uint32_t(src), refs.begin() + uint32_t(src) + uint32_t(len),
            t.vm.elements + uint32_t(dst));
}

void pw_elem_drop(void *ctx, int32_t segment) { instanceOf(ctx).elemSegments[segment].clear(); }

int32_t pw_atomic_wait32(void *ctx, int32_t memory, int64_t address, int32_t expected,
                         int64_t timeoutNs) {
  int32_t r = waitOn<int32_t>(ctx, memory, address, expected, timeoutNs);
  if (r < 0)
    trapHere(TrapCode::Interrupted);
  return r;
}

int32_t pw_atomic_wait64(void *ctx, int32_t memory, int64_t address, int64_t expected,
                         int64_t timeoutNs) {
  int32_t r = waitOn<int64_t>(ctx, memory, address, expected, timeoutNs);
  if (r < 0)
    trapHere(TrapCode::Interrupted);
  return r;
}

int32_t pw_atomic_notify(void *ctx, int32_t memory, int64_t address, int32_t count) {
  MemoryObject &mem = memoryOf(ctx, memory);
  uint8_t *p = atomicAddress(mem, address, 4);
  if (!mem.vm.shared)
    return 0;
  std::lock_guard lock(parkingMutex);
  auto it = parking.find(uintptr_t(p));
  if (it == parking.end())
    return 0;
  std::deque<Waiter *> &queue = it->second;
  uint32_t woken = 0;
  while (woken < uint32_t(count) && !queue.empty()) {
    Waiter *w = queue.front();
    queue.pop_front();
    w->woken = true;
    w->cv.notify_one();
    ++woken;
  }
  if (queue.empty())
    parking.erase(it);
  return int32_t(woken);
}

} // extern "C"

namespace parawasm::runtime {

std::vector<std::pair<const char *, void *>> runtimeSymbols() {
  return {
#define PW_RUNTIME(sym, ret, params) {#sym, reinterpret_cast<void *>(&sym)},
#include "vm/runtime_calls.def"
#undef PW_RUNTIME
  };
}

ModuleObject::~ModuleObject() { unregisterModuleCode(this); }

} // namespace parawasm::runtime

namespace parawasm {

uint8_t *Caller::memoryBase() const {
  auto *mem = instance_ ? instance_->memory0() : nullptr;
  return mem ? mem->vm.base : nullptr;
}

uint64_t Caller::memorySize() const {
  auto *mem = instance_ ? instance_->memory0() : nullptr;
  return mem ? mem->vm.sizeBytes.load() : 0;
}

uint8_t *Caller::memoryAt(uint64_t offset, uint64_t length) const {
  return vm::GuestMemoryView(memoryBase(), memorySize()).at(offset, length);
}

} // namespace parawasm
