#include "parallel/generations.h"

#include <string_view>

namespace parawasm::parallel {

const char *generationName(Generation generation) {
  switch (generation) {
  case Generation::TableIndex:
    return "table-index (parallel_for)";
  case Generation::Witx:
    return "witx (parallel_exec)";
  case Generation::Wit:
    return "WIT (parallel-exec)";
  }
  return "unknown";
}

GenerationUse generationOf(const vm::ModuleInfo &info) {
  GenerationUse use;
  bool witx = false, tableIndex = false, wit = false;
  for (const vm::ImportInfo &imp : info.imports) {
    if (imp.kind != ExternKind::Func)
      continue;
    if (imp.module == kWitModuleName) {
      wit = true;
      continue;
    }
    if (imp.module != kModuleName)
      continue;
    if (imp.name == kParallelForName) {
      const FuncType &type = info.types[imp.typeIndex];
      if (type != FuncType{std::vector<ValType>(kParallelForParams, ValType::I32), {ValType::I32}})
        use.error = std::string("'") + kModuleName + "' 'parallel_for' is imported with type " +
                    type.toString() +
                    "; the table-index generation's parallel_for has type (i32 x 7) -> i32";
      tableIndex = true;
    } else if (imp.name == "parallel_exec") {
      witx = true;
    }
  }
  if (use.error)
    return use;
  if (wit && (tableIndex || witx || [&] {
        for (const vm::ImportInfo &imp : info.imports)
          if (imp.module == kModuleName)
            return true;
        return false;
      }()))
    use.error = std::string("the module imports both '") + kWitModuleName +
                "' (the WIT generation) and '" + kModuleName +
                "': one module uses one generation of wasi-parallel";
  else if (tableIndex && witx)
    use.error = std::string("the module imports both 'parallel_for' (the table-index generation) "
                            "and 'parallel_exec' (the witx generation) from '") +
                kModuleName + "': one module uses one generation of wasi-parallel";
  if (use.error)
    return use;
  if (wit)
    use.generation = Generation::Wit;
  else if (tableIndex)
    use.generation = Generation::TableIndex;
  else if (witx)
    use.generation = Generation::Witx;
  else
    for (const vm::ImportInfo &imp : info.imports)
      if (imp.module == kModuleName)
        use.generation = Generation::Witx; // buffers without execs yet: today's numbering
  return use;
}

std::optional<DeviceKind> hintToDeviceKind(Generation generation, int32_t hint) {
  if (generation != Generation::TableIndex)
    return toDeviceKind(hint);
  switch (hint) {
  case 0:
    return DeviceKind::Cpu;
  case 1:
    return DeviceKind::DiscreteGpu;
  case 2:
    return DeviceKind::IntegratedGpu;
  default:
    return std::nullopt;
  }
}

} // namespace parawasm::parallel
