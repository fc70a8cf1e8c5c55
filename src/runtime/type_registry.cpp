// Canonical signature ids: call_indirect compares ids, so equal signatures must share one.
#include "runtime/objects.h"

namespace parawasm::runtime {

uint32_t TypeRegistry::intern(const FuncType &type) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = ids_.try_emplace({type.params, type.results}, uint32_t(ids_.size()));
  return it->second;
}

} // namespace parawasm::runtime
