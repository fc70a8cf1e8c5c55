// Translates a set of a module's functions into one LLVM module (shared by every target).
#pragma once

#include "compile/translator.h"
#include "wasm/loaded_module.h"

#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace parawasm::compile {

std::string functionSymbol(uint32_t funcIndex); // "pwf_<index>"
// The function index in a function's symbol, its lazy body's or a loop entry's ("pwf_<index>.*").
std::optional<uint32_t> functionOfSymbol(std::string_view symbol);
inline constexpr const char *kKernelDriverSymbol = "pw_kernel_driver";

// Function `funcIndex` entered at its `loop` operator, as the function `name` (see
// FunctionTranslator::loopEntry): how a call running long in the interpreter moves into
// compiled code (vm::InterpHooks::loopEntry).
Result<std::unique_ptr<llvm::Module>>
translateLoopEntry(llvm::LLVMContext &c, const wasm::LoadedModule &loaded, TargetPolicy &policy,
                   uint32_t funcIndex, const wabt::Expr &loop, const std::string &name);

// Adds pw_kernel_driver, the loop over iteration ids that calls `kernelFunc` (inlined), so LLVM
// can vectorise across iterations. The kernel function must be defined in `m`. `checked`: the
// driver stores each iteration in VMContext::kernel->iteration before running it.
void addKernelDriver(llvm::Module &m, const vm::ModuleInfo &info, uint32_t kernelFunc,
                     bool checked = false);

// Defines the functions in `funcIndices` (others are declared). With `withTables` it also adds
// the entry thunks and host adapters of every type and the arrays pw_functions,
// pw_entry_thunks and pw_host_adapters from which the loader reads all addresses at once. Once
// `cancel` is set it stops between functions (a background tier-up whose module died).
// `interpretedShell`: the tables of an interpreted start (vm/interp.h), which has the adapters
// its trampolines jump to (pw_interp_adapters) and no pw_functions (it makes the stubs itself
// and knows their addresses; an array of them would cost a lookup per function at link time).
Result<std::unique_ptr<llvm::Module>>
translateModule(llvm::LLVMContext &c, const wasm::LoadedModule &loaded, TargetPolicy &policy,
                std::span<const uint32_t> funcIndices, bool withTables,
                std::optional<uint32_t> kernelFunc = {}, const std::atomic<bool> *cancel = nullptr,
                bool interpretedShell = false);

} // namespace parawasm::compile
