// wabt's interpreter behind a plain interface, for the differential target. Its own translation
// unit, compiled as C++17: wabt 1.0.32's interpreter headers do not compile as C++20 (a destructor
// named with a template-id), and parawasm's headers need C++20.
#pragma once

#include <wabt/feature.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parawasm::fuzz {

// Value kinds in ValType's order: i32, i64, f32, f64, v128, funcref, externref.
struct PlainValue {
  uint8_t kind = 0;
  uint8_t bytes[16] = {}; // little-endian bits; references: bytes[0] = 1 when not null
};

struct PlainCall {
  std::string name;
  bool trapped = false, exhausted = false;
  std::string trap; // the interpreter's trap message
  std::vector<PlainValue> results;
};

struct PlainRun {
  bool instantiated = false;
  std::vector<PlainCall> calls;
};

// Instantiates `bytes` with zero/empty stubs for every import (as run_module.h does) and calls the
// first `maxCalls` exported functions in export order with the arguments `args` gives for their
// parameter kinds.
using ArgsFor = std::function<std::vector<PlainValue>(const std::vector<uint8_t> &paramKinds)>;
PlainRun runInWabtInterp(const uint8_t *bytes, size_t size, const wabt::Features &features,
                         const ArgsFor &args, size_t maxCalls);

} // namespace parawasm::fuzz
