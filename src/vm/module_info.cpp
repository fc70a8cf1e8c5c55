#include "vm/module_info.h"

namespace parawasm {

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
