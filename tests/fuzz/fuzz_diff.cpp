// Differential fuzz target: the same bounded module runs in parawasm and in wabt's interpreter;
// instantiation success, each export call's trap-or-return and the returned values must agree
// (NaNs agree with NaNs: their payloads are not deterministic). Once either engine exhausts its
// call stack (their depths differ), or the interpreter meets an operator it lacks, the rest is
// not compared; the interpreter does not run the calls from the first one that exhausted
// parawasm's stack on. Modules with tail calls run in parawasm only (Bounded::tailCalls).
#include "bound_module.h"
#include "diff_interp.h"
#include "run_module.h"
#include "wasm/wabt_util.h"
#include "wasm/wast_script.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using namespace parawasm;

fuzz::PlainValue toPlain(const Val &v) {
  fuzz::PlainValue p;
  p.kind = uint8_t(v.type);
  if (isRefType(v.type))
    p.bytes[0] = v.of.ref != nullptr;
  else
    std::memcpy(p.bytes, &v.of, v.type == ValType::V128 ? 16 : 8);
  return p;
}

Val fromPlain(const fuzz::PlainValue &p) {
  Val v = Val::zero(ValType(p.kind));
  if (isRefType(v.type))
    v.of.ref = p.bytes[0] ? reinterpret_cast<void *>(1) : nullptr;
  else
    std::memcpy(&v.of, p.bytes, v.type == ValType::V128 ? 16 : 8);
  return v;
}

template <class T> bool sameLanes(const uint8_t *a, const uint8_t *b) {
  for (size_t i = 0; i < 16 / sizeof(T); ++i) {
    T x, y;
    std::memcpy(&x, a + i * sizeof(T), sizeof(T));
    std::memcpy(&y, b + i * sizeof(T), sizeof(T));
    if (std::memcmp(&x, &y, sizeof(T)) != 0 && !(std::isnan(x) && std::isnan(y)))
      return false;
  }
  return true;
}

bool sameValue(const Val &a, const Val &b) {
  if (a.type != b.type)
    return false;
  switch (a.type) {
  case ValType::I32:
    return a.of.i32 == b.of.i32;
  case ValType::I64:
    return a.of.i64 == b.of.i64;
  case ValType::F32:
    return std::memcmp(&a.of.f32, &b.of.f32, 4) == 0 ||
           (std::isnan(a.of.f32) && std::isnan(b.of.f32));
  case ValType::F64:
    return std::memcmp(&a.of.f64, &b.of.f64, 8) == 0 ||
           (std::isnan(a.of.f64) && std::isnan(b.of.f64));
  case ValType::V128: // lanes of unknown shape: equal bytes, or NaNs where they differ
    return a.of.v128 == b.of.v128 || sameLanes<float>(a.of.v128.bytes, b.of.v128.bytes) ||
           sameLanes<double>(a.of.v128.bytes, b.of.v128.bytes);
  default:
    return (a.of.ref == nullptr) == (b.of.ref == nullptr);
  }
}

[[noreturn]] void mismatch(const std::string &what) {
  std::fprintf(stderr, "differential mismatch: %s\n", what.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::span<const uint8_t> input(data, size);
  fuzz::Bounded bounded = fuzz::boundModule(input);
  if (!bounded.valid || bounded.tooLarge)
    return 0;
  uint64_t seed = fuzz::inputSeed(input);
  fuzz::RunOutcome ours = fuzz::runInParawasm(bounded.bytes, seed);
  if (!ours.compiled)
    return 0; // an implementation limit (e.g. nesting depth); the module target covers refusals
  auto args = [seed](const std::vector<uint8_t> &kinds) {
    FuncType type;
    for (uint8_t k : kinds)
      type.params.push_back(ValType(k));
    std::vector<fuzz::PlainValue> out;
    for (const Val &v : fuzz::fuzzArgs(type, seed))
      out.push_back(toPlain(v));
    return out;
  };
  // wabt 1.0.32's interpreter gets return_call and return_call_indirect wrong when the caller
  // left operands below the call's arguments: it returns one of those (tests/fuzz/regressions/
  // diff/return_call_over_operands.wasm: `10 - f(3)` with `f` ending in `i32.const 1; return_call
  // f` gives 1 there, 10 in parawasm and by the spec), and with the wrong values it may trap where
  // parawasm returns (return_call_fib.wasm). parawasm ran it (a crash still counts); its tail
  // calls are checked by tests/wast/tail_calls.wast and the spec tests.
  if (bounded.tailCalls)
    return 0;
  size_t compared = 0;
  while (compared < ours.calls.size() && !ours.calls[compared].exhausted)
    ++compared;
  fuzz::PlainRun theirs = fuzz::runInWabtInterp(bounded.bytes.data(), bounded.bytes.size(),
                                                wasm::engineFeatures(), args, compared);
  if (ours.instantiated != theirs.instantiated)
    mismatch(std::string("instantiation: parawasm ") +
             (ours.instantiated ? "succeeded" : "failed") + " (" + ours.error + "), wabt " +
             (theirs.instantiated ? "succeeded" : "failed"));
  if (theirs.calls.size() != compared)
    mismatch("number of exported functions called");
  for (size_t i = 0; i < compared; ++i) {
    const fuzz::CallOutcome &a = ours.calls[i];
    const fuzz::PlainCall &b = theirs.calls[i];
    // wabt 1.0.32's interpreter traps "not implemented" on atomic.fence, wait and notify.
    if (a.exhausted || b.exhausted || (b.trapped && b.trap == "not implemented"))
      return 0;
    if (a.trapped != b.trapped)
      mismatch("'" + a.name + "': parawasm " + (a.trapped ? "trapped" : "returned") + ", wabt " +
               (b.trapped ? "trapped: " + b.trap : "returned"));
    if (a.results.size() != b.results.size())
      mismatch("'" + a.name + "': number of results");
    for (size_t k = 0; k < a.results.size(); ++k) {
      Val theirValue = fromPlain(b.results[k]);
      if (!sameValue(a.results[k], theirValue))
        mismatch("'" + a.name + "': result " + std::to_string(k) + " is " +
                 wasm::formatVal(a.results[k]) + ", wabt's interpreter gives " +
                 wasm::formatVal(theirValue));
    }
  }
  return 0;
}
