// Issue 15: the C++ API's table, global, funcref, export-type and positional-import calls that
// the C API (src/capi) is built on.
#include "parawasm/parawasm.h"
#include "uncached_engine.h"

#include <gtest/gtest.h>

namespace parawasm {
namespace {

Engine &engine() { return test::uncachedEngine(); }

const char *kObjects = R"((module
  (import "env" "g" (global $g i32))
  (table (export "t") 1 3 funcref)
  (global (export "counter") (mut i64) (i64.const 1))
  (global (export "fixed") i32 (i32.const 7))
  (memory (export "m") 1 2)
  (type $u (func (param i32) (result i32)))
  (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (global.get $g)))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect (type $u) (local.get 1) (local.get 0)))
))";

struct Fixture {
  Module module;
  Instance instance;
};

Fixture instantiate(Linker &linker, int32_t g) {
  auto m = Module::fromText(engine(), kObjects, "objects.wat");
  EXPECT_TRUE(m.ok());
  std::vector<Extern> imports{Global::create({ValType::I32, false}, Val::makeI32(g))};
  auto i = linker.instantiate(*m, imports);
  EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().message());
  return {std::move(*m), std::move(*i)};
}

TEST(ApiObjects, ExportTypesOfEveryKind) {
  auto m = Module::fromText(engine(), kObjects, "objects.wat");
  ASSERT_TRUE(m.ok());
  auto exports = m->exports();
  ASSERT_EQ(exports.size(), 6u);
  EXPECT_EQ(exports[0].kind, ExternKind::Table);
  EXPECT_EQ(exports[0].table.min, 1u);
  EXPECT_EQ(exports[0].table.max, 3u);
  EXPECT_EQ(exports[1].global.type, ValType::I64);
  EXPECT_TRUE(exports[1].global.mutable_);
  EXPECT_FALSE(exports[2].global.mutable_);
  EXPECT_EQ(exports[3].memory.maxPages, 2u);
  EXPECT_EQ(exports[4].func.params.size(), 1u);
  EXPECT_FALSE(m->binary().empty());
}

TEST(ApiObjects, PositionalImports) {
  Linker linker(engine());
  auto f = instantiate(linker, 10);
  EXPECT_EQ((*f.instance.getFunc("inc")->call(std::vector<Val>{Val::makeI32(1)}))[0].of.i32, 11);
  auto again = linker.instantiate(f.module, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::Unlinkable);
  std::vector<Extern> wrong{Global::create({ValType::I64, false}, Val::makeI64(1))};
  auto mismatched = linker.instantiate(f.module, wrong);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().message().find("global type mismatch"), std::string::npos);
}

TEST(ApiObjects, TableGetSetGrow) {
  Linker linker(engine());
  auto f = instantiate(linker, 1);
  Table table = std::get<Table>(*f.instance.getExport("t"));
  Func inc = *f.instance.getFunc("inc");
  Func call = *f.instance.getFunc("call");
  ASSERT_TRUE(table.get(0).has_value());
  EXPECT_EQ(table.get(0)->of.ref, nullptr);
  EXPECT_FALSE(table.get(1).has_value());
  EXPECT_TRUE(table.set(0, inc.toRef()));
  EXPECT_FALSE(table.set(1, inc.toRef()));
  EXPECT_FALSE(table.set(0, Val::makeI32(0)));
  EXPECT_EQ((*call.call(std::vector<Val>{Val::makeI32(0), Val::makeI32(4)}))[0].of.i32, 5);
  auto back = Func::fromRef(*table.get(0));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->object(), inc.object());
  EXPECT_EQ(table.grow(2, inc.toRef()), 1u);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.grow(1, inc.toRef()).has_value()); // maximum 3
  EXPECT_FALSE(Func::fromRef(Val::makeRef(ValType::FuncRef, nullptr)).has_value());
}

TEST(ApiObjects, HostFunctionInTableOnlyOnceImported) {
  Func host = makeHostFunc(engine(), {{ValType::I32}, {ValType::I32}},
                           [](Caller &, std::span<const Val> args, std::span<Val> results) {
                             results[0] = Val::makeI32(args[0].of.i32 * 3);
                             return HostStatus::ok();
                           });
  auto t = Table::create({ValType::FuncRef, 1, std::nullopt}, Val::makeRef(ValType::FuncRef, 0));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->set(0, host.toRef())); // compiled code could not call it yet
  auto m = Module::fromText(
      engine(), R"((module (import "h" "f" (func (param i32) (result i32)))))", "h.wat");
  ASSERT_TRUE(m.ok());
  Linker linker(engine());
  ASSERT_TRUE(linker.instantiate(*m, std::vector<Extern>{host}).ok());
  EXPECT_TRUE(t->set(0, host.toRef()));
  EXPECT_EQ(Func::fromRef(*t->get(0))->object(), host.object());
}

TEST(ApiObjects, GlobalSet) {
  Linker linker(engine());
  auto f = instantiate(linker, 1);
  Global counter = std::get<Global>(*f.instance.getExport("counter"));
  Global fixed = std::get<Global>(*f.instance.getExport("fixed"));
  EXPECT_TRUE(counter.set(Val::makeI64(42)).ok());
  EXPECT_EQ(counter.get().of.i64, 42);
  auto wrongType = counter.set(Val::makeI32(1));
  ASSERT_FALSE(wrongType.ok());
  EXPECT_EQ(wrongType.error().kind(), ErrorKind::Usage);
  EXPECT_FALSE(fixed.set(Val::makeI32(1)).ok());
  EXPECT_EQ(fixed.get().of.i32, 7);
}

// Issue 12 (LSan): an instance whose element segment writes its functions into a table it
// imported used to be kept alive by that table while holding it: a cycle, never freed. Now its
// store keeps it (spec semantics while the linker lives), the linker's end frees it, and the
// table it wrote into is left with null entries, not pointers into freed code.
const char *kTableOwner = R"((module
  (type $u (func (result i32)))
  (table (export "t") 2 funcref)
  (func (export "call") (param i32) (result i32) (call_indirect (type $u) (local.get 0)))
))";
const char *kTableWriter = R"((module
  (import "owner" "t" (table 2 funcref))
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 1) $seven)
))";

TEST(ApiObjects, InstanceWritingIntoImportedTableLivesAsLongAsItsLinker) {
  auto owner = Module::fromText(engine(), kTableOwner, "owner.wat");
  auto writer = Module::fromText(engine(), kTableWriter, "writer.wat");
  ASSERT_TRUE(owner.ok() && writer.ok());
  std::optional<Instance> ownerInstance;
  std::weak_ptr<runtime::InstanceObject> writerObject;
  {
    Linker linker(engine());
    auto o = linker.instantiate(*owner);
    ASSERT_TRUE(o.ok());
    ownerInstance = *o;
    linker.defineInstance("owner", *o);
    {
      auto w = linker.instantiate(*writer);
      ASSERT_TRUE(w.ok()) << w.error().message();
      writerObject = w->object();
    }
    // The writer's handle is gone; its function still runs through the owner's table.
    ASSERT_FALSE(writerObject.expired());
    auto r = ownerInstance->getFunc("call")->call(std::vector<Val>{Val::makeI32(1)});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)[0].of.i32, 7);
  }
  // The linker is gone: so is the writer, and the owner's table no longer refers to it.
  EXPECT_TRUE(writerObject.expired());
  Table table = std::get<Table>(*ownerInstance->getExport("t"));
  EXPECT_EQ(table.get(1)->of.ref, nullptr);
  auto r = ownerInstance->getFunc("call")->call(std::vector<Val>{Val::makeI32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trapCode(), TrapCode::UninitializedElement);
}

// Issue 12 (found by fuzz.diff under the clang ASan build): a default value is zero in all of its
// bytes, whichever member is read.
TEST(ApiObjects, ZeroValuesAreZeroInEveryByte) {
  for (ValType t : {ValType::I32, ValType::I64, ValType::F64, ValType::V128, ValType::FuncRef}) {
    Val v = Val::zero(t);
    EXPECT_EQ(v.of.i64, 0);
    EXPECT_EQ(v.of.v128, V128{});
    EXPECT_EQ(v.of.ref, nullptr);
    Global g = Global::create({t, false}, v);
    EXPECT_EQ(g.get().of.v128, V128{});
  }
}

} // namespace
} // namespace parawasm
