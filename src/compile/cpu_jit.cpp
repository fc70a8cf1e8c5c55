// The CPU back end: translate in parallel partitions, optimise, emit objects, link with ORC.
#include "compile/compiler.h"
#include "compile/cpu_policy.h"
#include "compile/interp_builder.h"
#include "compile/module_translator.h"
#include "compile/pass_pipeline.h"
#include "compile/perf_map.h"
#include "support/try.h"
#include "wasm/expr_walk.h"

#include "support/address_ranges.h"
#include "support/big_stack.h"
#include "support/byte_io.h"
#include "support/file_io.h"
#include "support/sha256.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/IndirectionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/LazyReexports.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <map>
#include <mutex>
#include <pthread.h>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>

namespace parawasm::compile {

std::string compilerBuildId() {
  // The file this compiler's code was loaded from: the executable, or libparawasm.so in an
  // embedder (whose own executable says nothing about which parawasm it loaded). Not
  // /proc/self/exe alone: under valgrind that is valgrind's tool, the same for every build.
  Dl_info self{};
  std::string path = "/proc/self/exe";
  if (dladdr(reinterpret_cast<void *>(&compilerBuildId), &self) && self.dli_fname &&
      std::strchr(self.dli_fname, '/'))
    path = self.dli_fname;
  struct stat st {};
  std::string id = "parawasm-" + std::string(version());
  if (stat(path.c_str(), &st) == 0 || stat("/proc/self/exe", &st) == 0)
    id += "-" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec);
  return id;
}

namespace {

// The host CPU as LLVM sees it, read once: every query runs CPUID, which a virtual machine may
// trap (two names and a feature list took 3 % of a warm start).
struct HostCpu {
  std::string name;
  std::vector<std::string> features; // "+avx512f", "-avx512f"..., sorted
};

const HostCpu &hostCpu() {
  static const HostCpu cpu = [] {
    HostCpu c{llvm::sys::getHostCPUName().str(), {}};
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      c.features.push_back((feature.second ? "+" : "-") + feature.first().str());
    std::sort(c.features.begin(), c.features.end());
    return c;
  }();
  return cpu;
}

// JITTargetMachineBuilder::detectHost, from the one reading.
llvm::orc::JITTargetMachineBuilder hostMachineBuilder() {
  llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(llvm::sys::getProcessTriple())};
  jtmb.setCPU(hostCpu().name);
  jtmb.addFeatures(hostCpu().features);
  return jtmb;
}

} // namespace

std::string codegenKey(const CompileOptions &options) {
  // The features too: a virtual machine may hide some of a CPU's (AVX-512, say) behind the same
  // name, and code cached where they were on would not run where they are off.
  static const std::string cpu = [] {
    std::string enabled;
    for (const std::string &feature : hostCpu().features)
      if (feature[0] == '+')
        enabled += feature.substr(1) + ",";
    std::string digest =
        support::sha256Hex({reinterpret_cast<const uint8_t *>(enabled.data()), enabled.size()});
    return hostCpu().name + "-" + digest.substr(0, 12); // znver4-3fa2c1d09e8b, say
  }();
  return compilerBuildId() + "|" + (options.optLevel == OptLevel::Full ? "O2" : "O0") + "|" + cpu +
         (options.kernelFunc ? "|kernel" + std::to_string(*options.kernelFunc) : "") +
         (options.consumeFuel ? "|fuel" : "") +
         (options.kernelFunc && options.checkKernelBuffers ? "|checked" : "");
}

namespace {

std::string llvmErrorText(llvm::Error err) { return llvm::toString(std::move(err)); }

// The size of a function's body in operators, nested blocks included: what its compile time
// grows with. Iterative, since adversarial modules nest deeply.
size_t functionWeight(const wabt::Func &func) {
  size_t weight = 1;
  wasm::forEachExpr(func.exprs, [&](const wabt::Expr &) {
    ++weight;
    return true;
  });
  return weight;
}

Result<std::unique_ptr<llvm::TargetMachine>> hostTargetMachine(OptLevel level) {
  llvm::orc::JITTargetMachineBuilder jtmb = hostMachineBuilder();
  jtmb.setRelocationModel(llvm::Reloc::PIC_);
  jtmb.setCodeModel(llvm::CodeModel::Small);
  jtmb.setCodeGenOptLevel(level == OptLevel::Full ? llvm::CodeGenOptLevel::Default
                                                  : llvm::CodeGenOptLevel::None);
  auto tm = jtmb.createTargetMachine();
  if (!tm)
    return Error(ErrorKind::Internal, llvmErrorText(tm.takeError()));
  return std::move(*tm);
}

// Optimises `m` at `level` and emits it as an object file for `tm`.
Result<std::vector<char>> emitObject(llvm::Module &m, llvm::TargetMachine &tm, OptLevel level,
                                     const std::atomic<bool> *cancel) {
  m.setDataLayout(tm.createDataLayout());
  m.setTargetTriple(tm.getTargetTriple().str());
  optimizeModule(m, tm, level, cancel);
  if (cancel && cancel->load(std::memory_order_relaxed)) // passes were skipped: not `level`'s code
    return Error(ErrorKind::Internal, "compile cancelled");
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return Error(ErrorKind::Internal, "the host target cannot emit object files");
  pm.run(m);
  return std::vector<char>(buffer.begin(), buffer.end());
}

// One partition: its own context and target machine, so partitions compile on separate threads.
Result<std::vector<char>>
compilePartition(const wasm::LoadedModule &loaded, std::span<const uint32_t> funcs, bool withTables,
                 OptLevel level, std::optional<uint32_t> kernelFunc, bool consumeFuel,
                 bool checkKernelBuffers, const char *bodySuffix = nullptr,
                 const std::atomic<bool> *cancel = nullptr, bool interpretedShell = false) {
  // Lazy compiles (bodySuffix) all run on one thread: it keeps its target machine.
  thread_local std::unique_ptr<llvm::TargetMachine> lazyMachine;
  Result<std::unique_ptr<llvm::TargetMachine>> tm =
      bodySuffix && lazyMachine ? std::move(lazyMachine) : hostTargetMachine(level);
  if (!tm)
    return tm.takeError();
  struct KeepMachine {
    bool keep;
    std::unique_ptr<llvm::TargetMachine> &from;
    ~KeepMachine() {
      if (keep && from)
        lazyMachine = std::move(from);
    }
  } keepMachine{bodySuffix != nullptr, *tm};
  llvm::LLVMContext context;
  context.setDiscardValueNames(true); // names only cost time when nobody reads the IR
  CpuPolicy policy;
  policy.consumeFuel = consumeFuel;
  policy.checkKernelBuffers = checkKernelBuffers;
  auto m = translateModule(context, loaded, policy, funcs, withTables, kernelFunc, cancel,
                           interpretedShell);
  if (!m)
    return m.takeError();
  if (cancel && cancel->load(std::memory_order_relaxed))
    return Error(ErrorKind::Internal, "compile cancelled");
  // A lazily compiled body is defined under another name: the plain name is its stub, which
  // the other functions call (see LazyFunctionUnit).
  if (bodySuffix)
    for (uint32_t f : funcs)
      (*m)->getFunction(functionSymbol(f))->setName(functionSymbol(f) + bodySuffix);
  return emitObject(**m, **tm, level, cancel);
}

// Function `func` entered at the `loop` operator (vm::InterpHooks::loopEntry), at the fast tier,
// as the symbol `name`.
Result<std::vector<char>> compileLoopEntry(const wasm::LoadedModule &loaded, uint32_t func,
                                           const wabt::Expr &loop, const std::string &name) {
  PW_TRY_ASSIGN(std::unique_ptr<llvm::TargetMachine> tm, hostTargetMachine(OptLevel::Fast));
  llvm::LLVMContext context;
  context.setDiscardValueNames(true);
  CpuPolicy policy;
  PW_TRY_ASSIGN(std::unique_ptr<llvm::Module> m,
                translateLoopEntry(context, loaded, policy, func, loop, name));
  return emitObject(*m, *tm, OptLevel::Fast, nullptr);
}

class BackgroundCompile;

// Process-wide tier counters (TierCounters) and the background compiles still running.
struct TierState {
  std::atomic<uint64_t> fastCompiles{0}, tierUpsStarted{0}, tierUpsFinished{0},
      functionsSwitched{0}, speculativeCompiles{0}, interpreted{0}, interpreterRefused{0},
      loopEntries{0};
  std::mutex mutex; // guards running
  std::condition_variable idle;
  size_t running = 0; // tier-ups
  // Held while stopping them, so that none is destroyed meanwhile (a worker never takes it).
  std::mutex aliveMutex;
  std::set<BackgroundCompile *> alive; // stopped by the exit handler and their Jit's destructor
};
TierState &tierState() {
  static TierState *state = new TierState(); // lives until exit: the exit handler uses it
  return *state;
}

// A thread that compiles for one module in the background: its tier-up (a background -O2
// compile) or its speculation (SpeculationQueue). stop() cancels it (the pass pipeline skips what
// is left, nothing is linked or cached) and waits for the thread. Only tier-ups count in
// TierCounters and waitForTierUps.
class BackgroundCompile {
public:
  enum class Kind { TierUp, Speculation };
  // `owner`: the Jit it links into, which stops it before it dies (stopAll).
  BackgroundCompile(const void *owner, Kind kind) : owner_(owner), kind_(kind) {}
  std::atomic<bool> cancel{false};

  // `wake` (may be empty) is called by stop() once `cancel` is set: it rouses a worker that
  // waits for work.
  template <class Work> void start(Work work, std::function<void()> wake = {}) {
    TierState &state = tierState();
    wake_ = std::move(wake);
    bool counted = kind_ == Kind::TierUp;
    if (counted) {
      std::lock_guard lock(state.mutex);
      ++state.running;
      ++state.tierUpsStarted;
    }
    {
      std::lock_guard lock(state.aliveMutex);
      state.alive.insert(this);
    }
    // The process may end (exit()) while a module is alive: its static destructors would free
    // LLVM's option objects under a compile that still reads them, so an exit handler registered
    // after LLVM's statics were built (it runs before they die) stops every one first.
    static std::once_flag registered;
    std::call_once(registered, [] { std::atexit([] { BackgroundCompile::stopAll(nullptr); }); });
    worker_ = std::thread([counted, work = std::move(work)]() mutable {
      work();
      if (!counted)
        return;
      TierState &state = tierState();
      std::lock_guard lock(state.mutex);
      --state.running;
      state.idle.notify_all();
    });
  }
  void stop() {
    {
      std::lock_guard lock(pauseMutex_);
      cancel = true;
    }
    pause_.notify_all();
    if (wake_)
      wake_();
    wait();
  }
  // On the worker: waits `duration` unless stopped first; false when stopped.
  bool pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(pauseMutex_);
    return !pause_.wait_for(lock, duration, [&] { return cancel.load(); });
  }
  // Waits for the compile to finish (or fail) without cancelling it.
  void wait() {
    std::lock_guard lock(joinMutex_);
    if (worker_.joinable())
      worker_.join();
  }
  ~BackgroundCompile() {
    stop();
    TierState &state = tierState();
    std::lock_guard lock(state.aliveMutex);
    state.alive.erase(this);
  }

  // Stops every background compile of `owner` (every one with nullptr). A module's code may
  // outlive its engine (one that is never released), but its compiles must not link into a dead
  // JIT.
  static void stopAll(const void *owner) {
    TierState &state = tierState();
    std::lock_guard lock(state.aliveMutex);
    for (BackgroundCompile *t : state.alive)
      if (!owner || t->owner_ == owner)
        t->stop();
  }

private:
  const void *owner_;
  Kind kind_;
  std::function<void()> wake_;
  std::mutex pauseMutex_;
  std::condition_variable pause_;
  std::mutex joinMutex_;
  std::thread worker_;
};

// Speculative compilation in a lazy or tiered start: the functions that a function compiled on
// demand calls directly are queued, and a thread of the module's own compiles them at the fast
// tier before they are first called. One level only: what a speculated function calls is not
// queued. On two or more cores the guest's first calls then find their code compiled or under
// way; the cost is the compile of callees that are never called. $PARAWASM_SPECULATE=0 turns it
// off.
class SpeculationQueue {
public:
  explicit SpeculationQueue(size_t numFuncs) : queued_(numFuncs, false) {}
  // Queues the functions (module-wide indices) not queued before.
  void add(const std::vector<uint32_t> &funcs) {
    std::lock_guard lock(mutex_);
    for (uint32_t f : funcs)
      if (f < queued_.size() && !queued_[f]) {
        queued_[f] = true;
        pending_.push_back(f);
      }
    wake_.notify_one();
  }
  // The next function to compile; nothing once `cancel` is set.
  std::optional<uint32_t> next(const std::atomic<bool> &cancel) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return cancel.load() || !pending_.empty(); });
    if (cancel)
      return std::nullopt;
    // The last queued first: the guest calls them from the first on, compiling what it reaches
    // before this thread does, so the two work from opposite ends instead of in step on the same
    // function.
    uint32_t f = pending_.back();
    pending_.pop_back();
    return f;
  }
  void wake() {
    std::lock_guard lock(mutex_);
    wake_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<uint32_t> pending_;
  std::vector<bool> queued_;
};

// $NAME as a switch: unset or empty says nothing, "0" is off, anything else on.
std::optional<bool> envFlag(const char *name) {
  const char *env = std::getenv(name);
  if (!env || !*env)
    return std::nullopt;
  return std::string_view(env) != "0";
}

// Set on a speculation thread: it compiles where it is (its stack is compile-sized), and what it
// compiles queues no callees.
thread_local bool onSpeculationThread = false;

bool speculationEnabled() {
  return envFlag("PARAWASM_SPECULATE").value_or(std::thread::hardware_concurrency() > 1);
}

// The defined functions `func` calls directly, in the order of the calls.
std::vector<uint32_t> directCallees(const wasm::LoadedModule &loaded, uint32_t func) {
  const wabt::Module &m = *loaded.ir;
  std::vector<uint32_t> callees;
  wasm::forEachExpr(m.funcs[func]->exprs, [&](const wabt::Expr &e) {
    if (const wabt::Var *callee = wasm::directCallee(e)) {
      wabt::Index index = m.GetFuncIndex(*callee);
      if (index >= loaded.info.numImportedFuncs && index < loaded.info.funcTypes.size())
        callees.push_back(uint32_t(index));
    }
    return true;
  });
  return callees;
}

// The stubs of a tiered module. Every function is called through its stub (as in lazy mode);
// tier-up points the stubs at the -O2 code. A lazy compile that was already under way when that
// happened ends by pointing its stub at its fast-tier body (ORC's call-through manager calls
// updatePointer): once a function's -O2 address is known, every later update writes that
// address instead, so a function never goes back to the fast tier. A stub jumps through an
// aligned pointer that one store changes, so a concurrent caller takes either the old or the
// new code, and both stay mapped until the module dies.
class TieringStubs final : public llvm::orc::IndirectStubsManager {
public:
  explicit TieringStubs(std::unique_ptr<llvm::orc::IndirectStubsManager> inner)
      : inner_(std::move(inner)) {}

  llvm::Error createStub(llvm::StringRef name, llvm::orc::ExecutorAddr addr,
                         llvm::JITSymbolFlags flags) override {
    return inner_->createStub(name, addr, flags);
  }
  llvm::Error createStubs(const StubInitsMap &inits) override { return inner_->createStubs(inits); }
  llvm::orc::ExecutorSymbolDef findStub(llvm::StringRef name, bool exportedOnly) override {
    return inner_->findStub(name, exportedOnly);
  }
  llvm::orc::ExecutorSymbolDef findPointer(llvm::StringRef name) override {
    return inner_->findPointer(name);
  }
  llvm::Error updatePointer(llvm::StringRef name, llvm::orc::ExecutorAddr addr) override {
    std::lock_guard lock(mutex_);
    if (auto it = optimised_.find(name); it != optimised_.end())
      addr = it->second;
    return inner_->updatePointer(name, addr);
  }
  // Points each named stub at its -O2 code for good; returns how many it switched.
  size_t switchTo(llvm::StringMap<llvm::orc::ExecutorAddr> optimised) {
    std::lock_guard lock(mutex_);
    optimised_ = std::move(optimised);
    size_t switched = 0;
    for (const auto &entry : optimised_) {
      if (llvm::Error err = inner_->updatePointer(entry.getKey(), entry.getValue()))
        llvm::consumeError(std::move(err));
      else
        ++switched;
    }
    return switched;
  }

private:
  std::mutex mutex_;
  std::unique_ptr<llvm::orc::IndirectStubsManager> inner_;
  llvm::StringMap<llvm::orc::ExecutorAddr> optimised_;
};

// The LinkedBodies of each JITDylib that holds lazy or tiered code, for CodeRangePlugin to fill.
class BodyRegistry {
public:
  void add(const llvm::orc::JITDylib *dylib, std::shared_ptr<LinkedBodies> bodies) {
    std::lock_guard lock(mutex_);
    byDylib_[dylib] = std::move(bodies);
  }
  void remove(const llvm::orc::JITDylib *dylib) {
    std::lock_guard lock(mutex_);
    byDylib_.erase(dylib);
  }
  std::shared_ptr<LinkedBodies> find(const llvm::orc::JITDylib *dylib) {
    std::lock_guard lock(mutex_);
    auto it = byDylib_.find(dylib);
    return it == byDylib_.end() ? nullptr : it->second;
  }

private:
  std::mutex mutex_;
  std::map<const llvm::orc::JITDylib *, std::shared_ptr<LinkedBodies>> byDylib_;
};

class InterpState;

class CpuCodeObject final : public CodeObject {
public:
  CpuCodeObject(llvm::orc::LLJIT &jit, llvm::orc::JITDylib &dylib) : jit_(jit), dylib_(dylib) {}
  ~CpuCodeObject() override {
    // No one runs this module's code any more; the tier-up and the speculation must not link
    // into it either.
    if (speculation)
      speculation->stop();
    if (tierUp)
      tierUp->stop();
    if (registry) {
      registry->remove(&dylib_);
      registry->remove(optimised);
    }
    if (optimised)
      if (llvm::Error err = jit_.getExecutionSession().removeJITDylib(*optimised))
        llvm::consumeError(std::move(err));
    if (llvm::Error err = jit_.getExecutionSession().removeJITDylib(dylib_))
      llvm::consumeError(std::move(err));
  }
  llvm::orc::JITDylib &dylib() { return dylib_; }

  // Lazy compilation: the stubs every function is called through (destroyed after the dylib).
  std::unique_ptr<llvm::orc::IndirectStubsManager> stubs;
  TieringStubs *tieringStubs = nullptr; // stubs, when a tier-up owns them
  // Tiered start-up: the -O2 code, linked by the tier-up (which sets it before switching).
  llvm::orc::JITDylib *optimised = nullptr;
  std::unique_ptr<BackgroundCompile> tierUp;
  // Lazy and tiered starts: the thread that compiles callees ahead of their first call.
  std::unique_ptr<BackgroundCompile> speculation;
  // Lazy and tiered starts: where the linker reports each body (linkedBodies).
  std::shared_ptr<BodyRegistry> registry;
  // Lazy and tiered starts: the interpreter's records and trampolines (vm/interp.h).
  std::shared_ptr<InterpState> interp;

private:
  llvm::orc::LLJIT &jit_;
  llvm::orc::JITDylib &dylib_;
};

constexpr const char *kLazyBodySuffix = ".body";

// When the environment says nothing, a cold -O2 compile starts tiered when the module has at
// least this much code, and eagerly below. An eager -O2 compile of 128 KiB of code takes 2 s on
// two cores (1.3 MB: 44 s), against 0.05 s for a tiered start; below, eager takes well under a
// second, once, and every later run starts warm from the cache, which a tiered run fills only if
// it lasts until its tier-up ends. Programs built with wasi-libc have 30-50 KiB of code.
constexpr size_t kTieredCodeBytes = 128 * 1024;
// How long a tiered start runs on the fast tier before its background -O2 compile begins.
constexpr std::chrono::milliseconds kTierUpDelay{500};

// One long-lived thread with a compile-sized stack that runs lazy compiles one at a time. A
// thread per compile (support::runWithStack) cost more than the compile of a small function:
// a fresh 1 GiB stack mapping, its page faults and a cold malloc arena each time.
class LazyCompileThread {
public:
  static LazyCompileThread &get() {
    static LazyCompileThread *thread = new LazyCompileThread(); // lives until exit
    return *thread;
  }
  // Runs `work` there and waits; on the calling thread when there is no such thread.
  void run(const std::function<void()> &work) {
    if (!started_) {
      support::runWithStack(support::kCompileStackBytes, work);
      return;
    }
    std::unique_lock lock(mutex_);
    if (stopping_) { // after exit's handler: there is no thread any more
      lock.unlock();
      support::runWithStack(support::kCompileStackBytes, work);
      return;
    }
    queue_.push_back(&work);
    const std::function<void()> *mine = &work;
    wake_.notify_all();
    done_.wait(lock, [&] { return finished_.count(mine) != 0; });
    finished_.erase(mine);
  }

private:
  LazyCompileThread() {
    pthread_attr_t attr;
    started_ = pthread_attr_init(&attr) == 0 &&
               pthread_attr_setstacksize(&attr, support::kCompileStackBytes) == 0 &&
               pthread_create(&thread_, &attr, &LazyCompileThread::main, this) == 0;
    pthread_attr_destroy(&attr);
    // Ended at exit, before LLVM's static objects die and so that no thread is left for leak
    // checkers to report (a tiered start makes every program lazy at first).
    if (started_)
      std::atexit([] { get().finish(); });
  }
  void finish() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      wake_.notify_all();
    }
    pthread_join(thread_, nullptr);
  }
  static void *main(void *self) {
    static_cast<LazyCompileThread *>(self)->loop();
    return nullptr;
  }
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty())
        return;
      const std::function<void()> *work = queue_.front();
      queue_.erase(queue_.begin());
      lock.unlock();
      (*work)();
      lock.lock();
      finished_.insert(work);
      done_.notify_all();
    }
  }

  pthread_t thread_{};
  bool started_ = false;
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<const std::function<void()> *> queue_;
  std::set<const std::function<void()> *> finished_;
};

// Whether the translator might refuse part of the module (an implementation limit, an
// unsupported instruction: translator.cpp's refusals). An eager compile refuses such a module
// before anything runs; a lazy one would find out only when the function is first called, so
// such modules start eagerly. Conservative: near a limit counts as over it.
bool translatorMayRefuse(const wasm::LoadedModule &loaded) {
  constexpr uint64_t kManyLocals = 25000; // translator.cpp refuses over 50,000
  constexpr size_t kDeepNesting = 10000;  // ... and nesting over 20,000 levels
  const auto &funcs = loaded.ir->funcs;
  for (size_t index = 0; index < funcs.size(); ++index) {
    const wabt::Func *func = funcs[index];
    uint64_t locals = func->GetNumParams();
    for (const auto &decl : func->local_types.decls())
      locals += decl.second;
    if (locals > kManyLocals)
      return true;
    // Each level of nesting takes at least two bytes of the body (opcode, block type), so a
    // small body needs no walk.
    size_t defined = index - loaded.info.numImportedFuncs;
    if (index >= loaded.info.numImportedFuncs && defined < loaded.bodyBytes.size() &&
        loaded.bodyBytes[defined] < 2 * kDeepNesting)
      continue;
    std::vector<std::pair<const wabt::ExprList *, size_t>> pending{{&func->exprs, 0}};
    while (!pending.empty()) {
      auto [list, depth] = pending.back();
      pending.pop_back();
      if (depth > kDeepNesting)
        return true;
      for (const wabt::Expr &e : *list) {
        switch (e.type()) {
        case wabt::ExprType::Try: {
          auto *attempt = wabt::cast<wabt::TryExpr>(&e);
          pending.push_back({&attempt->block.exprs, depth + 1});
          for (const wabt::Catch &c : attempt->catches)
            pending.push_back({&c.exprs, depth + 1});
          break;
        }
        case wabt::ExprType::Block:
          pending.push_back({&wabt::cast<wabt::BlockExpr>(&e)->block.exprs, depth + 1});
          break;
        case wabt::ExprType::Loop:
          pending.push_back({&wabt::cast<wabt::LoopExpr>(&e)->block.exprs, depth + 1});
          break;
        case wabt::ExprType::If: {
          auto *branch = wabt::cast<wabt::IfExpr>(&e);
          pending.push_back({&branch->true_.exprs, depth + 1});
          pending.push_back({&branch->false_, depth + 1});
          break;
        }
        default:
          break;
        }
      }
    }
  }
  return false;
}

// How a module without cached code starts. Read at each compile, so that tests can switch.
enum class StartMode {
  Eager,  // every function compiled before anything runs ($PARAWASM_TIERED=0)
  Lazy,   // each function at the fast tier on its first call, and no more ($PARAWASM_LAZY=1)
  Tiered, // lazy, and a background -O2 compile takes over (big modules: kTieredCodeBytes)
};
StartMode startMode(const wasm::LoadedModule &loaded) {
  std::optional<bool> tiered = envFlag("PARAWASM_TIERED");
  if (tiered.value_or(false))
    return StartMode::Tiered;
  if (envFlag("PARAWASM_LAZY").value_or(false))
    return StartMode::Lazy;
  if (tiered.has_value()) // $PARAWASM_TIERED=0
    return StartMode::Eager;
  size_t codeBytes = 0;
  for (uint32_t bytes : loaded.bodyBytes)
    codeBytes += bytes;
  return codeBytes >= kTieredCodeBytes ? StartMode::Tiered : StartMode::Eager;
}

// $PARAWASM_TIER_WAIT=1: a tiered compile returns only after its tier-up, so that what runs is
// the steady state of a tiered start (stubs into -O2 code): how bench/README.md measures its
// peak speed.
bool tierWaitRequested() { return envFlag("PARAWASM_TIER_WAIT").value_or(false); }

bool tierTrace() { return envFlag("PARAWASM_TIER_TRACE").value_or(false); }

// A function compiled on its first call. ORC's lazy re-export gives the function's symbol a
// stub that jumps into the lazy call-through trampoline; the first call looks up the body
// symbol (functionSymbol + kLazyBodySuffix), which materialises this unit: the function is
// translated and compiled alone, at the fast tier, its object linked, and the stub pointed at
// it. Bodies call each other through the stubs, so compiling one never compiles its callees.
class LazyFunctionUnit final : public llvm::orc::MaterializationUnit {
public:
  LazyFunctionUnit(std::shared_ptr<const wasm::LoadedModule> loaded, uint32_t func,
                   llvm::orc::SymbolStringPtr body, llvm::orc::ObjectLayer &layer, bool consumeFuel,
                   std::shared_ptr<SpeculationQueue> speculation)
      : MaterializationUnit(
            Interface(llvm::orc::SymbolFlagsMap{{body, llvm::JITSymbolFlags::Exported |
                                                           llvm::JITSymbolFlags::Callable}},
                      nullptr)),
        loaded_(std::move(loaded)), func_(func), layer_(layer), consumeFuel_(consumeFuel),
        speculation_(std::move(speculation)) {}

  llvm::StringRef getName() const override { return "parawasm-lazy-function"; }

  void materialize(std::unique_ptr<llvm::orc::MaterializationResponsibility> r) override {
    const bool speculative = onSpeculationThread;
    ++(speculative ? tierState().speculativeCompiles : tierState().fastCompiles);
    std::optional<Result<std::vector<char>>> object;
    const uint32_t funcs[] = {func_};
    auto compile = [&] {
      object.emplace(compilePartition(*loaded_, funcs, false, OptLevel::Fast, std::nullopt,
                                      consumeFuel_, false, kLazyBodySuffix));
    };
    // Translation recurses per nesting level: never on a guest thread's stack.
    if (speculative)
      compile();
    else
      LazyCompileThread::get().run(compile);
    if (object->ok() && !speculative && speculation_)
      speculation_->add(directCallees(*loaded_, func_));
    if (!object->ok()) {
      r->getExecutionSession().reportError(llvm::make_error<llvm::StringError>(
          object->error().message(), llvm::inconvertibleErrorCode()));
      r->failMaterialization();
      return;
    }
    const std::vector<char> &bytes = object->value();
    layer_.emit(std::move(r), llvm::MemoryBuffer::getMemBufferCopy(
                                  llvm::StringRef(bytes.data(), bytes.size()), "wasm-lazy"));
  }

private:
  void discard(const llvm::orc::JITDylib &, const llvm::orc::SymbolStringPtr &) override {}

  std::shared_ptr<const wasm::LoadedModule> loaded_;
  uint32_t func_;
  llvm::orc::ObjectLayer &layer_;
  bool consumeFuel_;
  std::shared_ptr<SpeculationQueue> speculation_; // null without speculation
};

// Where a lazy compile that failed leaves the guest (ORC calls it instead of the function).
void lazyCompileFailed() {
  std::fprintf(stderr, "parawasm: internal error: lazy compilation of a function failed\n");
  std::abort();
}

// $PARAWASM_INTERP=0: a lazy or tiered start compiles each function on its first call instead
// of interpreting its first calls. $PARAWASM_INTERP_BUDGET: the budget each function starts with
// (vm/interp.h; tests use it to force the interpreter or its loop entries).
bool interpreterEnabled() {
#if defined(__x86_64__)
  return envFlag("PARAWASM_INTERP").value_or(true);
#else
  return false; // the trampolines are x86-64 code
#endif
}

int64_t interpreterBudget() {
  // About what a fast-tier compile of a small function costs (~0.3 ms) in interpreter time: a
  // function compiled that late has at most doubled what its first calls cost (the ski-rental
  // bound), and one that never gets there was not worth compiling. A thousand calls, or four
  // thousand loop iterations.
  constexpr int64_t kDefaultBudget = 1000 * vm::kInterpCallCost;
  const char *env = std::getenv("PARAWASM_INTERP_BUDGET");
  if (!env || !*env)
    return kDefaultBudget;
  char *end = nullptr;
  long long v = std::strtoll(env, &end, 10);
  return end && *end == 0 && v > 0 ? int64_t(v) : kDefaultBudget;
}

// The interpreter tier of a lazily started module (vm/interp.h): a record and a trampoline per
// defined function, and the hooks through which the interpreter has functions built, compiled
// and entered at a loop.
class InterpState {
public:
  InterpState(llvm::orc::LLJIT &jit, llvm::orc::JITDylib &dylib,
              llvm::orc::IndirectStubsManager &stubs,
              std::shared_ptr<const wasm::LoadedModule> loaded,
              std::vector<llvm::orc::SymbolStringPtr> bodies,
              std::vector<llvm::orc::SymbolStringPtr> stubNames)
      : jit_(jit), dylib_(dylib), stubs_(stubs), loaded_(std::move(loaded)),
        bodies_(std::move(bodies)), stubNames_(std::move(stubNames)) {}
  ~InterpState() {
    if (trampolines_)
      munmap(trampolines_, trampolineBytes_);
  }

  // Makes every function's stub, pointing at its trampoline, defines the function's symbol as
  // the stub (what compiled bodies call) and fills `functions` with them. `entryThunks` and
  // `adapters` per type index.
  Result<void> start(const std::vector<void *> &entryThunks, const std::vector<void *> &adapters,
                     LinkedBodies &linked, std::vector<void *> &functions) {
    const vm::ModuleInfo &info = loaded_->info;
    uint32_t count = info.numDefinedFuncs();
    records_ = std::make_unique<vm::InterpRecord[]>(count);
    states_ = std::make_unique<std::atomic<uint8_t>[]>(count);
    builds_.resize(count);
    constexpr size_t kTrampolineBytes = 24;
    size_t page = size_t(sysconf(_SC_PAGESIZE));
    trampolineBytes_ = (std::max<size_t>(count, 1) * kTrampolineBytes + page - 1) / page * page;
    void *mem =
        mmap(nullptr, trampolineBytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
      return Error(ErrorKind::Internal, "cannot map the interpreter's trampolines");
    trampolines_ = mem;
    auto *bytes = static_cast<uint8_t *>(mem);
    int64_t budget = interpreterBudget();
    for (uint32_t d = 0; d < count; ++d) {
      uint32_t f = info.numImportedFuncs + d;
      uint32_t type = info.funcTypes[f];
      vm::InterpRecord &rec = records_[d];
      rec.funcIndex = f;
      rec.typeIndex = type;
      rec.entryThunks = entryThunks.data();
      rec.hooks = &kHooks;
      rec.owner = this;
      rec.budget.store(budget, std::memory_order_relaxed);
      uint8_t *t = bytes + d * kTrampolineBytes;
      rec.trampoline = uintptr_t(t);
      // movabs r10, &rec ; jmp [rip + 0] ; .quad adapter
      uint64_t record = uint64_t(uintptr_t(&rec)), adapter = uint64_t(uintptr_t(adapters[type]));
      t[0] = 0x49;
      t[1] = 0xBA;
      std::memcpy(t + 2, &record, 8);
      const uint8_t jump[6] = {0xFF, 0x25, 0, 0, 0, 0};
      std::memcpy(t + 10, jump, 6);
      std::memcpy(t + 16, &adapter, 8);
    }
    if (mprotect(mem, trampolineBytes_, PROT_READ | PROT_EXEC) != 0)
      return Error(ErrorKind::Internal, "cannot protect the interpreter's trampolines");
    const auto flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
    llvm::orc::IndirectStubsManager::StubInitsMap inits;
    for (uint32_t d = 0; d < count; ++d)
      inits[*stubNames_[info.numImportedFuncs + d]] = {
          llvm::orc::ExecutorAddr::fromPtr(reinterpret_cast<void *>(records_[d].trampoline)),
          flags};
    if (llvm::Error err = stubs_.createStubs(inits))
      return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
    llvm::orc::SymbolMap symbols;
    functions.resize(count);
    for (uint32_t d = 0; d < count; ++d) {
      const llvm::orc::SymbolStringPtr &name = stubNames_[info.numImportedFuncs + d];
      llvm::orc::ExecutorSymbolDef stub = stubs_.findStub(*name, false);
      if (!stub.getAddress())
        return Error(ErrorKind::Internal, "no stub for " + (*name).str());
      functions[d] = stub.getAddress().toPtr<void *>();
      symbols[name] = {stub.getAddress(), flags};
      linked.add(info.numImportedFuncs + d, records_[d].trampoline); // names it in traps
    }
    if (llvm::Error err = dylib_.define(llvm::orc::absoluteSymbols(std::move(symbols))))
      return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
    return {};
  }

private:
  enum : uint8_t { kUnbuilt, kBuilt, kRefused };
  // What the hooks' work on a guest's thread may take of its stack (LLVM and ORC included): a
  // guest deep in recursion hands it to a fresh thread instead, since a stack overflow in it
  // would unwind out of held locks.
  static constexpr size_t kGuestWorkStack = 1 << 20;

  static InterpState &of(const vm::InterpRecord &rec) {
    return *static_cast<InterpState *>(rec.owner);
  }
  uint32_t slot(const vm::InterpRecord &rec) const {
    return rec.funcIndex - loaded_->info.numImportedFuncs;
  }

  static const vm::InterpCode *code(vm::InterpRecord &rec) {
    InterpState &s = of(rec);
    uint32_t d = s.slot(rec);
    uint8_t state = s.states_[d].load(std::memory_order_acquire);
    if (state == kUnbuilt) {
      // On the guest's thread when it has the stack (the builder refuses nesting deeper than a
      // few hundred levels): a thread switch costs more than a small function's build.
      support::runWithStackLeft(kGuestWorkStack, [&] {
        std::lock_guard lock(s.mutex_);
        state = s.states_[d].load(std::memory_order_relaxed);
        if (state == kUnbuilt) {
          s.builds_[d] = buildInterpCode(*s.loaded_->ir, s.loaded_->info, rec.funcIndex);
          state = s.builds_[d].code ? kBuilt : kRefused;
          ++(state == kBuilt ? tierState().interpreted : tierState().interpreterRefused);
          s.states_[d].store(state, std::memory_order_release);
        }
      });
    }
    return state == kBuilt ? s.builds_[d].code.get() : nullptr;
  }

  static void *compile(vm::InterpRecord &rec) {
    if (void *done = rec.compiled.load(std::memory_order_acquire))
      return done;
    InterpState &s = of(rec);
    // Looking the body up compiles it (LazyFunctionUnit) or waits for the compile under way.
    void *native = nullptr;
    support::runWithStackLeft(kGuestWorkStack, [&] {
      auto found = s.jit_.getExecutionSession().lookup(
          llvm::orc::makeJITDylibSearchOrder(&s.dylib_), s.bodies_[rec.funcIndex]);
      if (found)
        native = found->getAddress().toPtr<void *>();
      else
        llvm::consumeError(found.takeError());
    });
    if (!native)
      lazyCompileFailed();
    if (llvm::Error err = s.stubs_.updatePointer(*s.stubNames_[rec.funcIndex],
                                                 llvm::orc::ExecutorAddr::fromPtr(native)))
      llvm::consumeError(std::move(err)); // the interpreter still calls `compiled`
    rec.compiled.store(native, std::memory_order_release);
    return native;
  }

  // Compiled once per loop; a loop whose entry failed to compile stays interpreted.
  static void *loopEntry(vm::InterpRecord &rec, uint32_t loop) {
    (void)compile(rec); // the function's later calls run compiled code
    void *entry = nullptr;
    support::runWithStackLeft(kGuestWorkStack, [&] { entry = linkLoopEntry(rec, loop); });
    return entry;
  }

  static void *linkLoopEntry(vm::InterpRecord &rec, uint32_t loop) {
    InterpState &s = of(rec);
    uint32_t d = s.slot(rec);
    std::lock_guard lock(s.entryMutex_);
    auto [it, added] = s.loopEntries_.try_emplace({rec.funcIndex, loop}, nullptr);
    if (!added)
      return it->second;
    if (s.states_[d].load(std::memory_order_acquire) != kBuilt || loop >= s.builds_[d].loops.size())
      return nullptr;
    std::string name = functionSymbol(rec.funcIndex) + ".loop" + std::to_string(loop);
    std::optional<Result<std::vector<char>>> object;
    LazyCompileThread::get().run([&] {
      object.emplace(compileLoopEntry(*s.loaded_, rec.funcIndex, *s.builds_[d].loops[loop], name));
    });
    if (!object->ok())
      return nullptr;
    const std::vector<char> &bytes = object->value();
    if (llvm::Error err = s.jit_.addObjectFile(
            s.dylib_, llvm::MemoryBuffer::getMemBufferCopy(
                          llvm::StringRef(bytes.data(), bytes.size()), "wasm-loop-entry"))) {
      llvm::consumeError(std::move(err));
      return nullptr;
    }
    auto found = s.jit_.lookup(s.dylib_, name);
    if (!found) {
      llvm::consumeError(found.takeError());
      return nullptr;
    }
    it->second = found->toPtr<void *>();
    ++tierState().loopEntries;
    if (tierTrace())
      std::fprintf(stderr, "parawasm: interpreter: %s continues compiled at loop %u\n",
                   s.loaded_->info.funcDisplayName(rec.funcIndex).c_str(), loop);
    return it->second;
  }

  static constexpr vm::InterpHooks kHooks{&InterpState::code, &InterpState::compile,
                                          &InterpState::loopEntry};

  llvm::orc::LLJIT &jit_;
  llvm::orc::JITDylib &dylib_;
  llvm::orc::IndirectStubsManager &stubs_;
  std::shared_ptr<const wasm::LoadedModule> loaded_;
  std::vector<llvm::orc::SymbolStringPtr> bodies_;    // per function index: its lazy body
  std::vector<llvm::orc::SymbolStringPtr> stubNames_; // per function index: its stub
  std::unique_ptr<vm::InterpRecord[]> records_;       // per defined function
  std::unique_ptr<std::atomic<uint8_t>[]> states_;    // kUnbuilt, kBuilt or kRefused
  std::vector<InterpBuild> builds_;                   // written once, under mutex_
  std::mutex mutex_;
  std::mutex entryMutex_;                                       // guards loopEntries_
  std::map<std::pair<uint32_t, uint32_t>, void *> loopEntries_; // (function, loop) -> entry
  void *trampolines_ = nullptr;
  size_t trampolineBytes_ = 0;
};

constexpr char kCacheMagic[8] = {'P', 'W', 'O', 'B', 'J', '0', '0', '1'};

std::vector<uint8_t> packObjects(const std::vector<std::vector<char>> &objects) {
  std::vector<uint8_t> out(kCacheMagic, kCacheMagic + 8);
  support::putU64(out, objects.size());
  for (const auto &o : objects) {
    support::putU64(out, o.size());
    out.insert(out.end(), o.begin(), o.end());
  }
  return out;
}

std::optional<std::vector<std::vector<char>>> unpackObjects(const std::vector<uint8_t> &in) {
  if (in.size() < 16 || std::memcmp(in.data(), kCacheMagic, 8) != 0)
    return std::nullopt;
  support::ByteReader reader(std::span<const uint8_t>(in).subspan(8));
  uint64_t count;
  if (!reader.u64(count) || count > 4096)
    return std::nullopt;
  std::vector<std::vector<char>> objects;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t size;
    std::span<const uint8_t> object;
    if (!reader.u64(size) || !reader.take(size, object))
      return std::nullopt;
    objects.emplace_back(object.begin(), object.end());
  }
  return objects;
}

class CpuJit final : public Jit {
public:
  CpuJit(std::unique_ptr<llvm::orc::LLJIT> jit, llvm::orc::JITDylib &runtime,
         std::shared_ptr<BodyRegistry> bodies, std::shared_ptr<PerfMap> perfMap)
      : jit_(std::move(jit)), runtime_(runtime), bodies_(std::move(bodies)),
        perfMap_(std::move(perfMap)) {}
  ~CpuJit() override { BackgroundCompile::stopAll(this); }

  Result<std::shared_ptr<CodeObject>> compile(const wasm::LoadedModule &loaded,
                                              const CompileOptions &options) override {
    auto started = std::chrono::steady_clock::now();
    std::string cachePath;
    std::optional<std::vector<std::vector<char>>> objects;
    if (options.precompiled) {
      objects = unpackObjects(*options.precompiled);
      if (!objects)
        return Error(ErrorKind::Malformed, "precompiled native code is damaged");
    } else if (options.useCache && !options.cacheDir.empty()) {
      std::string key = loaded.hash + "|" + codegenKey(options);
      cachePath = options.cacheDir + "/" +
                  support::sha256Hex({reinterpret_cast<const uint8_t *>(key.data()), key.size()}) +
                  ".pwo";
      if (auto bytes = support::readFile(cachePath))
        objects = unpackObjects(*bytes);
    }
    bool fromCache = objects.has_value();
    // Code that must exist whole before anything runs (kernels, precompiled files) and cached
    // code start eagerly; so does the fast tier when tiered (there is nothing to tier up to).
    StartMode mode =
        objects || options.kernelFunc || options.keepObjects ? StartMode::Eager : startMode(loaded);
    if (mode == StartMode::Tiered && options.optLevel != OptLevel::Full)
      mode = StartMode::Eager;
    if (mode != StartMode::Eager && translatorMayRefuse(loaded))
      mode = StartMode::Eager;
    if (mode != StartMode::Eager) {
      auto code = linkLazy(loaded, options, mode == StartMode::Tiered, cachePath);
      if (!code)
        return code.takeError();
      if ((*code)->tierUp && tierWaitRequested())
        (*code)->tierUp->wait();
      (*code)->compileSeconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      return std::shared_ptr<CodeObject>(std::move(*code));
    }
    if (!objects) {
      auto built = buildObjects(loaded, options);
      if (!built)
        return built.takeError();
      objects = std::move(*built);
      if (!cachePath.empty()) {
        auto packed = packObjects(*objects);
        (void)support::writeFileAtomic(cachePath,
                                       packed); // a cache that cannot be written is no error
      }
    }
    auto code = link(loaded, *objects, options.kernelFunc.has_value());
    if (!code)
      return code.takeError();
    if (options.keepObjects)
      (*code)->packedObjects = packObjects(*objects);
    (*code)->fromCache = fromCache;
    (*code)->compileSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::shared_ptr<CodeObject>(std::move(*code));
  }

private:
  Result<std::vector<std::vector<char>>> buildObjects(const wasm::LoadedModule &loaded,
                                                      const CompileOptions &options,
                                                      const std::atomic<bool> *cancel = nullptr) {
    const vm::ModuleInfo &info = loaded.info;
    std::vector<uint32_t> defined;
    for (uint32_t i = info.numImportedFuncs; i < info.funcTypes.size(); ++i)
      defined.push_back(i);
    unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, threads);
    // A kernel stays in one partition: its driver must see the body to inline it.
    size_t parts = defined.size() >= 16 && !options.kernelFunc
                       ? std::min<size_t>(threads, defined.size() / 8)
                       : 1;
    parts = std::max<size_t>(parts, 1);
    std::vector<std::vector<uint32_t>> partition(parts);
    // Contiguous ranges keep callers next to their callees, so inlining still has material; the
    // cuts fall where each range holds about the same number of operators, since compile time
    // follows body size, not function count (a count split left one of two threads idle most of
    // the time on big modules).
    std::vector<size_t> weights(defined.size());
    size_t total = 0;
    for (size_t i = 0; i < defined.size(); ++i)
      total += weights[i] = functionWeight(*loaded.ir->funcs[defined[i]]);
    size_t sum = 0;
    for (size_t i = 0; i < defined.size(); ++i) {
      size_t p = std::min(parts - 1, sum * parts / std::max<size_t>(total, 1));
      partition[p].push_back(defined[i]);
      sum += weights[i];
    }
    std::erase_if(partition, [](const auto &funcs) { return funcs.empty(); });
    parts = std::max<size_t>(partition.size(), 1);
    partition.resize(parts);
    std::vector<std::optional<Result<std::vector<char>>>> results(parts);
    auto work = [&](size_t p) {
      results[p].emplace(
          compilePartition(loaded, partition[p], p == 0, options.optLevel,
                           p == 0 ? options.kernelFunc : std::nullopt, options.consumeFuel,
                           options.checkKernelBuffers && options.kernelFunc, nullptr, cancel));
    };
    std::vector<std::thread> pool;
    for (size_t p = 1; p < parts; ++p)
      pool.emplace_back(
          [&, p] { support::runWithStack(support::kCompileStackBytes, [&] { work(p); }); });
    support::runWithStack(support::kCompileStackBytes, [&] { work(0); });
    for (auto &t : pool)
      t.join();
    std::vector<std::vector<char>> objects;
    for (auto &r : results) {
      if (!r->ok())
        return r->takeError();
      objects.push_back(std::move(r->value()));
    }
    return objects;
  }

  // A JITDylib for code of the module `info` describes.
  Result<llvm::orc::JITDylib *> newDylib(const vm::ModuleInfo &info) {
    std::lock_guard lock(mutex_);
    auto &es = jit_->getExecutionSession();
    auto dylib = es.createJITDylib("wasm" + std::to_string(nextId_++));
    if (!dylib)
      return Error(ErrorKind::Internal, llvmErrorText(dylib.takeError()));
    dylib->addToLinkOrder(runtime_);
    if (perfMap_)
      perfMap_->nameFunctions(dylib->getName(), info);
    return &*dylib;
  }

  Result<std::unique_ptr<CpuCodeObject>> newCode(const vm::ModuleInfo &info) {
    PW_TRY_ASSIGN(llvm::orc::JITDylib * dylib, newDylib(info));
    return std::make_unique<CpuCodeObject>(*jit_, *dylib);
  }

  Result<void> addObject(llvm::orc::JITDylib &dylib, const std::vector<char> &o) {
    auto buffer =
        llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(o.data(), o.size()), "wasm-object");
    if (llvm::Error err = jit_->addObjectFile(dylib, std::move(buffer)))
      return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
    return {};
  }

  // The lazy form of a module: the entry thunks, host adapters and address arrays compiled now;
  // every function a stub that compiles it on its first call (LazyFunctionUnit). With `tiered`,
  // a background thread then compiles the module as an eager compile would (tierUp); otherwise
  // nothing goes to the disk cache.
  Result<std::unique_ptr<CpuCodeObject>> linkLazy(const wasm::LoadedModule &loaded,
                                                  const CompileOptions &options, bool tiered,
                                                  const std::string &cachePath) {
    const llvm::Triple &triple = jit_->getTargetTriple();
    {
      std::lock_guard lock(mutex_);
      if (!callThrough_) {
        auto made = llvm::orc::createLocalLazyCallThroughManager(
            triple, jit_->getExecutionSession(),
            llvm::orc::ExecutorAddr::fromPtr(&lazyCompileFailed));
        if (!made)
          return Error(ErrorKind::Internal, llvmErrorText(made.takeError()));
        callThrough_ = std::move(*made);
      }
    }
    // Fuel is counted by compiled code only: a metered module compiles each function at once.
    const bool interpret = interpreterEnabled() && !options.consumeFuel;
    std::optional<Result<std::vector<char>>> shell;
    support::runWithStack(support::kCompileStackBytes, [&] {
      shell.emplace(compilePartition(loaded, {}, true, OptLevel::Fast, std::nullopt,
                                     options.consumeFuel, false, nullptr, nullptr,
                                     /*interpretedShell=*/interpret));
    });
    if (!shell->ok())
      return shell->takeError();
    auto code = newCode(loaded.info);
    if (!code)
      return code.takeError();
    llvm::orc::JITDylib &dylib = (*code)->dylib();
    (*code)->linkedBodies = std::make_shared<LinkedBodies>();
    (*code)->registry = bodies_;
    bodies_->add(&dylib, (*code)->linkedBodies);
    PW_TRY(addObject(dylib, shell->value()));
    (*code)->stubs = llvm::orc::createLocalIndirectStubsManagerBuilder(triple)();
    if (tiered) {
      auto stubs = std::make_unique<TieringStubs>(std::move((*code)->stubs));
      (*code)->tieringStubs = stubs.get();
      (*code)->stubs = std::move(stubs);
    }
    auto shared = std::make_shared<const wasm::LoadedModule>(loaded);
    const vm::ModuleInfo &info = loaded.info;
    std::shared_ptr<SpeculationQueue> speculation;
    if (speculationEnabled())
      speculation = std::make_shared<SpeculationQueue>(info.funcTypes.size());
    const auto flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
    llvm::orc::SymbolAliasMap aliases;
    std::vector<llvm::orc::SymbolStringPtr> bodies(info.funcTypes.size());
    std::vector<llvm::orc::SymbolStringPtr> stubNames(info.funcTypes.size());
    for (uint32_t f = info.numImportedFuncs; f < info.funcTypes.size(); ++f) {
      auto body = jit_->mangleAndIntern(functionSymbol(f) + kLazyBodySuffix);
      bodies[f] = body;
      if (llvm::Error err = dylib.define(std::make_unique<LazyFunctionUnit>(
              shared, f, body, jit_->getObjLinkingLayer(), options.consumeFuel, speculation)))
        return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
      stubNames[f] = jit_->mangleAndIntern(functionSymbol(f));
      if (!interpret)
        aliases[stubNames[f]] = {body, flags};
    }
    // Interpreted, the stubs start at the interpreter's trampolines (InterpState::start makes
    // them); otherwise at ORC's lazy call-through, which compiles on the first call.
    if (!interpret)
      if (llvm::Error err = dylib.define(
              llvm::orc::lazyReexports(*callThrough_, *(*code)->stubs, dylib, std::move(aliases))))
        return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
    PW_TRY(readTables(loaded, **code, false, /*withFunctions=*/!interpret));
    if (interpret) {
      auto adapters = jit_->lookup(dylib, "pw_interp_adapters");
      if (!adapters)
        return Error(ErrorKind::Internal, llvmErrorText(adapters.takeError()));
      void *const *items = adapters->toPtr<void *const *>();
      std::vector<void *> interpAdapters(items, items + info.types.size());
      auto interp =
          std::make_shared<InterpState>(*jit_, dylib, *(*code)->stubs, shared, bodies, stubNames);
      PW_TRY(interp->start((*code)->entryThunks, interpAdapters, *(*code)->linkedBodies,
                           (*code)->functions));
      (*code)->interp = std::move(interp);
    }
    if (speculation) {
      // Looking a body up materialises it on this thread (ORC runs materialisations where they
      // are asked for), or waits for the compile already under way elsewhere.
      auto worker = std::make_unique<BackgroundCompile>(this, BackgroundCompile::Kind::Speculation);
      const std::atomic<bool> *cancel = &worker->cancel;
      llvm::orc::ExecutionSession &es = jit_->getExecutionSession();
      worker->start(
          [&es, &dylib, speculation, bodies = std::move(bodies), cancel] {
            support::runWithStack(support::kCompileStackBytes, [&] {
              onSpeculationThread = true;
              while (std::optional<uint32_t> f = speculation->next(*cancel))
                if (auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(&dylib), bodies[*f]);
                    !found)
                  llvm::consumeError(found.takeError()); // the guest's own call reports it
            });
          },
          [speculation] { speculation->wake(); });
      (*code)->speculation = std::move(worker);
    }
    if (tiered) {
      CpuCodeObject *target = code->get();
      target->tiered = true;
      target->tierUp = std::make_unique<BackgroundCompile>(this, BackgroundCompile::Kind::TierUp);
      BackgroundCompile *worker = target->tierUp.get();
      target->tierUp->start([this, target, shared, options, cachePath, worker] {
        // A program that ends within the delay never pays for the -O2 compile (its CPU would
        // compete with the first-call compiles of a short run); a long one gets its -O2 code
        // that much later. $PARAWASM_TIER_WAIT (tests, benchmarks) starts at once.
        if (!tierWaitRequested() && !worker->pause(kTierUpDelay))
          return;
        tierUp(*target, *shared, options, cachePath, worker->cancel);
      });
    }
    return code;
  }

  // The background half of a tiered start: the module's -O2 objects, built as an eager compile
  // builds them (so the disk cache gets what an eager compile would have written, and a warm
  // start never runs the fast tier), linked into a dylib of their own where they call each other
  // directly, then every stub switched to them. Runs on the tier-up's thread; the code object
  // outlives it (its destructor stops it first). The fast-tier bodies stay linked until the
  // module dies: a guest thread may still be inside one, or hold its return address.
  void tierUp(CpuCodeObject &code, const wasm::LoadedModule &loaded, CompileOptions options,
              const std::string &cachePath, const std::atomic<bool> &cancel) {
    auto started = std::chrono::steady_clock::now();
    // One core fewer than an eager compile: the guest and its first-call compiles run on it.
    if (!options.threads)
      options.threads = std::max(1u, std::thread::hardware_concurrency() - 1);
    auto objects = buildObjects(loaded, options, &cancel);
    auto fail = [&](const std::string &why) {
      if (tierTrace())
        std::fprintf(stderr, "parawasm: tier-up: stays on the fast tier: %s\n", why.c_str());
    };
    if (!objects)
      return fail(objects.error().message());
    if (cancel)
      return fail("module released");
    if (!cachePath.empty())
      (void)support::writeFileAtomic(cachePath,
                                     packObjects(*objects)); // a failed write is no error
    auto dylib = newDylib(loaded.info);
    if (!dylib)
      return fail(dylib.error().message());
    code.optimised = *dylib;
    bodies_->add(*dylib, code.linkedBodies);
    for (const auto &o : *objects)
      if (auto added = addObject(**dylib, o); !added)
        return fail(added.error().message());
    const vm::ModuleInfo &info = loaded.info;
    auto addr = jit_->lookup(**dylib, "pw_functions");
    if (!addr)
      return fail(llvmErrorText(addr.takeError()));
    void *const *bodies = addr->toPtr<void *const *>();
    llvm::StringMap<llvm::orc::ExecutorAddr> optimised;
    for (uint32_t f = info.numImportedFuncs; f < info.funcTypes.size(); ++f)
      optimised[*jit_->mangleAndIntern(functionSymbol(f))] =
          llvm::orc::ExecutorAddr::fromPtr(bodies[f - info.numImportedFuncs]);
    size_t switched = code.tieringStubs->switchTo(std::move(optimised));
    if (code.speculation) // every function has its -O2 code now
      code.speculation->stop();
    TierState &state = tierState();
    state.functionsSwitched += switched;
    ++state.tierUpsFinished;
    if (tierTrace())
      std::fprintf(
          stderr, "parawasm: tier-up: %zu functions on -O2 after %.3f s\n", switched,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }

  Result<std::unique_ptr<CpuCodeObject>> link(const wasm::LoadedModule &loaded,
                                              const std::vector<std::vector<char>> &objects,
                                              bool hasKernelDriver) {
    auto code = newCode(loaded.info);
    if (!code)
      return code.takeError();
    for (const auto &o : objects)
      PW_TRY(addObject((*code)->dylib(), o));
    PW_TRY(readTables(loaded, **code, hasKernelDriver));
    return std::move(*code);
  }

  // Fills the code object's address arrays from the linked dylib.
  Result<void> readTables(const wasm::LoadedModule &loaded, CpuCodeObject &out,
                          bool hasKernelDriver, bool withFunctions = true) {
    CpuCodeObject *code = &out;
    llvm::orc::JITDylib *dylib = &out.dylib();
    const vm::ModuleInfo &info = loaded.info;
    auto readArray = [&](const char *name, size_t count, std::vector<void *> &out) -> Result<void> {
      auto addr = jit_->lookup(*dylib, name);
      if (!addr)
        return Error(ErrorKind::Internal, llvmErrorText(addr.takeError()));
      void *const *items = addr->toPtr<void *const *>();
      out.assign(items, items + count);
      return {};
    };
    if (withFunctions)
      PW_TRY(readArray("pw_functions", info.numDefinedFuncs(), code->functions));
    PW_TRY(readArray("pw_entry_thunks", info.types.size(), code->entryThunks));
    PW_TRY(readArray("pw_host_adapters", info.types.size(), code->hostAdapters));
    if (hasKernelDriver) {
      auto addr = jit_->lookup(*dylib, kKernelDriverSymbol);
      if (!addr)
        return Error(ErrorKind::Internal, llvmErrorText(addr.takeError()));
      code->kernelDriver = addr->toPtr<void *>();
    }
    return {};
  }

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  llvm::orc::JITDylib &runtime_;
  std::shared_ptr<BodyRegistry> bodies_;
  std::shared_ptr<PerfMap> perfMap_; // null unless EngineConfig::perfMap
  std::mutex mutex_;
  std::unique_ptr<llvm::orc::LazyCallThroughManager> callThrough_; // made on first lazy module
  uint64_t nextId_ = 0;
};

// Records where the linker put each object's executable code in support::jitCodeRanges(), and
// forgets it when the code is freed: an interrupt signal that lands there may unwind the guest
// (runtime/interrupt.h). The executable blocks of one link graph share one segment, so one
// range per graph covers them. Also reports where lazy bodies landed (LinkedBodies) and, with
// EngineConfig::perfMap, every function's address and size to the PerfMap.
class CodeRangePlugin final : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
  CodeRangePlugin(std::shared_ptr<BodyRegistry> bodies, std::shared_ptr<PerfMap> perfMap)
      : bodies_(std::move(bodies)), perfMap_(std::move(perfMap)) {}
  void modifyPassConfig(llvm::orc::MaterializationResponsibility &mr, llvm::jitlink::LinkGraph &,
                        llvm::jitlink::PassConfiguration &config) override {
    if (perfMap_)
      config.PostFixupPasses.push_back(
          [perfMap = perfMap_,
           dylib = mr.getTargetJITDylib().getName()](llvm::jitlink::LinkGraph &g) {
            perfMap->record(dylib, g);
            return llvm::Error::success();
          });
    if (std::shared_ptr<LinkedBodies> linked = bodies_->find(&mr.getTargetJITDylib()))
      config.PostAllocationPasses.push_back([linked](llvm::jitlink::LinkGraph &g) {
        for (llvm::jitlink::Symbol *sym : g.defined_symbols())
          if (sym->hasName() && sym->isCallable())
            if (std::optional<uint32_t> f = functionOfSymbol(sym->getName()))
              linked->add(*f, uintptr_t(sym->getAddress().getValue()));
        return llvm::Error::success();
      });
    config.PostFixupPasses.push_back([this, &mr](llvm::jitlink::LinkGraph &g) -> llvm::Error {
      uint64_t lo = UINT64_MAX, hi = 0;
      for (llvm::jitlink::Section &sec : g.sections()) {
        if (!(unsigned(sec.getMemProt()) & unsigned(llvm::orc::MemProt::Exec)))
          continue;
        for (llvm::jitlink::Block *b : sec.blocks()) {
          lo = std::min(lo, b->getAddress().getValue());
          hi = std::max(hi, b->getAddress().getValue() + b->getSize());
        }
      }
      if (lo >= hi)
        return llvm::Error::success();
      return mr.withResourceKeyDo([&](llvm::orc::ResourceKey key) {
        std::lock_guard lock(mutex_);
        if (support::jitCodeRanges().add(uintptr_t(lo), size_t(hi - lo))) {
          ranges_[key].push_back(uintptr_t(lo));
        } else if (!warned_.exchange(true)) {
          // Never silently: loops in this code can then be stopped only at host checkpoints.
          std::fprintf(stderr, "parawasm: warning: too much compiled code alive at once for "
                               "interruption to reach all of it\n");
        }
      });
    });
  }
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility &) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey key) override {
    std::lock_guard lock(mutex_);
    auto it = ranges_.find(key);
    if (it == ranges_.end())
      return llvm::Error::success();
    for (uintptr_t base : it->second)
      support::jitCodeRanges().remove(base);
    ranges_.erase(it);
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey to,
                                   llvm::orc::ResourceKey from) override {
    std::lock_guard lock(mutex_);
    auto it = ranges_.find(from);
    if (it == ranges_.end())
      return;
    std::vector<uintptr_t> &dst = ranges_[to];
    dst.insert(dst.end(), it->second.begin(), it->second.end());
    ranges_.erase(from);
  }

private:
  std::shared_ptr<BodyRegistry> bodies_;
  std::shared_ptr<PerfMap> perfMap_; // null unless EngineConfig::perfMap
  std::mutex mutex_;
  std::map<llvm::orc::ResourceKey, std::vector<uintptr_t>> ranges_;
  std::atomic<bool> warned_{false};
};

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

} // namespace

TierCounters tierCounters() {
  TierState &state = tierState();
  return {state.fastCompiles.load(),        state.tierUpsStarted.load(),
          state.tierUpsFinished.load(),     state.functionsSwitched.load(),
          state.speculativeCompiles.load(), state.interpreted.load(),
          state.interpreterRefused.load(),  state.loopEntries.load()};
}

void waitForTierUps() {
  TierState &state = tierState();
  std::unique_lock lock(state.mutex);
  state.idle.wait(lock, [&] { return state.running == 0; });
}

Result<std::unique_ptr<Jit>> Jit::create(std::vector<RuntimeSymbol> runtime, bool perfMap) {
  initializeTargets();
  // LLJIT's defaults cost a warm start some 15 % of its instructions: two target machines (one
  // for a data layout, one for its IR compiler), a JITDylib of the process's symbols (a
  // dlopen), and a platform that runs IR static constructors. It links only objects we
  // compiled ourselves, which have no constructors and find the process's symbols through
  // pw_runtime; its data layout serves only to mangle symbol names (ELF mangles none), and its
  // IR compiler makes a target machine only if it is ever used.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(hostMachineBuilder())
                 .setDataLayout(llvm::DataLayout("e-m:e"))
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .setCompileFunctionCreator(
                     [](llvm::orc::JITTargetMachineBuilder jtmb)
                         -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                       return std::make_unique<llvm::orc::ConcurrentIRCompiler>(std::move(jtmb));
                     })
                 .create();
  if (!jit)
    return Error(ErrorKind::Internal, llvmErrorText(jit.takeError()));
  auto *linking = llvm::dyn_cast<llvm::orc::ObjectLinkingLayer>(&(*jit)->getObjLinkingLayer());
  if (!linking)
    return Error(ErrorKind::Internal, "LLJIT did not choose JITLink, which interruption needs");
  auto bodies = std::make_shared<BodyRegistry>();
  std::shared_ptr<PerfMap> map = perfMap ? std::make_shared<PerfMap>() : nullptr;
  linking->addPlugin(std::make_unique<CodeRangePlugin>(bodies, map));
  auto &es = (*jit)->getExecutionSession();
  auto &rt = es.createBareJITDylib("pw_runtime");
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol &s : runtime)
    symbols[(*jit)->mangleAndIntern(s.name)] = {llvm::orc::ExecutorAddr::fromPtr(s.address),
                                                llvm::JITSymbolFlags::Exported |
                                                    llvm::JITSymbolFlags::Callable};
  if (llvm::Error err = rt.define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
  // memcpy/memmove/memset and friends that LLVM lowers intrinsics to.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return Error(ErrorKind::Internal, llvmErrorText(process.takeError()));
  rt.addGenerator(std::move(*process));
  return std::unique_ptr<Jit>(
      std::make_unique<CpuJit>(std::move(*jit), rt, std::move(bodies), std::move(map)));
}

Result<std::string> emitLLVMText(const wasm::LoadedModule &loaded, OptLevel level) {
  initializeTargets();
  auto tm = hostTargetMachine(level);
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext context;
  CpuPolicy policy;
  std::vector<uint32_t> defined;
  for (uint32_t i = loaded.info.numImportedFuncs; i < loaded.info.funcTypes.size(); ++i)
    defined.push_back(i);
  std::optional<Result<std::string>> result;
  support::runWithStack(support::kCompileStackBytes, [&] {
    auto m = translateModule(context, loaded, policy, defined, false);
    if (!m) {
      result.emplace(m.takeError());
      return;
    }
    (*m)->setDataLayout((*tm)->createDataLayout());
    (*m)->setTargetTriple((*tm)->getTargetTriple().str());
    optimizeModule(**m, **tm, level);
    std::string text;
    llvm::raw_string_ostream os(text);
    (*m)->print(os, nullptr);
    result.emplace(std::move(os.str()));
  });
  return std::move(*result);
}

} // namespace parawasm::compile
