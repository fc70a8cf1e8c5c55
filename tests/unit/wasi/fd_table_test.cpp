// The descriptor table: numbering, renumbering, and when host descriptors close.
#include "wasi/fd_table.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace parawasm::wasi {
namespace {

std::shared_ptr<FdEntry> entryWithHostFd(int *hostOut = nullptr) {
  auto e = std::make_shared<FdEntry>();
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  e->host.reset(fd);
  if (hostOut)
    *hostOut = fd;
  return e;
}

bool isOpen(int hostFd) { return fcntl(hostFd, F_GETFD) != -1; }

TEST(FdTable, InsertsAtLowestFreeNumber) {
  FdTable t;
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 0u);
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 1u);
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 2u);
  EXPECT_TRUE(t.remove(1));
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 1u);
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 3u);
  EXPECT_EQ(t.openCount(), 4u);
}

TEST(FdTable, InsertAtLeavesHoles) {
  FdTable t;
  t.insertAt(5, std::make_shared<FdEntry>());
  EXPECT_EQ(t.get(4), nullptr);
  EXPECT_NE(t.get(5), nullptr);
  EXPECT_EQ(t.insert(std::make_shared<FdEntry>()), 0u);
}

TEST(FdTable, GetAndRemoveUnknownNumbers) {
  FdTable t;
  EXPECT_EQ(t.get(0), nullptr);
  EXPECT_EQ(t.get(UINT32_MAX), nullptr);
  EXPECT_EQ(t.remove(7), nullptr);
  t.insert(std::make_shared<FdEntry>());
  EXPECT_NE(t.remove(0), nullptr);
  EXPECT_EQ(t.remove(0), nullptr); // closing twice is EBADF for the guest
}

TEST(FdTable, RenumberMovesAndClosesTarget) {
  FdTable t;
  int hostA, hostB;
  Fd a = t.insert(entryWithHostFd(&hostA));
  Fd b = t.insert(entryWithHostFd(&hostB));
  auto entryA = t.get(a).get();
  EXPECT_EQ(t.renumber(a, b), Errno::Success);
  EXPECT_EQ(t.get(a), nullptr);
  EXPECT_EQ(t.get(b).get(), entryA);
  EXPECT_FALSE(isOpen(hostB));
  EXPECT_TRUE(isOpen(hostA));
}

TEST(FdTable, RenumberNeedsBothOpen) {
  FdTable t;
  Fd a = t.insert(std::make_shared<FdEntry>());
  EXPECT_EQ(t.renumber(a, 9), Errno::Badf);
  EXPECT_EQ(t.renumber(9, a), Errno::Badf);
  EXPECT_EQ(t.renumber(a, a), Errno::Success);
  EXPECT_NE(t.get(a), nullptr);
}

TEST(FdTable, HostFdClosesWithLastUser) {
  FdTable t;
  int host;
  Fd a = t.insert(entryWithHostFd(&host));
  auto inFlight = t.get(a); // a call still using the descriptor
  t.remove(a);
  EXPECT_TRUE(isOpen(host));
  inFlight.reset();
  EXPECT_FALSE(isOpen(host));
}

TEST(FdEntry, RightsAreEnforcedOnlyWhenRestricted) {
  FdEntry e;
  e.rightsBase = rights::FdRead;
  EXPECT_TRUE(e.hasRights(rights::FdWrite));
  e.restricted = true;
  EXPECT_FALSE(e.hasRights(rights::FdWrite));
  EXPECT_TRUE(e.hasRights(rights::FdRead));
}

} // namespace
} // namespace parawasm::wasi
