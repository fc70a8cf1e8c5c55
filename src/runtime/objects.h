// Runtime objects behind the public handles: modules, instances, functions, memories, tables,
// globals. They own the VM structures (vm_context.h) that compiled code reads.
#pragma once

#include "parawasm/parawasm.h"
#include "vm/module_info.h"
#include "vm/vm_context.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace parawasm::runtime {

// Engine-wide canonical ids of function signatures, compared by call_indirect.
class TypeRegistry {
public:
  uint32_t intern(const FuncType &type);

private:
  std::mutex mutex_;
  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> ids_;
};

// A compiled module: its description and the addresses of its code.
class ModuleObject {
public:
  vm::ModuleInfo info;
  std::vector<void *> functions;    // per defined function
  std::vector<void *> entryThunks;  // per type index
  std::vector<void *> hostAdapters; // per type index
  std::vector<uint32_t> typeIds;    // canonical id per type index
  void *kernelDriver = nullptr;     // wasi-parallel block driver (an EntryThunk), if compiled
  bool consumesFuel = false;        // compiled with fuel metering (VMContext::fuel)
  bool checksKernelBuffers = false; // a kernel compiled with span checks (VMContext::kernel)
  std::shared_ptr<void> keepAlive;  // the code (and anything it refers to)
  std::string hash;
  // The module's binary, for devices that translate one of its functions themselves (a
  // table-index worker on a GPU). Null for modules made without it.
  std::shared_ptr<const std::vector<uint8_t>> bytes;
  ~ModuleObject();
  bool fromCache = false;
  bool lazy = false, tiered = false; // functions compiled on first call; with a tier-up
  bool fromPrecompiled = false;      // Module::deserialize: native code from a precompiled file
  double compileSeconds = 0;
};

class InstanceObject;

// What the instances of one Linker share (Wasmtime's Store, as far as parawasm needs one): the
// interrupt flag (runtime/interrupt.h), the resource limiter, the count of live instances and the
// fuel new instances start with. Instances made from an instance (siblings: team members,
// threads) share its store.
class StoreState {
public:
  StoreState();
  std::atomic<uint32_t> interruptFlag{0};
  std::shared_ptr<ResourceLimiter> limiter; // never null
  std::atomic<uint32_t> instances{0};
  int64_t initialFuel = INT64_MAX;

  // False (EngineConfig::interruptible off): an interrupt stops waits and launches, not a
  // running loop.
  bool stopsRunningCode = true;

  // Sets the flag, and every linked one (teams' own flags), and stops the guest code running
  // under them (runtime/interrupt.h).
  void interrupt();
  void reset();
  // A flag that is set whenever this store's is (and may also be set on its own, e.g. by a team
  // whose member trapped). Unlink before the flag dies.
  void link(std::atomic<uint32_t> *flag);
  void unlink(std::atomic<uint32_t> *flag);

  // Keeps `instance` alive until release(): an instance whose element segments wrote its
  // functions into a table it imported must outlive that table's other users, as the spec's
  // instances live forever. The store holds it, not the table: the instance holds the table, so
  // a table holding the instance would be a cycle that is never freed. The linker that owns the
  // store releases its pins when it dies (Wasmtime's "instances live as long as their store").
  void pin(std::shared_ptr<InstanceObject> instance);
  void releasePins();

private:
  std::mutex mutex_;
  std::vector<std::atomic<uint32_t> *> linked_;
  std::vector<std::shared_ptr<InstanceObject>> pinned_;
};

class FuncObject : public std::enable_shared_from_this<FuncObject> {
public:
  vm::VMFuncRef ref{};
  FuncType type;
  std::string name;
  HostCallback host;                  // set for host functions
  InstanceObject *instance = nullptr; // owning instance of a Wasm function
  std::shared_ptr<void> adapterOwner; // code holding ref.code of a host function
  std::mutex adapterMutex;
  bool isHost() const { return static_cast<bool>(host); }
};

class MemoryObject {
public:
  static Result<std::shared_ptr<MemoryObject>> create(const MemoryType &type);
  ~MemoryObject();
  // Old size in pages, or -1.
  int64_t grow(uint64_t deltaPages);
  uint64_t pages() const { return vm.sizeBytes.load() / vm::kPageSize; }
  vm::VMMemory vm{};
  MemoryType type;
  // Decides growth beyond the type's own maximum; null: only the type decides. Set when an
  // instance made by a linker defines or first imports the memory.
  std::shared_ptr<ResourceLimiter> limiter;

private:
  std::mutex growMutex_;
  size_t reservation_ = 0;
};

class TableObject {
public:
  static Result<std::shared_ptr<TableObject>> create(const TableType &type, void *init);
  int32_t grow(uint32_t delta, void *init);
  vm::VMTable vm{};
  TableType type;
  std::shared_ptr<ResourceLimiter> limiter; // as MemoryObject::limiter
  std::vector<void *> storage;
  std::vector<std::shared_ptr<void>> keepAlive; // owners of funcrefs a host wrote (Table::set)
};

class GlobalObject {
public:
  alignas(16) vm::Slot cell{};
  GlobalType type;
  Val get() const;
  void set(const Val &v);
};

// An exception tag. Its address is its identity: compiled code compares these pointers to match
// a `catch` with a thrown exception (runtime/exceptions.cpp).
class TagObject {
public:
  FuncType type;
};

class InstanceObject {
public:
  ~InstanceObject();
  std::shared_ptr<StoreState> store; // never null once made
  bool counted = false;              // counts against store->instances
  std::shared_ptr<ModuleObject> module;
  vm::VMContext ctx{};
  std::vector<std::shared_ptr<FuncObject>> funcs;
  std::vector<vm::VMFuncRef *> funcRefs;
  std::vector<std::shared_ptr<TableObject>> tables;
  std::vector<vm::VMTable *> tablePtrs;
  std::vector<std::shared_ptr<MemoryObject>> memories;
  std::vector<vm::VMMemory *> memoryPtrs; // VMContext::memories
  std::vector<std::shared_ptr<GlobalObject>> globals;
  std::vector<void *> globalCells;
  std::vector<std::shared_ptr<TagObject>> tags;  // imports first
  std::vector<std::vector<void *>> elemSegments; // resolved references; empty once dropped
  std::vector<bool> dataDropped;
  std::weak_ptr<InstanceObject> self;
  // Run first in the destructor: state that others keep per instance (a wasi-parallel team)
  // goes with it. Such state often holds the instance's imports, whose host functions hold its
  // keeper; left behind, it would be a cycle that is never freed.
  std::vector<std::function<void()>> onDestroy;

  MemoryObject *memory0() const { return memories.empty() ? nullptr : memories[0].get(); }
  // Handle to function `index` that keeps this instance alive.
  std::shared_ptr<FuncObject> funcHandle(uint32_t index);
};

struct ResolvedImport {
  std::shared_ptr<FuncObject> func;
  std::shared_ptr<TableObject> table;
  std::shared_ptr<MemoryObject> memory;
  std::shared_ptr<GlobalObject> global;
  std::shared_ptr<TagObject> tag;
};

// Creates the instance, initialises globals, tables and memories from the segments and runs the
// start function. `imports` are already matched in order and type-checked. With a `store`, the
// instance counts against its limits and polls its interrupt flag; without one (a device's
// kernel instances) it gets a store of its own with default limits and is not counted.
Result<std::shared_ptr<InstanceObject>> instantiate(std::shared_ptr<ModuleObject> module,
                                                    std::vector<ResolvedImport> imports,
                                                    std::shared_ptr<StoreState> store = nullptr);

// What a sibling's own globals, tables and segment state start as.
enum class SiblingState {
  Current, // `of`'s now, as syncSibling makes them (wasi-parallel's table-index workers)
  Initial, // as instantiation leaves them: globals from their initialisers, active element
           // segments written into the defined tables (a wasi-threads thread)
};

// A sibling of `of`: a new instance of the same module over the same imports and memories (its
// defined memories included), with its own functions, defined globals and defined tables. No
// data segment is applied, no imported table is written, and the start function does not run.
// wasi-parallel's table-index workers and wasi-threads threads run in siblings, each on its own
// thread, over the caller's memory. Errors: a trap when an active element segment does not fit.
Result<std::shared_ptr<InstanceObject>>
instantiateSibling(InstanceObject &of, SiblingState state = SiblingState::Current);
// Makes a sibling's defined globals, defined tables and segment state those of `of` now, with
// references to `of`'s functions turned into references to the sibling's own.
void syncSibling(InstanceObject &sibling, const InstanceObject &of);

// Host function object; its code pointer is bound when a module first imports it.
std::shared_ptr<FuncObject> makeHostFunc(FuncType type, uint32_t typeId, HostCallback callback,
                                         std::string name);

// Calls `func` on this thread with trap handling. Arguments must match its type.
Result<std::vector<Val>> call(FuncObject &func, std::span<const Val> args);

// Runtime entry points for the JIT (vm/runtime_calls.def).
std::vector<std::pair<const char *, void *>> runtimeSymbols();

} // namespace parawasm::runtime
