#include "vm/module_info.h"

namespace parawasm {

namespace vm {

std::optional<Val> evalConst(const ConstExpr &c, const ConstResolver &resolve) {
  auto global = [&](uint32_t i) -> std::optional<Val> {
    return resolve.global ? resolve.global(i) : std::nullopt;
  };
  switch (c.kind) {
  case ConstExpr::Kind::Value:
    return c.value;
  case ConstExpr::Kind::RefNull:
    return Val::makeRef(c.value.type, nullptr);
  case ConstExpr::Kind::RefFunc:
    return resolve.funcRef ? resolve.funcRef(c.index) : std::nullopt;
  case ConstExpr::Kind::GlobalGet:
    return global(c.index);
  case ConstExpr::Kind::Extended:
    break;
  }
  if (!resolve.extended)
    return std::nullopt;
  std::vector<Val> stack;
  for (const ConstOp &op : c.ops) {
    if (op.code == ConstOp::Code::Const) {
      stack.push_back(op.value);
      continue;
    }
    if (op.code == ConstOp::Code::GlobalGet) {
      std::optional<Val> v = global(op.index);
      if (!v)
        return std::nullopt;
      stack.push_back(*v);
      continue;
    }
    if (stack.size() < 2)
      return c.value; // validation rules this out
    Val rhs = stack.back();
    stack.pop_back();
    Val &lhs = stack.back();
    // Unsigned arithmetic: Wasm integers wrap.
    auto apply = [&](auto a, auto b) -> decltype(a) {
      switch (op.code) {
      case ConstOp::Code::Add:
        return a + b;
      case ConstOp::Code::Sub:
        return a - b;
      default:
        return a * b;
      }
    };
    if (op.value.type == ValType::I64)
      lhs = Val::makeI64(int64_t(apply(uint64_t(lhs.of.i64), uint64_t(rhs.of.i64))));
    else
      lhs = Val::makeI32(int32_t(apply(uint32_t(lhs.of.i32), uint32_t(rhs.of.i32))));
  }
  return stack.empty() ? c.value : stack.back();
}

} // namespace vm

const char *version() { return "0.1.0"; }

const char *valTypeName(ValType type) {
  switch (type) {
  case ValType::I32:
    return "i32";
  case ValType::I64:
    return "i64";
  case ValType::F32:
    return "f32";
  case ValType::F64:
    return "f64";
  case ValType::V128:
    return "v128";
  case ValType::FuncRef:
    return "funcref";
  case ValType::ExternRef:
    return "externref";
  }
  return "?";
}

std::string FuncType::toString() const {
  auto list = [](const std::vector<ValType> &types) {
    std::string s = "(";
    for (size_t i = 0; i < types.size(); ++i)
      s += (i ? ", " : "") + std::string(valTypeName(types[i]));
    return s + ")";
  };
  return list(params) + " -> " + list(results);
}

const char *errorKindName(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::Malformed:
    return "malformed";
  case ErrorKind::Invalid:
    return "invalid";
  case ErrorKind::Unlinkable:
    return "unlinkable";
  case ErrorKind::Uninstantiable:
    return "uninstantiable";
  case ErrorKind::Trap:
    return "trap";
  case ErrorKind::Exhaustion:
    return "exhaustion";
  case ErrorKind::Io:
    return "i/o";
  case ErrorKind::Usage:
    return "usage";
  case ErrorKind::Unsupported:
    return "unsupported";
  case ErrorKind::Internal:
    return "internal";
  }
  return "?";
}

namespace vm {
std::string ModuleInfo::funcDisplayName(uint32_t funcIndex) const {
  if (funcIndex < funcNames.size() && !funcNames[funcIndex].empty())
    return funcNames[funcIndex];
  return "func[" + std::to_string(funcIndex) + "]";
}
} // namespace vm

} // namespace parawasm
