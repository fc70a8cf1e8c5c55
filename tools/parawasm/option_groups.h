// Wasmtime's option groups: `-S KEY[=VALUE][,KEY[=VALUE]...]` (WASI, also `--wasi`) and `-W ...`
// (WebAssembly features and limits, also `--wasm`). Each group is a table of keys; adding a key
// is adding one row where the group's table is built (run.cpp).
#pragma once

#include <functional>
#include <span>
#include <string>

namespace parawasm::cli {

struct GroupKey {
  const char *name;
  // The value's placeholder in --help ("ADDR:PORT"); null for a flag, which is written KEY (on),
  // KEY=y or KEY=n.
  const char *value;
  const char *help;
  // Applies the key: `value` is its text (empty for a flag), `on` whether a flag is on. Returns
  // an error message, or "" when the key is accepted.
  std::function<std::string(const std::string &value, bool on)> apply;
};

// Parses the text of one `-S`/`-W` argument against `keys`; returns an error message or "".
std::string parseOptionGroup(const char *group, const std::string &text,
                             std::span<const GroupKey> keys);
// The --help lines of a group: one per key.
std::string optionGroupHelp(const char *group, std::span<const GroupKey> keys);

} // namespace parawasm::cli
