// Sibling instances (runtime::instantiateSibling / syncSibling): the same module over the same
// memory and imports, with functions, globals and tables of their own — what table-index
// wasi-parallel workers run in.
#include "parawasm/parawasm.h"
#include "runtime/objects.h"

#include <gtest/gtest.h>

using namespace parawasm;

namespace {

const char *kModule = R"((module
  (memory (export "memory") 1)
  (data (i32.const 0) "\01\00\00\00")
  (global $g (mut i32) (i32.const 5))
  (global $f (mut funcref) (ref.func $get))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $get $bump)
  (elem declare func $get)
  (func $get (export "get") (result i32) (global.get $g))
  (func $bump (export "bump") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (global.get $g))
  (func (export "viaTable") (param i32) (result i32)
    (call_indirect (result i32) (local.get 0)))
  (func $init (drop (call $bump)))
  (start $init))
)";

Engine &engine() {
  static Engine e(EngineConfig{OptLevel::Fast, false, "", 0});
  return e;
}

int32_t callExport(runtime::InstanceObject &inst, const char *name, std::vector<Val> args = {}) {
  for (const vm::ExportInfo &e : inst.module->info.exports)
    if (e.name == name) {
      auto r = runtime::call(*inst.funcs[e.index], args);
      EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
      return r.ok() ? (*r)[0].of.i32 : -1;
    }
  ADD_FAILURE() << "no export " << name;
  return -1;
}

} // namespace

TEST(Sibling, SharesMemoryAndCopiesGlobalsAndTables) {
  auto m = Module::fromText(engine(), kModule, "sibling.wat");
  ASSERT_TRUE(m.ok()) << m.error().message();
  Linker linker(engine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok()) << inst.error().message();
  runtime::InstanceObject &caller = *inst->object();
  // The start function ran once: $g = 6, memory[0] = 2.
  EXPECT_EQ(callExport(caller, "get"), 6);

  auto sib = runtime::instantiateSibling(caller);
  ASSERT_TRUE(sib.ok()) << sib.error().message();
  runtime::InstanceObject &s = **sib;
  // No start function, no data segment again: memory[0] is still 2, the global a copy of 6.
  EXPECT_EQ(*reinterpret_cast<int32_t *>(caller.memories[0]->vm.base), 2);
  EXPECT_EQ(callExport(s, "get"), 6);
  EXPECT_EQ(s.memories[0], caller.memories[0]);
  EXPECT_NE(s.funcs[0].get(), caller.funcs[0].get());

  // The sibling's global is its own; the memory is shared.
  EXPECT_EQ(callExport(s, "bump"), 7);
  EXPECT_EQ(callExport(caller, "get"), 6);
  EXPECT_EQ(*reinterpret_cast<int32_t *>(caller.memories[0]->vm.base), 3);

  // Its table refers to its own functions: calling $get through it reads the sibling's global.
  EXPECT_EQ(callExport(s, "viaTable", {Val::makeI32(0)}), 7);
  EXPECT_EQ(callExport(caller, "viaTable", {Val::makeI32(0)}), 6);
  auto *entry = static_cast<vm::VMFuncRef *>(s.tables[0]->vm.elements[0]);
  EXPECT_EQ(static_cast<runtime::FuncObject *>(entry->owner)->instance, &s);
  // The funcref global too.
  auto *ref = static_cast<vm::VMFuncRef *>(s.globals[1]->cell.ref);
  EXPECT_EQ(static_cast<runtime::FuncObject *>(ref->owner)->instance, &s);

  // syncSibling makes it the caller's state again.
  EXPECT_EQ(callExport(caller, "bump"), 7);
  EXPECT_EQ(callExport(caller, "bump"), 8);
  runtime::syncSibling(s, caller);
  EXPECT_EQ(callExport(s, "get"), 8);
  EXPECT_EQ(callExport(s, "viaTable", {Val::makeI32(1)}), 9); // $bump of the sibling
  EXPECT_EQ(callExport(caller, "get"), 8);
}
