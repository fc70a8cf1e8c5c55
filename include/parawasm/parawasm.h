// The parawasm embedding API: compile modules, link host functions, instantiate, call.
//
//   parawasm::Engine engine;
//   auto module = parawasm::Module::fromFile(engine, "app.wasm");
//   parawasm::Linker linker(engine);
//   linker.defineFunction("env", "log", {{ValType::I32}, {}}, callback);
//   auto instance = linker.instantiate(*module);
//   auto results = instance->getFunc("run")->call({Val::makeI32(7)});
#pragma once

#include "parawasm/types.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parawasm {

namespace runtime {
class EngineState;
class ModuleObject;
class InstanceObject;
class FuncObject;
class MemoryObject;
class TableObject;
class GlobalObject;
class TagObject;
class StoreState;
} // namespace runtime

enum class OptLevel { Fast, Full }; // Fast: light optimisation for scripts; Full: O2

struct EngineConfig {
  OptLevel optLevel = OptLevel::Full;
  bool useCache = true;        // compiled code cache on disk
  std::string cacheDir;        // empty: $PARAWASM_CACHE_DIR or ~/.cache/parawasm
  unsigned compileThreads = 0; // 0: one per hardware thread
  // Fuel metering (Wasmtime's consume_fuel): compiled code charges every function entry and
  // loop iteration the number of Wasm instructions of the code it is about to run against the
  // instance's fuel (Linker::setFuel, Instance::setFuel), and traps with TrapCode::OutOfFuel
  // ("all fuel consumed by WebAssembly") when the fuel would go below zero. Off by default; when
  // off no metering code is emitted at all. Part of the code cache key.
  bool consumeFuel = false;
  // Whether InterruptHandle::interrupt stops running guest code (docs/limits.md). It costs
  // compiled code nothing either way: an interrupt signals the threads that run the guest.
  // Off (`-W epoch-interruption=n`), an interrupt still stops memory.atomic.wait, host calls
  // and wasi-parallel launches but not a loop, and no signal is sent.
  bool interruptible = true;
  // wasi-parallel checked kernels (`-W parallel-check-buffers`, docs/limits.md "Checked
  // kernels"): CPU kernels are compiled with a check of every memory access against the span
  // from the lowest to the highest byte of the exec's buffers, so a kernel that reaches outside
  // them fails the exec with kernel_trapped ("out of bounds memory access ... in iteration N")
  // instead of writing into the caller's other data. A gap between two buffers is inside the
  // span and not caught. Costs the vectorisation of most kernel loops. Part of the code cache key.
  bool checkKernelBuffers = false;
  // Linux perf's map of JIT code (Wasmtime's --profile=perfmap): every function the engine
  // links, from the code cache too, gets a line "START SIZE wasm::NAME" in /tmp/perf-<pid>.map,
  // so `perf record` / `perf report` name the guest's functions. Not part of the cache key.
  bool perfMap = false;
};

class Engine {
public:
  explicit Engine(EngineConfig config = {});
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;
  const EngineConfig &config() const;
  runtime::EngineState &state() { return *state_; }
  // Compiles a module (binary or text) into a precompiled module for this engine's settings
  // and this CPU (Wasmtime's precompile_module): its bytes plus native code, which
  // Module::deserialize loads without compiling. Errors as Module::fromBinary.
  Result<std::vector<uint8_t>> precompileModule(std::span<const uint8_t> bytes);

private:
  std::unique_ptr<runtime::EngineState> state_;
};

enum class ExternKind : uint8_t { Func, Table, Memory, Global, Tag };

// What the instances of one Linker may take. The defaults (docs/limits.md) stop a runaway guest
// before it takes the host down, and stay out of the way of ordinary programs.
struct ResourceLimits {
  // Largest linear memory, in bytes: a module whose memory starts larger fails to instantiate,
  // and memory.grow past it returns -1. Default: 4 GiB, the whole 32-bit range.
  uint64_t maxMemoryBytes = uint64_t(4) << 30;
  // Largest table, in elements: the same two rules for tables and table.grow.
  uint32_t maxTableElements = 10'000'000;
  // Most instances alive at once that were made by the linker or from them (wasi-parallel team
  // members, wasi-threads threads; not the kernel instances a CPU device keeps per worker).
  uint32_t maxInstances = 10'000;
  // wasi-parallel: most buffers alive at once in the linker's wasi-parallel context.
  uint32_t maxParallelBuffers = 65'536;
  // wasi-parallel: largest kernel module a guest may hand to parallel_exec, in bytes.
  uint64_t maxKernelBytes = uint64_t(16) << 20;
};

// The one place where resource requests of guests are decided (Wasmtime's ResourceLimiter).
// The base class allows what limits() allows; an embedder overrides a method to decide
// otherwise (count, log, refuse). Each returns nullopt to allow, or why it refuses: the reason
// becomes the error text where there is one (instantiation, parallel_exec), and a refused
// memory.grow or table.grow just returns -1, as the spec allows. Called on whichever thread
// asks, possibly on several at once.
class ResourceLimiter {
public:
  explicit ResourceLimiter(ResourceLimits limits = {}) : limits_(limits) {}
  virtual ~ResourceLimiter() = default;
  const ResourceLimits &limits() const { return limits_; }
  virtual std::optional<std::string> memoryGrowing(uint64_t currentBytes, uint64_t desiredBytes);
  virtual std::optional<std::string> tableGrowing(uint32_t current, uint32_t desired);
  virtual std::optional<std::string> instanceCreating(uint32_t alive);
  virtual std::optional<std::string> parallelBufferCreating(uint32_t alive);
  virtual std::optional<std::string> kernelLoading(uint64_t bytes);

private:
  ResourceLimits limits_;
};

// Stops guest code of one Linker's instances from another thread (Wasmtime's epoch
// interruption, reduced to a flag). Compiled code polls the flag at every function entry and
// loop iteration, so guest code on every thread — the caller's, wasi-parallel CPU workers and
// team members, wasi-threads threads — traps with TrapCode::Interrupted ("interrupt") within
// microseconds; memory.atomic.wait wakes up for it, and a wasi-parallel kernel that is stopped
// makes parallel_exec return kernel_trapped to a caller that is not itself stopped (a GPU
// kernel is only stopped being waited for: the CUDA driver cannot stop it). Cheap to copy;
// every method is safe from any thread.
class InterruptHandle {
public:
  explicit InterruptHandle(std::shared_ptr<runtime::StoreState> state) : state_(std::move(state)) {}
  void interrupt() const;
  // Lets the instances run again (a flag left set stops the next call at once).
  void reset() const;
  bool interrupted() const;

private:
  std::shared_ptr<runtime::StoreState> state_;
};

struct TableType {
  ValType element = ValType::FuncRef;
  uint32_t min = 0;
  std::optional<uint32_t> max;
};
struct MemoryType {
  // Pages of 64 KiB: at most 65536 for a 32-bit memory, 2^48 for a 64-bit one.
  uint64_t minPages = 0;
  std::optional<uint64_t> maxPages;
  bool shared = false;
  bool index64 = false; // a 64-bit memory (memory64): i64 addresses and page counts
};
struct GlobalType {
  ValType type = ValType::I32;
  bool mutable_ = false;
};

struct ImportDesc {
  std::string module, name;
  ExternKind kind;
  FuncType func; // a function's type, or a tag's (its parameters are the exception's payload)
  TableType table;
  MemoryType memory;
  GlobalType global;
};
struct ExportDesc {
  std::string name;
  ExternKind kind;
  FuncType func; // the member that `kind` names is set (for a tag: func, its type)
  TableType table;
  MemoryType memory;
  GlobalType global;
};

class Module {
public:
  // Decodes, validates and compiles. Errors are Malformed or Invalid with wabt's message and
  // offset.
  static Result<Module> fromBinary(Engine &engine, std::span<const uint8_t> bytes);
  static Result<Module> fromText(Engine &engine, std::string_view text, std::string_view fileName);
  // Binary or text, chosen by content (a binary starts with "\0asm"). A precompiled module is
  // refused unless `precompiled` is Allow (then as deserialize): it holds native code, so
  // loading one is a separate, explicit choice.
  enum class Precompiled { Refuse, Allow };
  static Result<Module> fromFile(Engine &engine, const std::string &path,
                                 Precompiled precompiled = Precompiled::Refuse);
  // Loads what Engine::precompileModule made. Its native code runs as it is, outside the
  // checks a compile gives: load only files you made yourself. Refused with an error naming
  // the difference when made by another parawasm build, with other settings or for another
  // CPU, and as Malformed when damaged (a checksum covers the whole file).
  static Result<Module> deserialize(Engine &engine, std::span<const uint8_t> bytes);
  // Whether the bytes are a precompiled module (by their magic number).
  static bool isPrecompiled(std::span<const uint8_t> bytes);

  std::vector<ImportDesc> imports() const;
  std::vector<ExportDesc> exports() const;
  // How the code was obtained: wall time of compiling (or loading from the cache) and whether
  // it came from the on-disk cache.
  double compileSeconds() const;
  bool fromCache() const;
  // Whether the code came from a precompiled module (deserialize), compiled by nobody here.
  bool fromPrecompiled() const;
  // How a compile without cached code started (docs/ARCHITECTURE.md): every function before
  // anything runs (Eager), each on its first call (Lazy), or so and with a background -O2
  // compile taking over (Tiered; the default for modules with 128 KiB of code or more).
  enum class Start { Eager, Lazy, Tiered };
  Start start() const;
  // The Wasm binary the module was compiled from (a deserialized module keeps it too).
  std::span<const uint8_t> binary() const;
  const std::shared_ptr<runtime::ModuleObject> &object() const { return obj_; }

private:
  explicit Module(std::shared_ptr<runtime::ModuleObject> obj) : obj_(std::move(obj)) {}
  std::shared_ptr<runtime::ModuleObject> obj_;
};

class Func {
public:
  explicit Func(std::shared_ptr<runtime::FuncObject> obj) : obj_(std::move(obj)) {}
  const FuncType &type() const;
  // Calls on the current thread. A trap returns an Error of kind Trap or Exhaustion.
  Result<std::vector<Val>> call(std::span<const Val> args) const;
  // This function as a funcref value (what a table or a funcref global holds).
  Val toRef() const;
  // The function a non-null funcref value refers to; nullopt for a null or non-funcref value.
  static std::optional<Func> fromRef(const Val &ref);
  const std::shared_ptr<runtime::FuncObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::FuncObject> obj_;
};

class Memory {
public:
  explicit Memory(std::shared_ptr<runtime::MemoryObject> obj) : obj_(std::move(obj)) {}
  static Result<Memory> create(const MemoryType &type);
  uint8_t *data() const;
  uint64_t size() const; // bytes
  MemoryType type() const;
  // Returns the old size in pages, or nullopt when the memory cannot grow that much.
  std::optional<uint64_t> grow(uint64_t deltaPages) const;
  const std::shared_ptr<runtime::MemoryObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::MemoryObject> obj_;
};

class Table {
public:
  explicit Table(std::shared_ptr<runtime::TableObject> obj) : obj_(std::move(obj)) {}
  static Result<Table> create(const TableType &type, Val init);
  uint32_t size() const;
  TableType type() const;
  // Element `index`; nullopt when out of bounds.
  std::optional<Val> get(uint32_t index) const;
  // False when out of bounds, when `value` is not of the element type, or for a host function
  // that no module has imported yet (compiled code cannot call it through a table before then).
  bool set(uint32_t index, Val value) const;
  // Returns the old size, or nullopt when the table cannot grow that much (its maximum, the
  // resource limiter) or `init` is not of the element type.
  std::optional<uint32_t> grow(uint32_t delta, Val init) const;
  const std::shared_ptr<runtime::TableObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::TableObject> obj_;
};

class Global {
public:
  explicit Global(std::shared_ptr<runtime::GlobalObject> obj) : obj_(std::move(obj)) {}
  static Global create(const GlobalType &type, Val value);
  Val get() const;
  // Usage error for an immutable global or a value of another type.
  Result<void> set(Val value) const;
  GlobalType type() const;
  const std::shared_ptr<runtime::GlobalObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::GlobalObject> obj_;
};

// An exception tag (the exception-handling proposal). Its identity is the object: an exception
// thrown with one tag is caught by `catch` of the same tag only, whichever instances import or
// export it.
class Tag {
public:
  explicit Tag(std::shared_ptr<runtime::TagObject> obj) : obj_(std::move(obj)) {}
  // A fresh tag: distinct from every other, including those of the same type.
  static Tag create(const FuncType &type);
  const FuncType &type() const;
  const std::shared_ptr<runtime::TagObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::TagObject> obj_;
};

using Extern = std::variant<Func, Table, Memory, Global, Tag>;

class Instance {
public:
  explicit Instance(std::shared_ptr<runtime::InstanceObject> obj) : obj_(std::move(obj)) {}
  std::optional<Extern> getExport(std::string_view name) const;
  std::optional<Func> getFunc(std::string_view name) const;
  // The instance's memory 0 (defined or imported), if it has one.
  std::optional<Memory> memory() const;
  std::vector<std::pair<std::string, Extern>> exports() const;
  // The handle of the linker that made this instance (every instance of a linker shares one).
  InterruptHandle interruptHandle() const;
  // Fuel left, with EngineConfig::consumeFuel; nullopt for a module compiled without it.
  std::optional<uint64_t> fuel() const;
  // Sets the fuel left (at most INT64_MAX). Usage error for a module compiled without fuel.
  Result<void> setFuel(uint64_t fuel) const;
  const std::shared_ptr<runtime::InstanceObject> &object() const { return obj_; }

private:
  std::shared_ptr<runtime::InstanceObject> obj_;
};

// What a host function sees of the instance that called it.
class Caller {
public:
  explicit Caller(runtime::InstanceObject *instance) : instance_(instance) {}
  // Memory 0 of the calling instance; null/0 when it has none.
  uint8_t *memoryBase() const;
  uint64_t memorySize() const;
  // Bounds-checked view of guest memory: nullptr when [offset, offset+length) is outside memory.
  uint8_t *memoryAt(uint64_t offset, uint64_t length) const;
  runtime::InstanceObject *instance() const { return instance_; }

private:
  runtime::InstanceObject *instance_;
};

// What a host function reports. A trap or exit unwinds the guest back to the host entry.
class [[nodiscard]] HostStatus {
public:
  static HostStatus ok() { return HostStatus(); }
  static HostStatus trap(std::string message) {
    HostStatus s;
    s.error_.emplace(Error::trap(TrapCode::HostTrap, std::move(message)));
    return s;
  }
  static HostStatus trap(TrapCode code, std::string message) {
    HostStatus s;
    s.error_.emplace(Error::trap(code, std::move(message)));
    return s;
  }
  static HostStatus exit(int status) {
    HostStatus s;
    s.error_.emplace(Error::exit(status));
    return s;
  }
  bool isOk() const { return !error_.has_value(); }
  const std::optional<Error> &error() const { return error_; }

private:
  std::optional<Error> error_;
};

using HostCallback =
    std::function<HostStatus(Caller &caller, std::span<const Val> args, std::span<Val> results)>;

Func makeHostFunc(Engine &engine, FuncType type, HostCallback callback, std::string debugName = {});

// A linker is also a store (Wasmtime's): its instances share its limits, fuel and interrupt flag.
// An instance whose element segments wrote its functions into a table it imported is kept alive
// by the linker, so those functions stay callable through that table whatever happens to the
// instance's handles; when the linker and the last handle are gone, the instance is freed and
// those entries become null (a call through them traps as an uninitialized element).
class Linker {
public:
  explicit Linker(Engine &engine);
  ~Linker();
  Linker(Linker &&) noexcept;
  void define(std::string_view module, std::string_view name, Extern value);
  void defineFunction(std::string_view module, std::string_view name, FuncType type,
                      HostCallback callback);
  // Makes every export of `instance` importable as module `module`.
  void defineInstance(std::string_view module, const Instance &instance);
  std::optional<Extern> find(std::string_view module, std::string_view name) const;
  // A check run on every module before its imports are resolved: a host module that cannot serve
  // a set of imports (e.g. two generations of one API) says why, and instantiate fails with an
  // Unlinkable error carrying that text.
  using ImportCheck = std::function<std::optional<std::string>(const Module &module)>;
  void addImportCheck(ImportCheck check);
  // Resolves imports (Unlinkable errors name the missing or mismatched import), runs segment
  // initialisation and the start function (Uninstantiable or Trap errors).
  Result<Instance> instantiate(const Module &module) const;
  // Instantiates with `imports` given in the order of Module::imports() (Wasmtime's
  // Instance::new), not looked up by name; this linker gives only its store (limits, interrupt
  // flag, fuel). Unlinkable errors as instantiate's, and for a count that does not match.
  Result<Instance> instantiate(const Module &module, std::span<const Extern> imports) const;
  Engine &engine() const;
  // Decides the resources of every instance this linker makes from now on (and of those they
  // make in turn). Default: a ResourceLimiter with the default ResourceLimits.
  void setLimiter(std::shared_ptr<ResourceLimiter> limiter);
  // Interrupts this linker's instances (all of them, past and future, share one flag).
  InterruptHandle interruptHandle() const;
  // Fuel each instance made from now on starts with (EngineConfig::consumeFuel); default
  // INT64_MAX, i.e. none to speak of.
  void setFuel(uint64_t fuel);
  const std::shared_ptr<runtime::StoreState> &store() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

const char *version(); // "0.1.0"

} // namespace parawasm
