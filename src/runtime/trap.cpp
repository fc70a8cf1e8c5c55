#include "runtime/trap.h"
#include "runtime/exceptions.h"
#include "runtime/interrupt.h"
#include "runtime/objects.h"
#include "support/address_ranges.h"

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <sys/mman.h>
#include <ucontext.h>

namespace parawasm::runtime {
namespace {

struct TrapScope {
  sigjmp_buf buffer;
  TrapScope *previous;
  TrapCode code;
  uintptr_t pc;
};

thread_local TrapScope *tlsScope = nullptr;
thread_local std::optional<Error> tlsPending;
thread_local void *tlsAltStack = nullptr;

// Linear-memory reservations. Lock-free, because the signal handler reads it.
support::AddressRanges &reservations() {
  static support::AddressRanges *ranges = new support::AddressRanges(1 << 15);
  return *ranges;
}

bool inReservation(uintptr_t addr) { return reservations().contains(addr); }

struct sigaction previousSegv, previousBus;

void handleFault(int sig, siginfo_t *info, void *ucontextRaw) {
  TrapScope *scope = tlsScope;
  auto *uc = static_cast<ucontext_t *>(ucontextRaw);
  uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
#if defined(__x86_64__)
  uintptr_t sp = uintptr_t(uc->uc_mcontext.gregs[REG_RSP]);
  uintptr_t pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
#else
  uintptr_t sp = 0, pc = 0;
  (void)uc;
#endif
  if (scope) {
    // A fault just below the stack pointer is the thread's stack guard: deep recursion.
    if (sp && addr < sp + 4096 && addr + (1u << 20) > sp)
      raiseTrapFromSignal(TrapCode::CallStackExhausted, pc, uc);
    if (inReservation(addr))
      raiseTrapFromSignal(TrapCode::MemoryOutOfBounds, pc, uc);
  }
  // Not ours: a real crash. Let the previous disposition deal with it.
  struct sigaction &prev = sig == SIGSEGV ? previousSegv : previousBus;
  sigaction(sig, &prev, nullptr);
}

void installHandlers() {
  // A function-local static, not std::call_once: every guarded call comes here, and its check
  // is one load (call_once sets thread-locals and calls pthread_once each time).
  [[maybe_unused]] static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_sigaction = handleFault;
    // NODEFER: siglongjmp leaves the handler without restoring the mask (sigsetjmp(.., 0)).
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previousSegv);
    sigaction(SIGBUS, &sa, &previousBus);
    return true;
  }();
  if (!tlsAltStack) {
    // Stack overflow faults on the exhausted stack, so the handler needs a stack of its own.
    size_t size = 64 * 1024;
    void *mem = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED) {
      stack_t ss{};
      ss.ss_sp = mem;
      ss.ss_size = size;
      if (sigaltstack(&ss, nullptr) == 0)
        tlsAltStack = mem;
      else
        munmap(mem, size);
    }
  }
}

std::mutex codeMutex;
std::map<uintptr_t, std::pair<const ModuleObject *, uint32_t>> functionStarts;
struct Registration {
  uint64_t number;
  bool hasBodies;
};
std::map<const ModuleObject *, Registration> registeredModules;
uint64_t lastRegistration = 0;

} // namespace

void registerReservation(uintptr_t base, size_t size) { (void)reservations().add(base, size); }

void unregisterReservation(uintptr_t base) { reservations().remove(base); }

uint64_t registerModuleCode(const ModuleObject *module) {
  std::lock_guard lock(codeMutex);
  for (size_t i = 0; i < module->functions.size(); ++i)
    functionStarts[reinterpret_cast<uintptr_t>(module->functions[i])] = {
        module, uint32_t(i + module->info.numImportedFuncs)};
  uint64_t number = ++lastRegistration;
  registeredModules[module] = {number, false};
  return number;
}

void registerFunctionBody(const ModuleObject *module, uint64_t registration, uint32_t funcIndex,
                          uintptr_t start) {
  std::lock_guard lock(codeMutex);
  auto it = registeredModules.find(module);
  if (it == registeredModules.end() || it->second.number != registration)
    return;
  it->second.hasBodies = true;
  functionStarts[start] = {module, funcIndex};
}

void unregisterModuleCode(const ModuleObject *module) {
  std::lock_guard lock(codeMutex);
  auto registered = registeredModules.find(module);
  bool hasBodies = registered != registeredModules.end() && registered->second.hasBodies;
  if (registered != registeredModules.end())
    registeredModules.erase(registered);
  if (hasBodies) {
    std::erase_if(functionStarts, [&](const auto &entry) { return entry.second.first == module; });
    return;
  }
  for (void *f : module->functions) {
    auto it = functionStarts.find(reinterpret_cast<uintptr_t>(f));
    if (it != functionStarts.end() && it->second.first == module)
      functionStarts.erase(it);
  }
}

std::string describePc(uintptr_t pc) {
  std::lock_guard lock(codeMutex);
  auto it = functionStarts.upper_bound(pc);
  if (it == functionStarts.begin())
    return "";
  --it;
  if (pc - it->first > (16u << 20))
    return "";
  return "in function '" + it->second.first->info.funcDisplayName(it->second.second) + "'";
}

bool inGuardedCall() { return tlsScope != nullptr; }

void setPendingError(Error error) { tlsPending.emplace(std::move(error)); }

[[noreturn]] void raiseTrap(TrapCode code, uintptr_t pc) {
  TrapScope *scope = tlsScope;
  if (!scope) {
    fprintf(stderr, "parawasm: trap '%s' outside of any guest call\n", trapCodeMessage(code));
    std::abort();
  }
  scope->code = code;
  scope->pc = pc;
  siglongjmp(scope->buffer, 1);
}

[[noreturn]] void raiseTrapFromSignal(TrapCode code, uintptr_t pc, const void *ucontext) {
  pthread_sigmask(SIG_SETMASK, &static_cast<const ucontext_t *>(ucontext)->uc_sigmask, nullptr);
  raiseTrap(code, pc);
}

[[noreturn]] void raisePending() { raiseTrap(TrapCode::HostTrap, 0); }

namespace {

// callGuarded's body, with the interrupt flag already published for this thread
// (InterruptScope) and read: `interrupted` stops the call before it starts.
Result<void> callInTrapScope(bool interrupted, EntryThunk entry, void *code, void *calleeCtx,
                             void *callerCtx, void *io) {
  TrapScope scope;
  scope.previous = tlsScope;
  if (sigsetjmp(scope.buffer, 0) == 0) {
    tlsScope = &scope;
    if (interrupted)
      raiseTrap(TrapCode::Interrupted, reinterpret_cast<uintptr_t>(code));
    entry(code, calleeCtx, callerCtx, io);
    tlsScope = scope.previous;
    if (!scope.previous)
      releaseCaughtExceptions();
    // An exception stops at the host frame: the host sees a trap, never a C++ unwind.
    if (takeUncaughtException())
      return Error::trap(TrapCode::UncaughtException, trapCodeMessage(TrapCode::UncaughtException));
    return {};
  }
  tlsScope = scope.previous;
  (void)takeUncaughtException();
  if (!scope.previous)
    releaseCaughtExceptions();
  if (scope.code == TrapCode::HostTrap && tlsPending) {
    Error e = std::move(*tlsPending);
    tlsPending.reset();
    return e;
  }
  std::string message = trapCodeMessage(scope.code);
  std::string where = scope.pc ? describePc(scope.pc) : "";
  if (!where.empty())
    message += " (" + where + ")";
  return Error::trap(scope.code, message);
}

} // namespace

Result<void> callGuarded(EntryThunk entry, void *code, void *calleeCtx, void *callerCtx, void *io) {
  installHandlers();
  // Every caller passes the VMContext of the instance the call runs for: its flag is the one
  // that stops this call.
  InterruptScope interruptScope(static_cast<vm::VMContext *>(callerCtx)->interrupt);
  return callInTrapScope(interruptScope.interrupted(), entry, code, calleeCtx, callerCtx, io);
}

Result<void> callGuarded(const InterruptScope &held, EntryThunk entry, void *code, void *calleeCtx,
                         void *callerCtx, void *io) {
  installHandlers();
  return callInTrapScope(held.interrupted(), entry, code, calleeCtx, callerCtx, io);
}

} // namespace parawasm::runtime
