// Issue 14: exception tags through the C++ API, and what a host frame does with a Wasm exception
// (it never crosses one: the host sees a trap, UncaughtException).
#include "parawasm/parawasm.h"
#include "uncached_engine.h"

#include <gtest/gtest.h>

namespace parawasm {
namespace {

Engine &engine() { return test::uncachedEngine(); }

const char *kThrower = R"((module
  (import "host" "e" (tag $e (param i32)))
  (tag $own (export "own") (param i64))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
))";

const char *kCatcher = R"((module
  (import "host" "e" (tag $e (param i32)))
  (import "thrower" "throw" (func $throw (param i32)))
  (import "host" "call_thrower" (func $viaHost (param i32) (result i32)))
  (func (export "direct") (param i32) (result i32)
    (try (result i32) (do (call $throw (local.get 0)) (i32.const 0)) (catch $e)))
  (func (export "via_host") (param i32) (result i32)
    (try (result i32) (do (call $viaHost (local.get 0))) (catch_all (i32.const -1))))
))";

TEST(ApiExceptions, TagsFromTheHostAndExports) {
  Linker linker(engine());
  Tag tag = Tag::create(FuncType{{ValType::I32}, {}});
  linker.define("host", "e", tag);
  auto thrower = Module::fromText(engine(), kThrower, "thrower.wat");
  ASSERT_TRUE(thrower.ok()) << thrower.error().message();
  auto imports = thrower->imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].kind, ExternKind::Tag);
  EXPECT_EQ(imports[0].func.params, std::vector<ValType>{ValType::I32});
  auto exports = thrower->exports();
  ASSERT_EQ(exports[0].kind, ExternKind::Tag);
  EXPECT_EQ(exports[0].func.params, std::vector<ValType>{ValType::I64});
  auto inst = linker.instantiate(*thrower);
  ASSERT_TRUE(inst.ok()) << inst.error().message();
  auto own = inst->getExport("own");
  ASSERT_TRUE(own && std::holds_alternative<Tag>(*own));
  EXPECT_EQ(std::get<Tag>(*own).type().params, std::vector<ValType>{ValType::I64});
  // A tag of the same type is another tag: an import must be of the same type, any tag.
  Linker other(engine());
  other.define("host", "e", Tag::create(FuncType{{ValType::I64}, {}}));
  auto mismatched = other.instantiate(*thrower);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().kind(), ErrorKind::Unlinkable);
}

TEST(ApiExceptions, AnExceptionStopsAtTheHostFrame) {
  Linker linker(engine());
  linker.define("host", "e", Tag::create(FuncType{{ValType::I32}, {}}));
  auto thrower = Module::fromText(engine(), kThrower, "thrower.wat");
  ASSERT_TRUE(thrower.ok());
  auto throwerInst = linker.instantiate(*thrower);
  ASSERT_TRUE(throwerInst.ok());
  linker.defineInstance("thrower", *throwerInst);
  Func throwFn = *throwerInst->getFunc("throw");

  // From the host, an uncaught exception is a trap.
  auto direct = throwFn.call(std::vector<Val>{Val::makeI32(1)});
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().kind(), ErrorKind::Trap);
  EXPECT_EQ(direct.error().trapCode(), TrapCode::UncaughtException);

  // A host function between the thrower and a catch_all: the host function gets the trap, and
  // what it returns decides; here it reports it, so the Wasm caller traps and cannot catch it.
  bool propagate = true;
  linker.defineFunction(
      "host", "call_thrower", FuncType{{ValType::I32}, {ValType::I32}},
      [&](Caller &, std::span<const Val> args, std::span<Val> results) -> HostStatus {
        auto r = throwFn.call(std::vector<Val>{args[0]});
        EXPECT_FALSE(r.ok());
        if (!r.ok() && propagate)
          return HostStatus::trap(*r.error().trapCode(), r.error().message());
        results[0] = Val::makeI32(7);
        return HostStatus::ok();
      });
  auto catcher = Module::fromText(engine(), kCatcher, "catcher.wat");
  ASSERT_TRUE(catcher.ok()) << catcher.error().message();
  auto inst = linker.instantiate(*catcher);
  ASSERT_TRUE(inst.ok()) << inst.error().message();
  auto caught = inst->getFunc("direct")->call(std::vector<Val>{Val::makeI32(42)});
  ASSERT_TRUE(caught.ok()) << caught.error().message();
  EXPECT_EQ((*caught)[0].of.i32, 42);
  auto viaHost = inst->getFunc("via_host")->call(std::vector<Val>{Val::makeI32(1)});
  ASSERT_FALSE(viaHost.ok());
  EXPECT_EQ(viaHost.error().trapCode(), TrapCode::UncaughtException);
  // A host function that handles the failure itself returns normally, and so does its caller.
  propagate = false;
  auto handled = inst->getFunc("via_host")->call(std::vector<Val>{Val::makeI32(1)});
  ASSERT_TRUE(handled.ok()) << handled.error().message();
  EXPECT_EQ((*handled)[0].of.i32, 7);
}

} // namespace
} // namespace parawasm
