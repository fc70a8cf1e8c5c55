// ModuleInfo's helpers and the names the public API gives types and errors (vm/module_info.cpp).
#include "vm/module_info.h"

#include <gtest/gtest.h>

using namespace parawasm;

namespace {

vm::ModuleInfo twoImportsThreeDefined() {
  vm::ModuleInfo info;
  info.types = {FuncType{{}, {}}, FuncType{{ValType::I32, ValType::F64}, {ValType::I64}}};
  info.funcTypes = {0, 1, 1, 0, 1};
  info.numImportedFuncs = 2;
  info.funcNames = {"$imported", "", "$run"};
  return info;
}

TEST(ModuleInfo, DefinedFunctionsFollowImports) {
  vm::ModuleInfo info = twoImportsThreeDefined();
  EXPECT_EQ(info.numDefinedFuncs(), 3u);
  EXPECT_EQ(info.funcType(1).params, (std::vector<ValType>{ValType::I32, ValType::F64}));
  EXPECT_TRUE(info.funcType(3).params.empty());
  EXPECT_EQ(info.funcType(4).results, std::vector<ValType>{ValType::I64});
}

TEST(ModuleInfo, DisplayNameFallsBackToIndex) {
  vm::ModuleInfo info = twoImportsThreeDefined();
  EXPECT_EQ(info.funcDisplayName(0), "$imported");
  EXPECT_EQ(info.funcDisplayName(1), "func[1]"); // an empty name
  EXPECT_EQ(info.funcDisplayName(2), "$run");
  EXPECT_EQ(info.funcDisplayName(4), "func[4]"); // past funcNames
}

TEST(ModuleInfo, FuncTypeToString) {
  EXPECT_EQ((FuncType{{}, {}}).toString(), "() -> ()");
  EXPECT_EQ((FuncType{{ValType::I32, ValType::F64}, {ValType::I64}}).toString(),
            "(i32, f64) -> (i64)");
  EXPECT_EQ((FuncType{{ValType::V128}, {ValType::FuncRef, ValType::ExternRef}}).toString(),
            "(v128) -> (funcref, externref)");
}

TEST(ModuleInfo, ValTypeNames) {
  EXPECT_STREQ(valTypeName(ValType::I32), "i32");
  EXPECT_STREQ(valTypeName(ValType::I64), "i64");
  EXPECT_STREQ(valTypeName(ValType::F32), "f32");
  EXPECT_STREQ(valTypeName(ValType::F64), "f64");
  EXPECT_STREQ(valTypeName(ValType::V128), "v128");
  EXPECT_STREQ(valTypeName(ValType::FuncRef), "funcref");
  EXPECT_STREQ(valTypeName(ValType::ExternRef), "externref");
}

TEST(ModuleInfo, ErrorKindNamesAreTheSpecAssertionKinds) {
  EXPECT_STREQ(errorKindName(ErrorKind::Malformed), "malformed");
  EXPECT_STREQ(errorKindName(ErrorKind::Invalid), "invalid");
  EXPECT_STREQ(errorKindName(ErrorKind::Unlinkable), "unlinkable");
  EXPECT_STREQ(errorKindName(ErrorKind::Uninstantiable), "uninstantiable");
  EXPECT_STREQ(errorKindName(ErrorKind::Trap), "trap");
  EXPECT_STREQ(errorKindName(ErrorKind::Exhaustion), "exhaustion");
  EXPECT_STREQ(errorKindName(ErrorKind::Io), "i/o");
}

} // namespace
