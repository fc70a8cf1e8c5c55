// Result never throws: reading the wrong alternative reports the misuse and aborts.
#include <parawasm/types.h>

#include <gtest/gtest.h>

#include <string>

using namespace parawasm;

namespace {

Result<int> failing() { return Error(ErrorKind::Invalid, "type mismatch"); }

TEST(ResultDeathTest, ValueOfAnErrorAbortsWithItsMessage) {
  EXPECT_DEATH(
      {
        Result<int> r = failing();
        (void)r.value();
      },
      "parawasm: Result::value\\(\\) on an error: type mismatch");
  EXPECT_DEATH(
      {
        const Result<std::string> r = Error(ErrorKind::Io, "no file");
        (void)r->size();
      },
      "Result::value\\(\\) on an error: no file");
}

TEST(ResultDeathTest, ErrorOfAValueAborts) {
  EXPECT_DEATH(
      {
        Result<int> r = 1;
        (void)r.error();
      },
      "parawasm: Result::error\\(\\) on a value, not an error");
  EXPECT_DEATH(
      {
        Result<void> r;
        (void)r.takeError();
      },
      "parawasm: Result::takeError\\(\\) on a value, not an error");
}

TEST(Result, MatchingAccessorsReadTheirAlternative) {
  Result<int> v = 5;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), 5);
  EXPECT_EQ(*v, 5);
  Result<int> e = failing();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind(), ErrorKind::Invalid);
  Error taken = e.takeError();
  EXPECT_EQ(taken.message(), "type mismatch");
}

} // namespace
