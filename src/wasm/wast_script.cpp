#include "wasm/wast_script.h"
#include "wasm/loaded_module.h"
#include "wasm/text_guard.h"
#include "wasm/wabt_util.h"

#include "support/big_stack.h"

#include <wabt/ir.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include <cmath>
#include <cstring>
#include <map>
#include <optional>

namespace parawasm::wasm {
namespace {

void *externRef(uintptr_t bits) {
  // ref.extern N is carried as N + 1 so that ref.extern 0 is not null.
  return bits == wabt::Const::kRefNullBits ? nullptr : reinterpret_cast<void *>(bits + 1);
}

Val toVal(const wabt::Const &c) {
  Val v;
  switch (c.type()) {
  case wabt::Type::I32:
    v = Val::makeI32(int32_t(c.u32()));
    break;
  case wabt::Type::I64:
    v = Val::makeI64(int64_t(c.u64()));
    break;
  case wabt::Type::F32: {
    v.type = ValType::F32;
    uint32_t bits = c.f32_bits();
    std::memcpy(&v.of.f32, &bits, 4);
    break;
  }
  case wabt::Type::F64: {
    v.type = ValType::F64;
    uint64_t bits = c.f64_bits();
    std::memcpy(&v.of.f64, &bits, 8);
    break;
  }
  case wabt::Type::V128: {
    v.type = ValType::V128;
    v128 x = c.vec128();
    std::memcpy(v.of.v128.bytes, &x, 16);
    break;
  }
  case wabt::Type::FuncRef:
    v = Val::makeRef(ValType::FuncRef, c.ref_bits() == wabt::Const::kRefNullBits
                                           ? nullptr
                                           : reinterpret_cast<void *>(1));
    break;
  case wabt::Type::ExternRef:
    v = Val::makeRef(ValType::ExternRef, externRef(c.ref_bits()));
    break;
  default:
    break;
  }
  return v;
}

WastExpected toExpected(const wabt::Const &c) {
  WastExpected e;
  e.value = toVal(c);
  if (c.type() == wabt::Type::FuncRef && c.ref_bits() != wabt::Const::kRefNullBits)
    e.anyNonNullFuncRef = true;
  auto nanOf = [](wabt::ExpectedNan n) {
    return n == wabt::ExpectedNan::Canonical    ? NanExpectation::Canonical
           : n == wabt::ExpectedNan::Arithmetic ? NanExpectation::Arithmetic
                                                : NanExpectation::None;
  };
  if (c.type() == wabt::Type::V128) {
    e.laneType = c.lane_type() == wabt::Type::F32   ? ValType::F32
                 : c.lane_type() == wabt::Type::F64 ? ValType::F64
                                                    : ValType::I32;
    for (int i = 0; i < 4; ++i)
      e.nan[i] = nanOf(c.expected_nan(i));
  } else {
    e.nan[0] = nanOf(c.expected_nan(0));
  }
  return e;
}

std::string varName(const wabt::Var &v) { return v.is_name() ? v.name() : ""; }

WastAction toAction(const wabt::Action &a) {
  WastAction out;
  out.kind =
      a.type() == wabt::ActionType::Invoke ? WastAction::Kind::Invoke : WastAction::Kind::Get;
  out.moduleName = varName(a.module_var);
  out.field = a.name;
  if (auto *inv = wabt::dyn_cast<wabt::InvokeAction>(&a))
    for (const wabt::Const &c : inv->args)
      out.args.push_back(toVal(c));
  return out;
}

void setModule(WastCommand &cmd, const wabt::ScriptModule &sm) {
  switch (sm.type()) {
  case wabt::ScriptModuleType::Binary:
    cmd.moduleBytes = wabt::cast<wabt::BinaryScriptModule>(&sm)->data;
    return;
  case wabt::ScriptModuleType::Quoted: {
    const auto &data = wabt::cast<wabt::QuotedScriptModule>(&sm)->data;
    auto bytes = watToWasm(
        std::string_view(reinterpret_cast<const char *>(data.data()), data.size()), "quoted");
    if (bytes)
      cmd.moduleBytes = std::move(*bytes);
    else {
      cmd.moduleError = bytes.error().message();
      cmd.moduleErrorKind = bytes.error().kind();
    }
    return;
  }
  case wabt::ScriptModuleType::Text: {
    const wabt::Module &m = wabt::cast<wabt::TextScriptModule>(&sm)->module;
    auto bytes = validateAndEncode(m);
    if (bytes)
      cmd.moduleBytes = std::move(*bytes);
    else {
      cmd.moduleError = bytes.error().message();
      cmd.moduleErrorKind = bytes.error().kind();
    }
    return;
  }
  }
}

template <class TrapCommand>
void setTrap(WastCommand &cmd, WastCommand::Kind kind, const TrapCommand &at) {
  cmd.kind = kind;
  cmd.line = at.action->loc.line;
  cmd.hasAction = true;
  cmd.action = toAction(*at.action);
  cmd.text = at.text;
}

template <class ModuleCommand>
void setAssertModule(WastCommand &cmd, WastCommand::Kind kind, const ModuleCommand &am) {
  cmd.kind = kind;
  cmd.line = am.module->location().line;
  cmd.text = am.text;
  setModule(cmd, *am.module);
}

// Failures of quoted top-level modules, by line (see rewriteQuotedModules).
using QuoteErrors = std::map<int, Error>;

// The script's syntax errors, if it has any (wabt's messages).
std::optional<Error> syntaxErrors(std::string_view text, std::string_view fileName) {
  wabt::Errors errors;
  std::string name(fileName); // the errors' locations point into it
  auto lexer = wabt::WastLexer::CreateBufferLexer(name, text.data(), text.size(), &errors);
  wabt::WastParseOptions options(engineFeatures());
  std::unique_ptr<wabt::Script> script;
  if (wabt::Succeeded(wabt::ParseWastScript(lexer.get(), &script, &errors, &options)))
    return std::nullopt;
  return Error(ErrorKind::Malformed, formatErrors(errors, false));
}

Result<std::vector<WastCommand>> parseScript(std::string_view text, std::string_view fileName,
                                             const QuoteErrors &quoteErrors) {
  wabt::Errors errors;
  std::string name(fileName);
  auto lexer = wabt::WastLexer::CreateBufferLexer(name, text.data(), text.size(), &errors);
  wabt::WastParseOptions options(engineFeatures());
  std::unique_ptr<wabt::Script> script;
  if (wabt::Failed(wabt::ParseWastScript(lexer.get(), &script, &errors, &options)))
    return Error(ErrorKind::Malformed, formatErrors(errors, false));
  std::vector<WastCommand> out;
  for (const auto &cmdPtr : script->commands) {
    const wabt::Command &c = *cmdPtr;
    WastCommand cmd{};
    switch (c.type) {
    case wabt::CommandType::Module: {
      auto &mc = *wabt::cast<wabt::ModuleCommand>(&c);
      cmd.kind = WastCommand::Kind::Module;
      cmd.line = mc.module.loc.line;
      cmd.moduleName = mc.module.name;
      auto bytes = validateAndEncode(mc.module);
      if (bytes) {
        cmd.moduleBytes = std::move(*bytes);
      } else {
        cmd.moduleError = bytes.error().message();
        cmd.moduleErrorKind = bytes.error().kind();
      }
      break;
    }
    case wabt::CommandType::ScriptModule: {
      auto &sc = *wabt::cast<wabt::ScriptModuleCommand>(&c);
      cmd.kind = WastCommand::Kind::Module;
      cmd.line = sc.module.loc.line;
      cmd.moduleName = sc.module.name;
      setModule(cmd, *sc.script_module);
      if (auto it = quoteErrors.find(cmd.line); it != quoteErrors.end()) {
        cmd.moduleBytes.clear();
        cmd.moduleError = it->second.message();
        cmd.moduleErrorKind = it->second.kind();
      }
      break;
    }
    case wabt::CommandType::Register: {
      auto &rc = *wabt::cast<wabt::RegisterCommand>(&c);
      cmd.kind = WastCommand::Kind::Register;
      cmd.line = rc.var.loc.line;
      cmd.registerAs = rc.module_name;
      cmd.moduleName = varName(rc.var);
      break;
    }
    case wabt::CommandType::Action: {
      auto &ac = *wabt::cast<wabt::ActionCommand>(&c);
      cmd.kind = WastCommand::Kind::Action;
      cmd.line = ac.action->loc.line;
      cmd.hasAction = true;
      cmd.action = toAction(*ac.action);
      break;
    }
    case wabt::CommandType::AssertReturn: {
      auto &ar = *wabt::cast<wabt::AssertReturnCommand>(&c);
      cmd.kind = WastCommand::Kind::AssertReturn;
      cmd.line = ar.action->loc.line;
      cmd.hasAction = true;
      cmd.action = toAction(*ar.action);
      if (ar.expected->type() == wabt::ExpectationType::Either) {
        for (const wabt::Const &k : ar.expected->expected)
          cmd.expected.push_back({toExpected(k)});
      } else {
        std::vector<WastExpected> values;
        for (const wabt::Const &k : ar.expected->expected)
          values.push_back(toExpected(k));
        cmd.expected.push_back(std::move(values));
      }
      break;
    }
    // Each assertion kind is its own class (an instance of one wabt template): cast to the kind
    // the command really has, never to a sibling with the same layout (undefined behaviour).
    case wabt::CommandType::AssertTrap:
      setTrap(cmd, WastCommand::Kind::AssertTrap, *wabt::cast<wabt::AssertTrapCommand>(&c));
      break;
    case wabt::CommandType::AssertExhaustion:
      setTrap(cmd, WastCommand::Kind::AssertExhaustion,
              *wabt::cast<wabt::AssertExhaustionCommand>(&c));
      break;
    case wabt::CommandType::AssertException: {
      const auto &ae = *wabt::cast<wabt::AssertExceptionCommand>(&c);
      cmd.kind = WastCommand::Kind::AssertException;
      cmd.line = ae.action->loc.line;
      cmd.hasAction = true;
      cmd.action = toAction(*ae.action);
      break;
    }
    case wabt::CommandType::AssertMalformed:
      setAssertModule(cmd, WastCommand::Kind::AssertMalformed,
                      *wabt::cast<wabt::AssertMalformedCommand>(&c));
      break;
    case wabt::CommandType::AssertInvalid:
      setAssertModule(cmd, WastCommand::Kind::AssertInvalid,
                      *wabt::cast<wabt::AssertInvalidCommand>(&c));
      break;
    case wabt::CommandType::AssertUnlinkable:
      setAssertModule(cmd, WastCommand::Kind::AssertUnlinkable,
                      *wabt::cast<wabt::AssertUnlinkableCommand>(&c));
      break;
    case wabt::CommandType::AssertUninstantiable:
      setAssertModule(cmd, WastCommand::Kind::AssertUninstantiable,
                      *wabt::cast<wabt::AssertUninstantiableCommand>(&c));
      break;
    default:
      cmd.kind = WastCommand::Kind::Unsupported;
      break;
    }
    out.push_back(std::move(cmd));
  }
  return out;
}

} // namespace

Result<std::vector<WastCommand>> parseWast(std::string_view text, std::string_view fileName) {
  if (auto refused = refuseHazardousText(text, fileName))
    return std::move(*refused);
  QuoteErrors quoteErrors;
  std::string script =
      rewriteQuotedModules(text, [&](const std::string &quoted, int line, std::string &bytes) {
        // An empty quoted module is the empty module; wabt's module parser wants a field.
        bool empty = quoted.find_first_not_of(" \t\n\r") == std::string::npos;
        auto binary = watToWasm(empty ? std::string_view("(module)") : quoted, "quoted");
        if (!binary) {
          quoteErrors.insert_or_assign(line, binary.takeError());
          return false;
        }
        bytes.assign(binary->begin(), binary->end());
        return true;
      });
  // wabt's parser and the script's destructors recurse per nesting level.
  std::optional<Result<std::vector<WastCommand>>> result;
  support::runWithStack(support::kCompileStackBytes, [&] {
    // A script with a syntax error is parsed once more with its quoted modules as binary ones
    // (see quotedModulesAsBinary): the same errors, without wabt's abort.
    if (script.find("quote") != std::string::npos) {
      if (auto errors = syntaxErrors(quotedModulesAsBinary(script), fileName)) {
        result = std::move(*errors);
        return;
      }
    }
    result = parseScript(script, fileName, quoteErrors);
  });
  return std::move(*result);
}

namespace {

bool isCanonicalNan32(uint32_t bits) { return (bits & 0x7fffffff) == 0x7fc00000; }
bool isArithmeticNan32(uint32_t bits) { return (bits & 0x7fc00000) == 0x7fc00000; }
bool isCanonicalNan64(uint64_t bits) {
  return (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
bool isArithmeticNan64(uint64_t bits) {
  return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool matchLane32(uint32_t actual, uint32_t expected, NanExpectation nan) {
  if (nan == NanExpectation::Canonical)
    return isCanonicalNan32(actual);
  if (nan == NanExpectation::Arithmetic)
    return isArithmeticNan32(actual);
  return actual == expected;
}
bool matchLane64(uint64_t actual, uint64_t expected, NanExpectation nan) {
  if (nan == NanExpectation::Canonical)
    return isCanonicalNan64(actual);
  if (nan == NanExpectation::Arithmetic)
    return isArithmeticNan64(actual);
  return actual == expected;
}

} // namespace

bool matchesExpected(const Val &actual, const WastExpected &e) {
  if (actual.type != e.value.type)
    return false;
  switch (actual.type) {
  case ValType::I32:
    return actual.of.i32 == e.value.of.i32;
  case ValType::I64:
    return actual.of.i64 == e.value.of.i64;
  case ValType::F32: {
    uint32_t a, x;
    std::memcpy(&a, &actual.of.f32, 4);
    std::memcpy(&x, &e.value.of.f32, 4);
    return matchLane32(a, x, e.nan[0]);
  }
  case ValType::F64: {
    uint64_t a, x;
    std::memcpy(&a, &actual.of.f64, 8);
    std::memcpy(&x, &e.value.of.f64, 8);
    return matchLane64(a, x, e.nan[0]);
  }
  case ValType::V128: {
    if (e.laneType == ValType::F32) {
      for (int i = 0; i < 4; ++i) {
        uint32_t a, x;
        std::memcpy(&a, actual.of.v128.bytes + 4 * i, 4);
        std::memcpy(&x, e.value.of.v128.bytes + 4 * i, 4);
        if (!matchLane32(a, x, e.nan[i]))
          return false;
      }
      return true;
    }
    if (e.laneType == ValType::F64) {
      for (int i = 0; i < 2; ++i) {
        uint64_t a, x;
        std::memcpy(&a, actual.of.v128.bytes + 8 * i, 8);
        std::memcpy(&x, e.value.of.v128.bytes + 8 * i, 8);
        if (!matchLane64(a, x, e.nan[i]))
          return false;
      }
      return true;
    }
    return actual.of.v128 == e.value.of.v128;
  }
  case ValType::FuncRef:
    if (e.anyNonNullFuncRef)
      return actual.of.ref != nullptr;
    return actual.of.ref == e.value.of.ref;
  case ValType::ExternRef:
    return actual.of.ref == e.value.of.ref;
  }
  return false;
}

std::string formatVal(const Val &v) {
  char buf[128];
  switch (v.type) {
  case ValType::I32:
    snprintf(buf, sizeof buf, "i32:%d", v.of.i32);
    break;
  case ValType::I64:
    snprintf(buf, sizeof buf, "i64:%lld", (long long)v.of.i64);
    break;
  case ValType::F32: {
    uint32_t bits;
    std::memcpy(&bits, &v.of.f32, 4);
    snprintf(buf, sizeof buf, "f32:%.9g (0x%08x)", double(v.of.f32), bits);
    break;
  }
  case ValType::F64: {
    uint64_t bits;
    std::memcpy(&bits, &v.of.f64, 8);
    snprintf(buf, sizeof buf, "f64:%.17g (0x%016llx)", v.of.f64, (unsigned long long)bits);
    break;
  }
  case ValType::V128: {
    std::string s = "v128:";
    for (int i = 0; i < 16; ++i) {
      snprintf(buf, sizeof buf, "%02x", v.of.v128.bytes[i]);
      s += buf;
    }
    return s;
  }
  case ValType::FuncRef:
    return v.of.ref ? "funcref" : "ref.null func";
  case ValType::ExternRef:
    if (!v.of.ref)
      return "ref.null extern";
    snprintf(buf, sizeof buf, "ref.extern %llu", (unsigned long long)(uintptr_t(v.of.ref) - 1));
    break;
  }
  return buf;
}

std::string formatExpected(const WastExpected &e) {
  if (e.nan[0] == NanExpectation::Canonical && e.value.type != ValType::V128)
    return "nan:canonical";
  if (e.nan[0] == NanExpectation::Arithmetic && e.value.type != ValType::V128)
    return "nan:arithmetic";
  return formatVal(e.value);
}

} // namespace parawasm::wasm
