// Tables: creation and table.grow, bounded by the type, an implementation limit and the store's
// ResourceLimiter.
#include "runtime/objects.h"

namespace parawasm::runtime {
namespace {

// Implementation limit on any table's length (what -W max-table-elements defaults to).
constexpr uint32_t kMaxTableSize = 10'000'000;

} // namespace

Result<std::shared_ptr<TableObject>> TableObject::create(const TableType &type, void *init) {
  if (type.min > kMaxTableSize)
    return Error(ErrorKind::Exhaustion, "table too large");
  auto table = std::make_shared<TableObject>();
  table->type = type;
  table->storage.assign(type.min, init);
  table->vm.elements = table->storage.data();
  table->vm.size = type.min;
  table->vm.max = type.max.value_or(UINT32_MAX);
  return table;
}

int32_t TableObject::grow(uint32_t delta, void *init) {
  uint64_t old = vm.size;
  uint64_t wanted = old + delta;
  if (wanted > vm.max || wanted > kMaxTableSize)
    return -1;
  if (delta && limiter && limiter->tableGrowing(uint32_t(old), uint32_t(wanted)))
    return -1;
  storage.resize(wanted, init);
  vm.elements = storage.data();
  vm.size = uint32_t(wanted);
  return int32_t(old);
}

} // namespace parawasm::runtime
