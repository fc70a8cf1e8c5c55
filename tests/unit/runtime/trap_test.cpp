// How a trap gets back to the caller (runtime/trap.cpp): every trap code comes out of
// callGuarded as the Error the public API reports, and a host function's error survives.
#include "runtime/trap.h"
#include "vm/trap_codes.h"
#include "vm/vm_context.h"

#include <gtest/gtest.h>

using namespace parawasm;

namespace {

// An entry thunk that traps with the code passed in `io`. No object with a destructor lives in
// it: the trap leaves by siglongjmp.
void trapWith(void *, void *, void *, void *io) {
  runtime::raiseTrap(*static_cast<TrapCode *>(io), 0);
}

void returnNormally(void *, void *, void *, void *io) { *static_cast<int *>(io) = 1; }

void raiseHostError(void *, void *, void *, void *) { runtime::raisePending(); }

struct Context {
  std::atomic<uint32_t> flag{0};
  vm::VMContext ctx{};
  Context() { ctx.interrupt = &flag; }
};

TEST(Trap, EveryCodeComesBackWithItsSpecMessage) {
  Context c;
  for (uint32_t n = 0; n < vm::kNumTrapCodes; ++n) {
    auto code = static_cast<TrapCode>(n);
    EXPECT_FALSE(runtime::inGuardedCall());
    Result<void> r = runtime::callGuarded(&trapWith, nullptr, nullptr, &c.ctx, &code);
    ASSERT_FALSE(r.ok()) << trapCodeName(code);
    EXPECT_EQ(r.error().trapCode(), code);
    EXPECT_EQ(r.error().message(), trapCodeMessage(code));
    EXPECT_EQ(r.error().kind(),
              code == TrapCode::CallStackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap);
  }
}

TEST(Trap, NormalReturnIsOk) {
  Context c;
  int io = 0;
  Result<void> r = runtime::callGuarded(&returnNormally, nullptr, nullptr, &c.ctx, &io);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(io, 1);
  EXPECT_FALSE(runtime::inGuardedCall());
}

TEST(Trap, PendingHostErrorIsReturnedAsIs) {
  Context c;
  runtime::setPendingError(Error(ErrorKind::Io, "host failed"));
  Result<void> r = runtime::callGuarded(&raiseHostError, nullptr, nullptr, &c.ctx, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::Io);
  EXPECT_EQ(r.error().message(), "host failed");
  // It is consumed: a later host trap without one is the generic host trap.
  r = runtime::callGuarded(&raiseHostError, nullptr, nullptr, &c.ctx, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trapCode(), TrapCode::HostTrap);
  EXPECT_EQ(r.error().message(), "host function trapped");
}

TEST(Trap, SetInterruptFlagTrapsBeforeEntry) {
  Context c;
  c.flag = 1;
  int io = 0;
  Result<void> r = runtime::callGuarded(&returnNormally, nullptr, nullptr, &c.ctx, &io);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trapCode(), TrapCode::Interrupted);
  EXPECT_EQ(io, 0);
}

} // namespace
