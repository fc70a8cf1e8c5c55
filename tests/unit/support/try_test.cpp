// PW_TRY and PW_TRY_ASSIGN over each error currency: an enum with `Success` (like wasi::Errno),
// a Status with isOk() (like parallel::Status) and Result<T>; the operand is evaluated once.
#include "support/try.h"

#include <parawasm/types.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace parawasm;

namespace {

enum class [[nodiscard]] Code{Success = 0, Bad = 1, Worse = 2};

struct [[nodiscard]] Status {
  Code code = Code::Success;
  std::string message;
  bool isOk() const { return code == Code::Success; }
};

int evaluations = 0;

Code code(Code c) {
  ++evaluations;
  return c;
}
Code twoCodes(Code first, Code second, int &reached) {
  PW_TRY(code(first));
  reached = 1;
  PW_TRY(code(second));
  reached = 2;
  return Code::Success;
}

Status status(Code c) {
  ++evaluations;
  return {c, c == Code::Success ? "" : "failed"};
}
Status twoStatuses(Code first, Code second, int &reached) {
  PW_TRY(status(first));
  reached = 1;
  PW_TRY(status(second));
  reached = 2;
  return {};
}

Result<int> number(bool ok) {
  ++evaluations;
  if (!ok)
    return Error(ErrorKind::Invalid, "not a number");
  return 7;
}
Result<void> nothing(bool ok) {
  ++evaluations;
  if (!ok)
    return Error(ErrorKind::Io, "no");
  return {};
}
// Errors of any Result pass into a Result of another type.
Result<std::string> describe(bool voidOk, bool numberOk) {
  PW_TRY(nothing(voidOk));
  PW_TRY(number(numberOk));
  PW_TRY_ASSIGN(int n, number(numberOk));
  return std::to_string(n);
}
Result<std::unique_ptr<int>> boxed(bool ok) {
  if (!ok)
    return Error(ErrorKind::Internal, "no box");
  return std::make_unique<int>(3);
}
Result<int> unbox(bool ok) {
  std::unique_ptr<int> p;
  PW_TRY_ASSIGN(p, boxed(ok)); // into an existing variable, move-only value
  return *p + 1;
}

TEST(Try, EnumReturnsTheFirstFailureAndEvaluatesOnce) {
  int reached = 0;
  evaluations = 0;
  EXPECT_EQ(twoCodes(Code::Success, Code::Success, reached), Code::Success);
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(evaluations, 2);
  reached = 0;
  evaluations = 0;
  EXPECT_EQ(twoCodes(Code::Bad, Code::Worse, reached), Code::Bad);
  EXPECT_EQ(reached, 0);
  EXPECT_EQ(evaluations, 1);
  EXPECT_EQ(twoCodes(Code::Success, Code::Worse, reached), Code::Worse);
  EXPECT_EQ(reached, 1);
}

TEST(Try, StatusIsReturnedWithItsMessage) {
  int reached = 0;
  evaluations = 0;
  EXPECT_TRUE(twoStatuses(Code::Success, Code::Success, reached).isOk());
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(evaluations, 2);
  reached = 0;
  Status s = twoStatuses(Code::Success, Code::Worse, reached);
  EXPECT_EQ(s.code, Code::Worse);
  EXPECT_EQ(s.message, "failed");
  EXPECT_EQ(reached, 1);
}

TEST(Try, ResultErrorsPropagateAcrossValueTypes) {
  evaluations = 0;
  Result<std::string> r = describe(true, true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "7");
  EXPECT_EQ(evaluations, 3);

  evaluations = 0;
  r = describe(false, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::Io);
  EXPECT_EQ(evaluations, 1);

  r = describe(true, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::Invalid);
  EXPECT_EQ(r.error().message(), "not a number");
}

TEST(Try, AssignMovesTheValueOrReturnsTheError) {
  Result<int> r = unbox(true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
  r = unbox(false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "no box");
}

} // namespace
