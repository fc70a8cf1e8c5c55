// Spec-format scripts (.wast) parsed by wabt and turned into plain commands for the runner.
#pragma once

#include "parawasm/types.h"

#include <string>
#include <string_view>
#include <vector>

namespace parawasm::wasm {

enum class NanExpectation : uint8_t { None, Canonical, Arithmetic };

struct WastExpected {
  Val value;
  ValType laneType = ValType::I32; // for v128 with NaN patterns: F32 or F64 lanes
  NanExpectation nan[4] = {};      // per lane (scalar: lane 0)
  bool anyNonNullFuncRef = false;  // "(ref.func)" without an index
};

struct WastAction {
  enum class Kind { Invoke, Get } kind = Kind::Invoke;
  std::string moduleName; // empty: the most recent module
  std::string field;
  std::vector<Val> args;
};

struct WastCommand {
  enum class Kind {
    Module,
    Register,
    Action,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertException, // an exception escapes the action (a trap UncaughtException here)
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
    Unsupported,
  } kind;
  int line = 0;
  std::vector<uint8_t> moduleBytes; // Module and assert_* on modules
  std::string moduleError;          // set when a quoted/text module failed to parse or encode
  ErrorKind moduleErrorKind = ErrorKind::Malformed;
  std::string moduleName; // Module: its $name; Register: the module registered
  std::string registerAs;
  bool hasAction = false; // AssertTrap may carry a module instead of an action
  WastAction action;
  std::vector<std::vector<WastExpected>> expected; // alternatives (either); usually one
  std::string text;                                // expected failure message
};

// Parses a whole script; an Error (Malformed) only when the script itself does not parse.
Result<std::vector<WastCommand>> parseWast(std::string_view text, std::string_view fileName);

// Whether `actual` satisfies `expected` (bit-exact, or the NaN class asked for).
bool matchesExpected(const Val &actual, const WastExpected &expected);
std::string formatVal(const Val &v);
std::string formatExpected(const WastExpected &e);

} // namespace parawasm::wasm
