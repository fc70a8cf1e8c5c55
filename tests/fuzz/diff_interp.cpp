#include "diff_interp.h"

#include <wabt/binary-reader.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include <cstring>

namespace parawasm::fuzz {
namespace {

namespace interp = wabt::interp;

uint8_t kindOf(wabt::Type t) {
  switch (t) {
  case wabt::Type::I32:
    return 0;
  case wabt::Type::I64:
    return 1;
  case wabt::Type::F32:
    return 2;
  case wabt::Type::F64:
    return 3;
  case wabt::Type::V128:
    return 4;
  case wabt::Type::FuncRef:
    return 5;
  default:
    return 6;
  }
}

template <class T> T bitsAs(const PlainValue &v) {
  T x;
  std::memcpy(&x, v.bytes, sizeof(T));
  return x;
}

interp::Value toInterp(const PlainValue &v) {
  switch (v.kind) {
  case 0:
    return interp::Value::Make(bitsAs<uint32_t>(v));
  case 1:
    return interp::Value::Make(bitsAs<uint64_t>(v));
  case 2:
    return interp::Value::Make(bitsAs<float>(v));
  case 3:
    return interp::Value::Make(bitsAs<double>(v));
  case 4:
    return interp::Value::Make(bitsAs<::v128>(v));
  default:
    return interp::Value::Make(interp::Ref::Null);
  }
}

PlainValue fromInterp(const interp::Value &v, wabt::Type t) {
  PlainValue p;
  p.kind = kindOf(t);
  auto put = [&](auto x) { std::memcpy(p.bytes, &x, sizeof(x)); };
  switch (p.kind) {
  case 0:
    put(v.Get<uint32_t>());
    break;
  case 1:
    put(v.Get<uint64_t>());
    break;
  case 2:
    put(v.Get<float>());
    break;
  case 3:
    put(v.Get<double>());
    break;
  case 4:
    put(v.Get<::v128>());
    break;
  default:
    p.bytes[0] = v.Get<interp::Ref>() == interp::Ref::Null ? 0 : 1;
    break;
  }
  return p;
}

PlainValue zeroOf(wabt::Type t) {
  PlainValue p;
  p.kind = kindOf(t);
  return p;
}

} // namespace

PlainRun runInWabtInterp(const uint8_t *bytes, size_t size, const wabt::Features &features,
                         const ArgsFor &args, size_t maxCalls) {
  PlainRun out;
  interp::Store store(features);
  interp::ModuleDesc desc;
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/true);
  if (wabt::Failed(interp::ReadBinaryInterp("fuzz", bytes, size, options, &errors, &desc)))
    return out;
  auto module = interp::Module::New(store, desc);
  interp::RefVec imports;
  for (const interp::ImportDesc &imp : desc.imports) {
    const interp::ExternType &type = *imp.type.type;
    switch (type.kind) {
    case wabt::ExternalKind::Func: {
      interp::FuncType ft = *wabt::cast<interp::FuncType>(&type);
      auto host = interp::HostFunc::New(store, ft,
                                        [ft](interp::Thread &, const interp::Values &,
                                             interp::Values &results, interp::Trap::Ptr *) {
                                          results.clear();
                                          for (wabt::Type t : ft.results)
                                            results.push_back(toInterp(zeroOf(t)));
                                          return wabt::Result::Ok;
                                        });
      imports.push_back(host.ref());
      break;
    }
    case wabt::ExternalKind::Table:
      imports.push_back(interp::Table::New(store, *wabt::cast<interp::TableType>(&type)).ref());
      break;
    case wabt::ExternalKind::Memory:
      imports.push_back(interp::Memory::New(store, *wabt::cast<interp::MemoryType>(&type)).ref());
      break;
    case wabt::ExternalKind::Global: {
      const auto &gt = *wabt::cast<interp::GlobalType>(&type);
      imports.push_back(interp::Global::New(store, gt, toInterp(zeroOf(gt.type))).ref());
      break;
    }
    default:
      return out;
    }
  }
  interp::Trap::Ptr trap;
  auto instance = interp::Instance::Instantiate(store, module.ref(), imports, &trap);
  if (!instance)
    return out;
  out.instantiated = true;
  for (size_t i = 0; i < desc.exports.size() && out.calls.size() < maxCalls; ++i) {
    const interp::ExportDesc &e = desc.exports[i];
    if (e.type.type->kind != wabt::ExternalKind::Func)
      continue;
    auto func = store.UnsafeGet<interp::Func>(instance->exports()[i]);
    const interp::FuncType &ft = func->type();
    std::vector<uint8_t> kinds;
    for (wabt::Type t : ft.params)
      kinds.push_back(kindOf(t));
    interp::Values params, results;
    for (const PlainValue &v : args(kinds))
      params.push_back(toInterp(v));
    PlainCall call;
    call.name = e.type.name;
    interp::Trap::Ptr callTrap;
    if (wabt::Failed(func->Call(store, params, results, &callTrap))) {
      call.trapped = true;
      call.trap = callTrap ? callTrap->message() : "";
      call.exhausted = call.trap == "call stack exhausted";
    } else {
      for (size_t k = 0; k < results.size(); ++k)
        call.results.push_back(fromInterp(results[k], ft.results[k]));
    }
    out.calls.push_back(std::move(call));
  }
  return out;
}

} // namespace parawasm::fuzz
