#include "wasi/threads.h"

#include "runtime/guest_thread.h"
#include "runtime/objects.h"
#include "runtime/trap.h"

#include <cstdio>
#include <unistd.h>

namespace parawasm::wasi {

namespace {

constexpr const char *kEntryName = "wasi_thread_start";

// The index of the module's exported wasi_thread_start, if it has the right type.
std::optional<uint32_t> entryIndex(const runtime::InstanceObject &inst) {
  const vm::ModuleInfo &info = inst.module->info;
  for (const vm::ExportInfo &e : info.exports)
    if (e.kind == ExternKind::Func && e.name == kEntryName) {
      const FuncType wanted{{ValType::I32, ValType::I32}, {}};
      if (e.index < info.numImportedFuncs || inst.funcs[e.index]->type != wanted)
        return std::nullopt;
      return e.index;
    }
  return std::nullopt;
}

} // namespace

struct ThreadGroup::Thread {
  std::shared_ptr<ThreadGroup> group;
  std::shared_ptr<runtime::InstanceObject> instance;
  uint32_t func;
  int32_t tid;
  uint32_t startArg;
};

ThreadGroup::ThreadGroup(EndHandler onEnd) : onEnd_(std::move(onEnd)) {}

int32_t ThreadGroup::spawn(runtime::InstanceObject *caller, uint32_t startArg) {
  if (!caller || caller->memories.empty() || !caller->memories[0]->type.shared)
    return -1;
  std::optional<uint32_t> func = entryIndex(*caller);
  if (!func)
    return -1;
  auto sibling = runtime::instantiateSibling(*caller, runtime::SiblingState::Initial);
  if (!sibling)
    return -1;
  auto thread = std::make_unique<Thread>();
  thread->group = shared_from_this();
  thread->instance = std::move(*sibling);
  thread->func = *func;
  thread->startArg = startArg;
  {
    std::lock_guard lock(mutex_);
    if (lastTid_ == kMaxTid || ending_)
      return -1;
    thread->tid = ++lastTid_;
    ++running_;
  }
  const int32_t tid = thread->tid;
  pthread_t handle;
  if (runtime::startGuestThread(&ThreadGroup::threadMain, thread.get(), &handle) != 0) {
    std::lock_guard lock(mutex_);
    --running_;
    idle_.notify_all();
    return -1;
  }
  thread.release(); // the thread owns it now
  pthread_detach(handle);
  return tid;
}

void *ThreadGroup::threadMain(void *arg) {
  std::unique_ptr<Thread> thread(static_cast<Thread *>(arg));
  const vm::VMFuncRef &ref = thread->instance->funcs[thread->func]->ref;
  vm::Slot io[2]{};
  io[0].i32 = thread->tid;
  io[1].i32 = int32_t(thread->startArg);
  auto done = runtime::callGuarded(reinterpret_cast<runtime::EntryThunk>(ref.entry), ref.code,
                                   ref.calleeCtx, &thread->instance->ctx, io);
  std::optional<Error> error;
  if (!done)
    error.emplace(done.takeError());
  // The instance goes before the group learns that the thread has finished, so that nothing of
  // it is left when an embedder that waited in finish() tears the module down.
  std::shared_ptr<ThreadGroup> group = std::move(thread->group);
  int32_t tid = thread->tid;
  thread.reset();
  group->ended(tid, std::move(error));
  return nullptr;
}

void ThreadGroup::ended(int32_t tid, std::optional<Error> error) {
  if (error) {
    {
      std::lock_guard lock(mutex_);
      if (ending_) // another thread is ending the program already
        return;
      ending_ = true;
    }
    if (!error->exitStatus())
      error.emplace(
          Error::trap(error->trapCode().value_or(TrapCode::HostTrap),
                      error->message() + " (in wasi-threads thread " + std::to_string(tid) + ")"));
    onEnd_(*error);
    exitProcessFor(*error); // a handler must not return; make sure of it
  }
  std::lock_guard lock(mutex_);
  if (--running_ == 0)
    idle_.notify_all();
}

unsigned ThreadGroup::finish(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  idle_.wait_for(lock, grace, [&] { return running_ == 0; });
  return running_;
}

void exitProcessFor(const Error &error) {
  std::fflush(stdout);
  if (!error.exitStatus())
    std::fprintf(stderr, "Error: %s\n", error.message().c_str());
  std::fflush(stderr);
  // Not exit(): other threads are running guest code, and static destructors would free what
  // they use.
  _exit(error.exitStatus().value_or(1));
}

} // namespace parawasm::wasi
