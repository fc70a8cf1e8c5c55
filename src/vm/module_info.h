// A decoded, validated module described in plain data: what the runtime needs to instantiate it.
// Produced by src/wasm (the only door to wabt); code comes separately from src/compile.
#pragma once

#include "parawasm/parawasm.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace parawasm::vm {

// A constant expression (global initialisers, segment offsets, element items).
// One step of an extended constant expression, in postfix order: push a constant or a global's
// value, or combine the top two integers of value.type (i32 or i64), wrapping.
struct ConstOp {
  enum class Code : uint8_t { Const, GlobalGet, Add, Sub, Mul } code = Code::Const;
  Val value;
  uint32_t index = 0; // GlobalGet
};

struct ConstExpr {
  enum class Kind : uint8_t { Value, RefNull, RefFunc, GlobalGet, Extended } kind = Kind::Value;
  Val value;                // for Value; for RefNull and Extended, value.type is the result type
  uint32_t index = 0;       // function index (RefFunc) or global index (GlobalGet)
  std::vector<ConstOp> ops; // Extended (the extended-const proposal)
};

// How a constant expression's references resolve where it is evaluated: at instantiation (the
// runtime: every global and function has a value) or at compile time (the GPU lowering, which
// folds a global's initial value into the kernel and cannot hold every kind). A resolver that
// is empty, or returns nullopt, makes the expression have no value there.
struct ConstResolver {
  std::function<std::optional<Val>(uint32_t)> global;  // global.get i
  std::function<std::optional<Val>(uint32_t)> funcRef; // ref.func i
  bool extended = true; // whether Extended (extended-const) expressions are evaluated
};

// The value of `c`, or nullopt when a reference it makes does not resolve. The one evaluator of
// constant expressions: Extended programs run here too (integers wrap).
std::optional<Val> evalConst(const ConstExpr &c, const ConstResolver &resolve);

struct ImportInfo {
  std::string module, name;
  ExternKind kind;
  uint32_t typeIndex = 0; // functions and tags
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct ExportInfo {
  std::string name;
  ExternKind kind;
  uint32_t index;
};

struct GlobalInfo {
  GlobalType type;
  ConstExpr init; // defined globals only
};

struct DataSegmentInfo {
  bool active = true;
  uint32_t memory = 0;
  ConstExpr offset;
  std::vector<uint8_t> bytes;
};

struct ElemSegmentInfo {
  enum class Mode : uint8_t { Active, Passive, Declarative } mode = Mode::Active;
  uint32_t table = 0;
  ConstExpr offset;
  ValType type = ValType::FuncRef;
  std::vector<ConstExpr> items;
};

struct ModuleInfo {
  std::vector<FuncType> types;
  std::vector<uint32_t> funcTypes; // type index per function index, imports first
  uint32_t numImportedFuncs = 0;
  std::vector<TableType> tables; // imports first
  uint32_t numImportedTables = 0;
  std::vector<MemoryType> memories;
  uint32_t numImportedMemories = 0;
  std::vector<GlobalInfo> globals;
  uint32_t numImportedGlobals = 0;
  std::vector<uint32_t> tags; // type index per tag index, imports first
  uint32_t numImportedTags = 0;
  // Whether the module defines or imports tags (a `try` in a module without any catches only
  // exceptions passing through, which checksExceptions covers).
  bool usesExceptions = false;
  // Whether its compiled functions look for an exception after the calls that may return one
  // (compile/emit_exceptions.cpp): when it uses exceptions, and also when an exception thrown
  // elsewhere may pass through it on its way to a `try` — it imports functions that may be
  // Wasm (from modules other than the host's own, kHostModules), imports or exports a table, or
  // takes function references from outside (an exported function's parameter, an imported
  // global, an exported mutable global). Other modules' code pays nothing for exceptions.
  bool checksExceptions = false;
  // Per function index (imports first), when checksExceptions: whether a call to it may return
  // with an exception. An import may unless its module is a host module; a defined function may
  // when it throws, rethrows, calls through a table or reference, or calls one that may; a
  // direct call to one that cannot needs no check.
  std::vector<bool> mayThrow;
  std::vector<ImportInfo> imports;
  std::vector<ExportInfo> exports;
  std::vector<DataSegmentInfo> data;
  std::vector<ElemSegmentInfo> elems;
  std::optional<uint32_t> start;
  std::vector<std::string> funcNames; // per function index: name section or export name, or ""

  uint32_t numDefinedFuncs() const { return uint32_t(funcTypes.size()) - numImportedFuncs; }
  const FuncType &funcType(uint32_t funcIndex) const { return types[funcTypes[funcIndex]]; }
  std::string funcDisplayName(uint32_t funcIndex) const; // "$name" or "func[7]"
};

} // namespace parawasm::vm
