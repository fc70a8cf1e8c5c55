#include "option_groups.h"

namespace parawasm::cli {

namespace {

std::string knownKeys(std::span<const GroupKey> keys) {
  std::string out;
  for (const GroupKey &k : keys)
    out += (out.empty() ? "" : ", ") + std::string(k.name) + (k.value ? "=" : "");
  return out.empty() ? "none yet" : out;
}

} // namespace

std::string parseOptionGroup(const char *group, const std::string &text,
                             std::span<const GroupKey> keys) {
  if (text.empty())
    return std::string(group) + " needs KEY[=VALUE] (known keys: " + knownKeys(keys) + ")";
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    std::string name = item.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    const GroupKey *key = nullptr;
    for (const GroupKey &k : keys)
      if (name == k.name)
        key = &k;
    if (!key)
      return "unknown " + std::string(group) + " key '" + name +
             "' (known keys: " + knownKeys(keys) + ")";
    bool on = true;
    if (key->value) {
      if (eq == std::string::npos || value.empty())
        return std::string(group) + " " + name + " needs a value: " + name + "=" + key->value;
    } else if (eq != std::string::npos) {
      if (value == "y" || value == "yes" || value == "true")
        on = true;
      else if (value == "n" || value == "no" || value == "false")
        on = false;
      else
        return std::string(group) + " " + name + " is a flag: " + name + ", " + name + "=y or " +
               name + "=n, not '" + value + "'";
      value.clear();
    }
    if (std::string error = key->apply(value, on); !error.empty())
      return std::string(group) + " " + name + ": " + error;
  }
  return "";
}

std::string optionGroupHelp(const char *group, std::span<const GroupKey> keys) {
  std::string out;
  for (const GroupKey &k : keys) {
    std::string left = "  " + std::string(group) + " " + k.name;
    if (k.value)
      left += "=" + std::string(k.value);
    left.resize(std::max<size_t>(left.size() + 1, 25), ' ');
    out += left + k.help + "\n";
  }
  return out;
}

} // namespace parawasm::cli
