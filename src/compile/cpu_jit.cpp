// The CPU back end: translate in parallel partitions, optimise, emit objects, link with ORC.
#include "compile/compiler.h"
#include "compile/cpu_policy.h"
#include "compile/interrupt_checks.h"
#include "compile/module_translator.h"
#include "compile/pass_pipeline.h"

#include "support/big_stack.h"
#include "support/byte_io.h"
#include "support/file_io.h"
#include "support/sha256.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <sys/stat.h>
#include <thread>

namespace parawasm::compile {

std::string compilerBuildId() {
  struct stat st {};
  std::string id = "parawasm-" + std::string(version());
  if (stat("/proc/self/exe", &st) == 0)
    id += "-" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec);
  return id;
}

std::string codegenKey(const CompileOptions &options) {
  return compilerBuildId() + "|" + (options.optLevel == OptLevel::Full ? "O2" : "O0") + "|" +
         llvm::sys::getHostCPUName().str() +
         (options.kernelFunc ? "|kernel" + std::to_string(*options.kernelFunc) : "") +
         (options.consumeFuel ? "|fuel" : "") + (options.interruptible ? "" : "|uninterruptible");
}

namespace {

std::string llvmErrorText(llvm::Error err) { return llvm::toString(std::move(err)); }

Result<std::unique_ptr<llvm::TargetMachine>> hostTargetMachine(OptLevel level) {
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb)
    return Error(ErrorKind::Internal, llvmErrorText(jtmb.takeError()));
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  jtmb->setCodeModel(llvm::CodeModel::Small);
  jtmb->setCodeGenOptLevel(level == OptLevel::Full ? llvm::CodeGenOptLevel::Default
                                                   : llvm::CodeGenOptLevel::None);
  auto tm = jtmb->createTargetMachine();
  if (!tm)
    return Error(ErrorKind::Internal, llvmErrorText(tm.takeError()));
  return std::move(*tm);
}

// One partition: its own context and target machine, so partitions compile on separate threads.
Result<std::vector<char>> compilePartition(const wasm::LoadedModule &loaded,
                                           std::span<const uint32_t> funcs, bool withTables,
                                           OptLevel level, std::optional<uint32_t> kernelFunc,
                                           bool consumeFuel, bool interruptible) {
  auto tm = hostTargetMachine(level);
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext context;
  context.setDiscardValueNames(true); // names only cost time when nobody reads the IR
  CpuPolicy policy;
  policy.consumeFuel = consumeFuel;
  auto m = translateModule(context, loaded, policy, funcs, withTables, kernelFunc);
  if (!m)
    return m.takeError();
  (*m)->setDataLayout((*tm)->createDataLayout());
  (*m)->setTargetTriple((*tm)->getTargetTriple().str());
  optimizeModule(**m, **tm, level);
  if (interruptible)
    addInterruptChecks(**m);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if ((*tm)->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return Error(ErrorKind::Internal, "the host target cannot emit object files");
  pm.run(**m);
  return std::vector<char>(buffer.begin(), buffer.end());
}

class CpuCodeObject final : public CodeObject {
public:
  CpuCodeObject(llvm::orc::LLJIT &jit, llvm::orc::JITDylib &dylib) : jit_(jit), dylib_(dylib) {}
  ~CpuCodeObject() override {
    if (llvm::Error err = jit_.getExecutionSession().removeJITDylib(dylib_))
      llvm::consumeError(std::move(err));
  }
  llvm::orc::JITDylib &dylib() { return dylib_; }

private:
  llvm::orc::LLJIT &jit_;
  llvm::orc::JITDylib &dylib_;
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
  explicit CpuJit(std::unique_ptr<llvm::orc::LLJIT> jit, llvm::orc::JITDylib &runtime)
      : jit_(std::move(jit)), runtime_(runtime) {}

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
                                                      const CompileOptions &options) {
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
    // Contiguous ranges keep callers next to their callees, so inlining still has material.
    for (size_t i = 0; i < defined.size(); ++i)
      partition[i * parts / defined.size()].push_back(defined[i]);
    std::vector<std::optional<Result<std::vector<char>>>> results(parts);
    auto work = [&](size_t p) {
      results[p].emplace(compilePartition(loaded, partition[p], p == 0, options.optLevel,
                                          p == 0 ? options.kernelFunc : std::nullopt,
                                          options.consumeFuel, options.interruptible));
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

  Result<std::unique_ptr<CpuCodeObject>> link(const wasm::LoadedModule &loaded,
                                              const std::vector<std::vector<char>> &objects,
                                              bool hasKernelDriver) {
    std::unique_lock lock(mutex_);
    auto &es = jit_->getExecutionSession();
    auto dylib = es.createJITDylib("wasm" + std::to_string(nextId_++));
    if (!dylib)
      return Error(ErrorKind::Internal, llvmErrorText(dylib.takeError()));
    dylib->addToLinkOrder(runtime_);
    auto code = std::make_unique<CpuCodeObject>(*jit_, *dylib);
    lock.unlock();
    for (const auto &o : objects) {
      auto buffer =
          llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(o.data(), o.size()), "wasm-object");
      if (llvm::Error err = jit_->addObjectFile(*dylib, std::move(buffer)))
        return Error(ErrorKind::Internal, llvmErrorText(std::move(err)));
    }
    const vm::ModuleInfo &info = loaded.info;
    auto readArray = [&](const char *name, size_t count, std::vector<void *> &out) -> Result<void> {
      auto addr = jit_->lookup(*dylib, name);
      if (!addr)
        return Error(ErrorKind::Internal, llvmErrorText(addr.takeError()));
      void *const *items = addr->toPtr<void *const *>();
      out.assign(items, items + count);
      return {};
    };
    if (auto r = readArray("pw_functions", info.numDefinedFuncs(), code->functions); !r)
      return r.takeError();
    if (auto r = readArray("pw_entry_thunks", info.types.size(), code->entryThunks); !r)
      return r.takeError();
    if (auto r = readArray("pw_host_adapters", info.types.size(), code->hostAdapters); !r)
      return r.takeError();
    if (hasKernelDriver) {
      auto addr = jit_->lookup(*dylib, kKernelDriverSymbol);
      if (!addr)
        return Error(ErrorKind::Internal, llvmErrorText(addr.takeError()));
      code->kernelDriver = addr->toPtr<void *>();
    }
    return code;
  }

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  llvm::orc::JITDylib &runtime_;
  std::mutex mutex_;
  uint64_t nextId_ = 0;
};

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

} // namespace

Result<std::unique_ptr<Jit>> Jit::create(std::vector<RuntimeSymbol> runtime) {
  initializeTargets();
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit)
    return Error(ErrorKind::Internal, llvmErrorText(jit.takeError()));
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
  return std::unique_ptr<Jit>(std::make_unique<CpuJit>(std::move(*jit), rt));
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
    addInterruptChecks(**m);
    std::string text;
    llvm::raw_string_ostream os(text);
    (*m)->print(os, nullptr);
    result.emplace(std::move(os.str()));
  });
  return std::move(*result);
}

} // namespace parawasm::compile
