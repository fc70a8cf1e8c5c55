// Helpers shared by the wabt-facing code (src/wasm and src/compile only).
#pragma once

#include "parawasm/types.h"

#include <wabt/cast.h>
#include <wabt/common.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/type.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wabt {
struct Module;
}

namespace parawasm::wasm {

// The proposals parawasm implements: Wasm 2.0, threads, tail calls, extended constant
// expressions, relaxed SIMD; exceptions and typed function references as far as loader.cpp says.
wabt::Features engineFeatures();
std::string formatErrors(const wabt::Errors &errors, bool binary);
ValType toValType(wabt::Type t);
Result<std::vector<uint8_t>> moduleToBinary(const wabt::Module &module);
// Validates a module parsed from text (Invalid with wabt's message), then encodes it. The only
// safe way to encode text modules: wabt's writer asserts on some invalid ones.
Result<std::vector<uint8_t>> validateAndEncode(const wabt::Module &module);

} // namespace parawasm::wasm
