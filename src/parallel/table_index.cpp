// The table-index generation: parallel_for(worker, num_threads, block_size, in, out) runs
// worker(t, num_threads, block_size, buffers...) for every t in [0, num_threads) at the same
// time, each member on its own thread in its own sibling instance of the caller (shared memory
// and imports, a copy of the caller's globals), so members may wait for each other.
#include "parallel/host_api.h"

#include "parallel/device_registry.h"
#include "parallel/kernel.h"
#include "runtime/interrupt.h"
#include "runtime/objects.h"
#include "runtime/trap.h"
#include "support/trace.h"

#include <cstring>

namespace parawasm::parallel {
namespace {

// The table parallel_for indexes: the export "table", else "__indirect_function_table" (what
// wasm-ld exports with --export-table), else the module's only table.
runtime::TableObject *workerTable(runtime::InstanceObject &inst) {
  const vm::ModuleInfo &info = inst.module->info;
  for (const char *name : {"table", "__indirect_function_table"})
    for (const vm::ExportInfo &e : info.exports)
      if (e.kind == ExternKind::Table && e.name == name)
        return inst.tables[e.index].get();
  return inst.tables.size() == 1 ? inst.tables[0].get() : nullptr;
}

// What one member did.
struct MemberResult {
  std::optional<Error> error;
  char pad[64];
};

} // namespace

ErrorCode HostContext::parallelFor(Caller &caller, uint32_t worker, uint32_t numThreads,
                                   uint32_t blockSize, uint32_t inPtr, uint32_t inLen,
                                   uint32_t outPtr, uint32_t outLen, std::optional<Error> &unwind) {
  static const char *call = "parallel_for";
  support::TraceSpan span(tracer_.get(), call, "wasi-parallel");
  span.arg("worker", worker).arg("num_threads", numThreads);
  auto failWith = [&](Status st) {
    span.arg("result", errorCodeName(st.code));
    return fail(call, std::move(st));
  };
  runtime::InstanceObject *inst = caller.instance();
  if (!inst)
    return failWith(Status::fail(ErrorCode::InvalidArgument, "called without an instance"));
  GuestMemory memory = callerMemory(inst);
  if (!memory.contains(inPtr, uint64_t(inLen) * 4))
    return failWith(
        Status::fail(ErrorCode::BufferOutOfBounds, "the in-buffer list is outside memory"));
  if (!memory.contains(outPtr, uint64_t(outLen) * 4))
    return failWith(
        Status::fail(ErrorCode::BufferOutOfBounds, "the out-buffer list is outside memory"));
  if (numThreads == 0 || numThreads > TeamPool::kMaxMembers)
    return failWith(Status::fail(ErrorCode::InvalidArgument,
                                 "num_threads " + std::to_string(numThreads) + " is outside [1, " +
                                     std::to_string(TeamPool::kMaxMembers) + "]"));

  std::vector<ListedBuffer> listed;
  for (uint32_t k = 0; k < inLen + outLen; ++k) {
    bool input = k < inLen;
    int32_t handle;
    std::memcpy(&handle, memory.base() + (input ? inPtr + 4 * k : outPtr + 4 * (k - inLen)), 4);
    listed.push_back(
        {handle, input, !input, input ? "in-buffer" : "out-buffer", input ? k : k - inLen});
  }
  std::optional<size_t> deviceIndex;
  std::vector<LaunchBuffer> buffers;
  if (Status st = resolveBuffers(memory, listed, deviceIndex, buffers); !st.isOk())
    return failWith(std::move(st));
  if (!deviceIndex) { // no buffers: the device get_device last gave, else the default
    std::lock_guard lock(mutex_);
    if (lastDevice_)
      deviceIndex = size_t(lastDevice_ - 1);
  }
  Device &device = deviceIndex ? *devices()[*deviceIndex]
                               : *(forced_ ? forced_ : chooseDevice(devices(), DeviceKind::Cpu));
  span.arg("device", device.name());

  // The worker: a function of the caller's module, of type (i32 x (3 + 2 n)) -> ().
  runtime::TableObject *table = workerTable(*inst);
  if (!table)
    return failWith(Status::fail(ErrorCode::InvalidArgument,
                                 "the module exports no table named 'table' or "
                                 "'__indirect_function_table' and has no single table"));
  if (table->type.element != ValType::FuncRef)
    return failWith(Status::fail(ErrorCode::InvalidArgument, "the worker table holds no funcrefs"));
  if (worker >= table->vm.size)
    return failWith(Status::fail(ErrorCode::InvalidArgument,
                                 "worker " + std::to_string(worker) + " is outside the table (" +
                                     std::to_string(table->vm.size) + " entries)"));
  auto *ref = static_cast<vm::VMFuncRef *>(table->vm.elements[worker]);
  if (!ref)
    return failWith(Status::fail(ErrorCode::InvalidArgument,
                                 "worker " + std::to_string(worker) + " is a null table entry"));
  auto *func = static_cast<runtime::FuncObject *>(ref->owner);
  const FuncType expected{
      std::vector<ValType>(kernelParamCount(uint32_t(buffers.size())), ValType::I32), {}};
  if (func->type != expected)
    return failWith(Status::fail(ErrorCode::InvalidKernel,
                                 "worker " + std::to_string(worker) + " ('" + func->name +
                                     "') has type " + func->type.toString() + "; with " +
                                     std::to_string(buffers.size()) + " buffers it must be " +
                                     expected.toString()));
  if (func->instance != inst)
    return failWith(Status::fail(ErrorCode::InvalidKernel,
                                 "worker " + std::to_string(worker) + " ('" + func->name +
                                     "') is not a function defined by the calling module"));

  Status st;
  if (device.kind() == DeviceKind::Sequential || device.kind() == DeviceKind::Cpu) {
    st = runTeam(*inst, ref->funcIndex, numThreads, blockSize, buffers, unwind);
  } else {
    // A GPU runs the worker as a kernel: one iteration per thread id, no team semantics.
    std::shared_ptr<KernelModule> kernel;
    st = workerKernel(*inst, ref->funcIndex, kernel);
    if (st.isOk()) {
      Launch launch;
      launch.kernel = std::move(kernel);
      launch.memory = memory;
      launch.numIterations = numThreads;
      launch.blockSize = blockSize;
      launch.buffers = buffers;
      launch.tracer = tracer_.get();
      launch.interrupt = inst->ctx.interrupt;
      launch.fuel = inst->ctx.fuel;
      st = device.launch(launch);
    }
  }
  if (!st.isOk())
    return failWith(std::move(st));
  return ErrorCode::Success;
}

void HostContext::dropTeam(const runtime::InstanceObject *caller) {
  std::unique_ptr<Team> team;
  {
    std::lock_guard lock(teamMutex_);
    auto it = teams_.find(caller);
    if (it == teams_.end())
      return;
    team = std::move(it->second);
    teams_.erase(it);
  }
  // Destroyed outside the lock: a member may itself have led a team (a nested parallel_for).
}

HostContext::Team::~Team() {
  if (store)
    store->unlink(&stop);
}

Status HostContext::runTeam(runtime::InstanceObject &caller, uint32_t funcIndex,
                            uint32_t numThreads, uint32_t blockSize,
                            const std::vector<LaunchBuffer> &buffers,
                            std::optional<Error> &unwind) {
  Team *team = nullptr;
  {
    std::lock_guard lock(teamMutex_);
    auto &slot = teams_[&caller];
    // A team lives as long as its caller: dropTeam removes it when the caller dies.
    if (!slot) {
      slot = std::make_unique<Team>();
      slot->caller = caller.self;
      slot->store = caller.store;
      slot->store->link(&slot->stop);
      // The members hold the caller's imports, this context's host functions among them, so a
      // team left behind would keep this context and itself alive for ever.
      caller.onDestroy.push_back([this, key = &caller] { dropTeam(key); });
    }
    team = teams_[&caller].get();
    while (team->members.size() < numThreads) {
      auto sibling = runtime::instantiateSibling(caller);
      if (!sibling)
        return Status::fail(ErrorCode::OutOfResources, "cannot instantiate worker " +
                                                           std::to_string(team->members.size()) +
                                                           ": " + sibling.error().message());
      team->members.push_back(std::move(*sibling));
    }
  }

  // The arguments every member gets but its thread id; the member copies them to its own stack.
  const size_t params = kernelParamCount(uint32_t(buffers.size()));
  constexpr size_t kInlineParams = 3 + 2 * 16;
  std::vector<vm::Slot> shared(params);
  shared[1].i32 = int32_t(numThreads);
  shared[2].i32 = int32_t(blockSize);
  for (size_t b = 0; b < buffers.size(); ++b) {
    shared[3 + 2 * b].i32 = int32_t(buffers[b].address);
    shared[4 + 2 * b].i32 = int32_t(buffers[b].size);
  }
  // Set already if the caller is being interrupted; otherwise the store's interrupt() sets it.
  // Clearing takes the interrupt registry's lock: only after a run that set it.
  if (caller.ctx.interrupt->load())
    team->stop.store(1);
  else if (team->stop.load())
    runtime::clearInterrupt(team->stop); // and no longer signalled for a previous run
  std::vector<MemberResult> results(numThreads);
  support::Trace *tracer = tracer_.get();
  auto runMember = [&](unsigned m) {
    runtime::InstanceObject &inst = *team->members[m];
    runtime::syncSibling(inst, caller);
    inst.ctx.interrupt = &team->stop;
    vm::Slot inlineIo[kInlineParams];
    std::vector<vm::Slot> heapIo;
    vm::Slot *io = inlineIo;
    if (params > kInlineParams) {
      heapIo.resize(params);
      io = heapIo.data();
    }
    std::copy(shared.begin(), shared.end(), io);
    io[0].i32 = int32_t(m);
    double start = tracer ? tracer->nowUs() : 0;
    const vm::VMFuncRef &ref = inst.funcs[funcIndex]->ref;
    auto done = runtime::callGuarded(reinterpret_cast<runtime::EntryThunk>(ref.entry), ref.code,
                                     ref.calleeCtx, &inst.ctx, io);
    if (tracer)
      tracer->complete("worker", "cpu", start, tracer->nowUs(),
                       support::TraceArgs().add("thread_id", m));
    if (!done) {
      results[m].error.emplace(done.takeError());
      runtime::raiseInterrupt(team->stop); // the others may be waiting for this one
    }
  };
  auto ran = teamPool_.run(numThreads, runMember);
  if (!ran)
    return Status::fail(ErrorCode::OutOfResources, ran.error().message());

  // The member that failed first, as far as one can tell: one that was not stopped by the others.
  auto stoppedByOthers = [&](unsigned m) {
    return results[m].error->trapCode() == TrapCode::Interrupted && !caller.ctx.interrupt->load();
  };
  std::vector<unsigned> order;
  for (unsigned m = 0; m < numThreads; ++m)
    if (results[m].error && !stoppedByOthers(m))
      order.push_back(m);
  for (unsigned m = 0; m < numThreads; ++m)
    if (results[m].error && stoppedByOthers(m))
      order.push_back(m);
  for (unsigned m : order) {
    std::optional<Error> &e = results[m].error;
    if (e->exitStatus()) {
      // proc_exit in a worker ends the whole program: the caller unwinds with it.
      unwind = std::move(e);
      return Status::fail(ErrorCode::KernelTrapped,
                          "worker thread " + std::to_string(m) + " called proc_exit");
    }
    return Status::trapped(e->trapCode().value_or(TrapCode::HostTrap),
                           e->message() + " in worker thread " + std::to_string(m));
  }
  return Status::ok();
}

Status HostContext::workerKernel(runtime::InstanceObject &caller, uint32_t funcIndex,
                                 std::shared_ptr<KernelModule> &out) {
  const auto &module = caller.module;
  if (!module->bytes)
    return Status::fail(ErrorCode::NotSupported,
                        "the module's binary was not kept, so its worker cannot be compiled for "
                        "this device");
  std::lock_guard lock(teamMutex_);
  auto key = std::make_pair(static_cast<const void *>(module.get()), funcIndex);
  auto it = workerKernels_.find(key);
  if (it != workerKernels_.end() && it->second.module.lock() == module) {
    out = it->second.kernel;
    return Status::ok();
  }
  auto kernel = KernelModule::forWorker(*compiler_, *module->bytes, funcIndex);
  if (!kernel)
    return Status::fail(ErrorCode::InvalidKernel, kernel.error().message());
  if (workerKernels_.size() >= 64)
    std::erase_if(workerKernels_, [](const auto &kv) { return kv.second.module.expired(); });
  workerKernels_[key] = {module, *kernel};
  out = std::move(*kernel);
  return Status::ok();
}

} // namespace parawasm::parallel
