#include "parallel/thread_pool.h"
#include "runtime/guest_thread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <pthread.h>
#include <set>
#include <thread>
#include <vector>

namespace parawasm::parallel {
namespace {

// Slot 0 waits until every worker has joined, so all of them must.
template <class F> void runWithAll(ThreadPool &pool, F &&body) {
  std::atomic<unsigned> joined{0};
  pool.run([&](unsigned slot) {
    joined.fetch_add(1);
    if (slot == 0) {
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (joined.load() < pool.size() && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
    }
    body(slot);
  });
}

TEST(SpinBudget, FollowsTheWaitsItSeesWithinTheCap) {
  SpinBudget b;
  const uint32_t cap = maxSpinMicros();
  b.update(cap / 4);
  EXPECT_EQ(b.micros, std::max<uint32_t>(SpinBudget::kInitialMicros, std::min(cap, cap / 2)));
  b.update(uint64_t(cap) * 10); // far longer than polling could ever cover: poll less
  EXPECT_LT(b.micros, std::max<uint32_t>(SpinBudget::kInitialMicros, cap / 2) + 1);
  for (int i = 0; i < 40; ++i)
    b.update(uint64_t(cap) * 10);
  EXPECT_EQ(b.micros, std::min(SpinBudget::kFloorMicros, cap));
  b.update(1000000000); // never above the cap
  b.update(cap);
  EXPECT_LE(b.micros, cap);
}

TEST(ThreadPool, EverySlotTakesEachRunAtMostOnce) {
  auto pool = ThreadPool::create(4);
  ASSERT_TRUE(pool.ok());
  ASSERT_EQ((*pool)->size(), 4u);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::atomic<int>> hits(4);
    (*pool)->run([&](unsigned slot) { hits[slot].fetch_add(1); });
    ASSERT_EQ(hits[0].load(), 1) << "round " << round;
    for (auto &h : hits)
      ASSERT_LE(h.load(), 1) << "round " << round;
  }
  for (int round = 0; round < 50; ++round) {
    std::vector<std::atomic<int>> hits(4);
    runWithAll(**pool, [&](unsigned slot) { hits[slot].fetch_add(1); });
    for (auto &h : hits)
      ASSERT_EQ(h.load(), 1) << "round " << round;
  }
}

TEST(ThreadPool, ACounterSharedBySlotsIsDrainedExactlyOnce) {
  auto pool = ThreadPool::create(3);
  ASSERT_TRUE(pool.ok());
  for (int round = 0; round < 500; ++round) {
    std::vector<std::atomic<int>> done(1000);
    std::atomic<int> next{0};
    (*pool)->run([&](unsigned) {
      for (int i; (i = next.fetch_add(7)) < 1000;)
        for (int k = i; k < std::min(i + 7, 1000); ++k)
          done[k].fetch_add(1);
    });
    for (auto &d : done)
      ASSERT_EQ(d.load(), 1);
  }
}

TEST(ThreadPool, SlotZeroIsTheCallingThread) {
  auto pool = ThreadPool::create(3);
  ASSERT_TRUE(pool.ok());
  std::thread::id slot0;
  std::set<std::thread::id> others;
  std::mutex m;
  runWithAll(**pool, [&](unsigned slot) {
    std::lock_guard lock(m);
    if (slot == 0)
      slot0 = std::this_thread::get_id();
    else
      others.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(slot0, std::this_thread::get_id());
  EXPECT_EQ(others.size(), 2u);
  EXPECT_EQ(others.count(std::this_thread::get_id()), 0u);
}

TEST(ThreadPool, WorkersHaveLargeStacks) {
  auto pool = ThreadPool::create(2);
  ASSERT_TRUE(pool.ok());
  size_t stack = 0;
  runWithAll(**pool, [&](unsigned slot) {
    if (slot != 1)
      return;
    pthread_attr_t attr;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstacksize(&attr, &stack);
    pthread_attr_destroy(&attr);
  });
  EXPECT_GE(stack, runtime::kGuestStackSize);
}

TEST(ThreadPool, OneThreadRunsInline) {
  auto pool = ThreadPool::create(1);
  ASSERT_TRUE(pool.ok());
  int calls = 0;
  (*pool)->run([&](unsigned slot) {
    EXPECT_EQ(slot, 0u);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
}

TEST(ThreadPool, DestroyingJoinsEveryWorker) {
  unsigned before = ThreadPool::liveWorkers();
  for (int i = 0; i < 20; ++i) {
    auto pool = ThreadPool::create(5);
    ASSERT_TRUE(pool.ok());
    (*pool)->run([](unsigned) {});
  }
  EXPECT_EQ(ThreadPool::liveWorkers(), before);
}

TEST(ThreadPool, SharedPoolsAreReusedWhileHeld) {
  auto a = ThreadPool::shared(3);
  auto b = ThreadPool::shared(3);
  auto c = ThreadPool::shared(2);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_NE(a->get(), c->get());
}

TEST(ThreadPool, RunsFromSeveralThreadsAreSerialised) {
  auto pool = ThreadPool::create(3);
  ASSERT_TRUE(pool.ok());
  std::atomic<int> inside{0}, overlap{0}, callers{0};
  auto hammer = [&] {
    for (int i = 0; i < 300; ++i)
      (*pool)->run([&](unsigned slot) {
        if (inside.fetch_add(1) >= 3)
          overlap.fetch_add(1);
        callers.fetch_add(slot == 0);
        inside.fetch_sub(1);
      });
  };
  std::thread t1(hammer), t2(hammer);
  t1.join();
  t2.join();
  EXPECT_EQ(overlap.load(), 0);
  EXPECT_EQ(callers.load(), 2 * 300);
}

// A team's members all run at once: 16 of them pass a barrier twice on however many cores.
TEST(TeamPool, EveryMemberRunsAtOnce) {
  TeamPool pool;
  for (unsigned members : {1u, 2u, 5u, 16u, 3u}) {
    std::atomic<unsigned> arrived[2] = {0, 0};
    std::vector<std::atomic<int>> ran(members);
    auto r = pool.run(members, [&](unsigned m) {
      ran[m].fetch_add(1);
      for (auto &a : arrived) {
        a.fetch_add(1);
        while (a.load() < members)
          std::this_thread::yield();
      }
    });
    ASSERT_TRUE(r.ok()) << r.error().message();
    for (auto &n : ran)
      EXPECT_EQ(n.load(), 1);
    EXPECT_EQ(arrived[1].load(), members);
  }
  EXPECT_EQ(pool.threads(), 16u); // made as teams grew, kept
}

TEST(TeamPool, MemberZeroIsTheCaller) {
  TeamPool pool;
  pthread_t self = pthread_self(), zero{};
  std::atomic<int> others{0};
  ASSERT_TRUE(pool.run(4,
                       [&](unsigned m) {
                         if (m == 0)
                           zero = pthread_self();
                         else if (!pthread_equal(pthread_self(), self))
                           others.fetch_add(1);
                       })
                  .ok());
  EXPECT_TRUE(pthread_equal(zero, self));
  EXPECT_EQ(others.load(), 3);
}

TEST(TeamPool, NestedTeamsDoNotWaitForThemselves) {
  TeamPool pool;
  std::atomic<int> inner{0};
  auto r = pool.run(3, [&](unsigned) {
    auto nested = pool.run(2, [&](unsigned) { inner.fetch_add(1); });
    EXPECT_TRUE(nested.ok());
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(inner.load(), 6);
}

TEST(TeamPool, TooLargeATeamIsAnError) {
  TeamPool pool;
  int ran = 0;
  auto r = pool.run(TeamPool::kMaxMembers + 1, [&](unsigned) { ++ran; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::Exhaustion);
  EXPECT_NE(r.error().message().find("at most 256"), std::string::npos);
  EXPECT_EQ(ran, 0);
}

TEST(TeamPool, ManyRunsInARow) {
  TeamPool pool;
  std::atomic<long> sum{0};
  for (int round = 0; round < 3000; ++round)
    ASSERT_TRUE(pool.run(2, [&](unsigned m) { sum.fetch_add(m + 1); }).ok());
  EXPECT_EQ(sum.load(), 3000 * 3);
}

} // namespace
} // namespace parawasm::parallel
