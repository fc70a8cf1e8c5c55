// The trap table (vm/trap_codes.def): numbers, names and messages, and the names and messages the
// public API hands out for them.
#include "vm/trap_codes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace parawasm;

namespace {

struct Row {
  uint32_t number;
  TrapCode code;
  const char *name;
  const char *message;
};

// The table as the .def spells it, expanded here a second time so that the functions are checked
// against the source of truth rather than against themselves.
const Row kRows[] = {
#define PW_TRAP(num, id, name, msg) {num, TrapCode::id, name, msg},
#include "vm/trap_codes.def"
#undef PW_TRAP
};

TEST(TrapCodes, NumbersAreDenseFromZero) {
  ASSERT_EQ(std::size(kRows), vm::kNumTrapCodes);
  for (uint32_t i = 0; i < vm::kNumTrapCodes; ++i) {
    EXPECT_EQ(kRows[i].number, i) << kRows[i].name;
    EXPECT_EQ(static_cast<uint32_t>(kRows[i].code), i) << kRows[i].name;
  }
}

TEST(TrapCodes, NameAndMessageRoundTrip) {
  std::set<std::string> names, messages;
  for (const Row &row : kRows) {
    EXPECT_STREQ(trapCodeName(row.code), row.name);
    EXPECT_STREQ(trapCodeMessage(row.code), row.message);
    EXPECT_TRUE(names.insert(trapCodeName(row.code)).second) << "duplicate name " << row.name;
    EXPECT_TRUE(messages.insert(trapCodeMessage(row.code)).second)
        << "duplicate message " << row.message;
  }
}

// The spec test suite's wording, which assert_trap compares against: a drift here fails
// wast scripts in confusing ways.
TEST(TrapCodes, SpecMessages) {
  EXPECT_STREQ(trapCodeMessage(TrapCode::Unreachable), "unreachable");
  EXPECT_STREQ(trapCodeMessage(TrapCode::MemoryOutOfBounds), "out of bounds memory access");
  EXPECT_STREQ(trapCodeMessage(TrapCode::IntegerDivideByZero), "integer divide by zero");
  EXPECT_STREQ(trapCodeMessage(TrapCode::IntegerOverflow), "integer overflow");
  EXPECT_STREQ(trapCodeMessage(TrapCode::InvalidConversionToInteger),
               "invalid conversion to integer");
  EXPECT_STREQ(trapCodeMessage(TrapCode::IndirectCallTypeMismatch), "indirect call type mismatch");
  EXPECT_STREQ(trapCodeMessage(TrapCode::CallStackExhausted), "call stack exhausted");
  EXPECT_STREQ(trapCodeMessage(TrapCode::Interrupted), "interrupt");
  EXPECT_STREQ(trapCodeName(TrapCode::OutOfFuel), "out_of_fuel");
}

TEST(TrapCodes, OutOfRangeCodeIsUnknown) {
  auto bogus = static_cast<TrapCode>(vm::kNumTrapCodes);
  EXPECT_STREQ(trapCodeName(bogus), "unknown_trap");
  EXPECT_STREQ(trapCodeMessage(bogus), "unknown trap");
}

TEST(TrapCodes, ErrorKindOfATrap) {
  // Stack exhaustion is the spec's assert_exhaustion; every other code is assert_trap.
  for (const Row &row : kRows) {
    Error e = Error::trap(row.code, row.message);
    EXPECT_EQ(e.kind(),
              row.code == TrapCode::CallStackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap)
        << row.name;
    ASSERT_TRUE(e.trapCode().has_value());
    EXPECT_EQ(*e.trapCode(), row.code);
    EXPECT_FALSE(e.exitStatus().has_value());
  }
}

} // namespace
