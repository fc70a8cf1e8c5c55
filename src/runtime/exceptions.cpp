#include "runtime/exceptions.h"
#include "runtime/objects.h"
#include "runtime/trap.h"
#include "vm/exception.h"

#include <memory>
#include <vector>

namespace parawasm::runtime {
namespace {

// An exception a `catch` kept for `rethrow`: the payload is copied out of the record, which the
// next throw on this thread overwrites.
struct Caught {
  void *tag;
  std::vector<vm::Slot> values;
  bool released = false;
};

struct ThreadExceptions {
  vm::VMException record{};
  std::vector<vm::Slot> payload; // record.values points here
  // The exceptions caught for rethrow on this thread, innermost catch last. A catch body that
  // ends or lets an exception out releases its own (pw_exception_release); one left by a branch
  // or a return does not, and what it kept is freed when the outermost host entry returns.
  std::vector<std::unique_ptr<Caught>> caught;
};

thread_local ThreadExceptions tls;

InstanceObject &instanceOf(void *ctx) {
  return *static_cast<InstanceObject *>(static_cast<vm::VMContext *>(ctx)->instance);
}

vm::Slot *fill(void *tag, uint32_t count) {
  if (tls.payload.size() < count)
    tls.payload.resize(count);
  tls.record.tag = tag;
  tls.record.count = count;
  tls.record.values = tls.payload.data();
  tls.record.pending = 1;
  return tls.payload.data();
}

} // namespace

bool takeUncaughtException() {
  bool pending = tls.record.pending != 0;
  tls.record.pending = 0;
  return pending;
}

void releaseCaughtExceptions() { tls.caught.clear(); }

} // namespace parawasm::runtime

using namespace parawasm::runtime;

extern "C" {

void *pw_exception_state() { return &tls.record; }

void *pw_throw(void *ctx, int32_t tagIndex, int32_t count) {
  return fill(instanceOf(ctx).tags[uint32_t(tagIndex)].get(), uint32_t(count));
}

void *pw_tag(void *ctx, int32_t tagIndex) { return instanceOf(ctx).tags[uint32_t(tagIndex)].get(); }

void *pw_exception_capture() {
  auto caught = std::make_unique<Caught>();
  caught->tag = tls.record.tag;
  caught->values.assign(tls.record.values, tls.record.values + tls.record.count);
  tls.caught.push_back(std::move(caught));
  return tls.caught.back().get();
}

void pw_exception_release(void *handle) {
  static_cast<Caught *>(handle)->released = true;
  // Catch bodies nest, so releases come innermost first; one left by a branch stays until the
  // catches around it are released too.
  while (!tls.caught.empty() && tls.caught.back()->released)
    tls.caught.pop_back();
}

void pw_rethrow(void *handle) {
  auto &caught = *static_cast<Caught *>(handle);
  parawasm::vm::Slot *values = fill(caught.tag, uint32_t(caught.values.size()));
  std::copy(caught.values.begin(), caught.values.end(), values);
}

void pw_exception_escape(void *callerCtx) {
  // A module without tags or `try` is compiled without the checks after its calls: an exception
  // returning into one of its functions would let that function run on. It stops here instead,
  // as an uncaught exception.
  if (callerCtx && !instanceOf(callerCtx).module->info.checksExceptions) {
    tls.record.pending = 0;
    raiseTrap(parawasm::TrapCode::UncaughtException,
              reinterpret_cast<uintptr_t>(__builtin_return_address(0)));
  }
}

} // extern "C"
