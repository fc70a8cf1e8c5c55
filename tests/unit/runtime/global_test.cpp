// Globals (runtime/global.cpp): a Val in and out of the cell compiled code reads.
#include "runtime/objects.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace parawasm;
using runtime::GlobalObject;

namespace {

TEST(Global, GetCarriesTheGlobalsType) {
  GlobalObject g;
  g.type = GlobalType{ValType::I64, true};
  g.set(Val::makeI64(-3));
  Val v = g.get();
  EXPECT_EQ(v.type, ValType::I64);
  EXPECT_EQ(v.of.i64, -3);
  // The cell holds the value as compiled code reads it.
  int64_t raw;
  std::memcpy(&raw, &g.cell, sizeof raw);
  EXPECT_EQ(raw, -3);
}

TEST(Global, SetStoresBitsGetTypesThemAsTheGlobal) {
  GlobalObject g;
  g.type = GlobalType{ValType::F32, true};
  g.set(Val::makeF32(1.5f));
  EXPECT_EQ(g.get().type, ValType::F32);
  EXPECT_EQ(g.get().of.f32, 1.5f);
  // set() does not convert: checking the value's type is its callers' job (the API and the
  // linker); the bits land as they are and get() reads them as the global's type.
  g.set(Val::makeI32(0x3fc00000));
  EXPECT_EQ(g.get().type, ValType::F32);
  EXPECT_EQ(g.get().of.f32, 1.5f);
}

TEST(Global, V128UsesAllSixteenBytes) {
  GlobalObject g;
  g.type = GlobalType{ValType::V128, true};
  V128 in{};
  for (int i = 0; i < 16; ++i)
    in.bytes[i] = uint8_t(0xf0 + i);
  g.set(Val::makeV128(in));
  Val out = g.get();
  EXPECT_EQ(out.type, ValType::V128);
  EXPECT_EQ(std::memcmp(out.of.v128.bytes, in.bytes, 16), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(&g.cell) % 16, 0u);
}

TEST(Global, ReferencesRoundTrip) {
  GlobalObject g;
  g.type = GlobalType{ValType::ExternRef, true};
  int host;
  g.set(Val::makeRef(ValType::ExternRef, &host));
  EXPECT_EQ(g.get().of.ref, &host);
  g.set(Val::makeRef(ValType::ExternRef, nullptr));
  EXPECT_EQ(g.get().of.ref, nullptr);
}

} // namespace
