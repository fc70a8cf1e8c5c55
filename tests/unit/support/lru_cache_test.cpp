// support::LruCache, the one eviction policy of every kernel cache (kernel modules, CPU kernel
// sets, GPU loaded kernels, PTX).
#include "support/lru_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

using parawasm::support::LruCache;

namespace {

TEST(LruCacheTest, EvictsTheLeastRecentlyUsedAtCapacity) {
  LruCache<std::string, int> cache(2);
  cache.insert("a", 1);
  cache.insert("b", 2);
  ASSERT_NE(cache.find(std::string("a")), nullptr); // a is now more recent than b
  cache.insert("c", 3);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.evictions(), 1u);
  EXPECT_EQ(cache.find(std::string("b")), nullptr);
  ASSERT_NE(cache.find(std::string("a")), nullptr);
  EXPECT_EQ(*cache.find(std::string("c")), 3);
  cache.insert("d", 4); // a was found before c: a is the least recent now
  EXPECT_EQ(cache.find(std::string("a")), nullptr);
  EXPECT_NE(cache.find(std::string("c")), nullptr);
}

TEST(LruCacheTest, InsertReplacesAnEqualKeyAndIsNeverItsOwnVictim) {
  LruCache<int, std::unique_ptr<int>> cache(1);
  int *first = cache.insert(1, std::make_unique<int>(10)).get();
  EXPECT_EQ(*first, 10);
  cache.insert(1, std::make_unique<int>(11));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.evictions(), 0u); // a replacement is not an eviction
  EXPECT_EQ(**cache.find(1), 11);
  cache.insert(2, std::make_unique<int>(20));
  EXPECT_EQ(cache.find(1), nullptr);
  EXPECT_EQ(**cache.find(2), 20);
  EXPECT_EQ(cache.mostRecent()->first, 2);
}

TEST(LruCacheTest, ZeroCapacityKeepsOne) {
  LruCache<int, int> cache(0);
  EXPECT_EQ(cache.capacity(), 1u);
  cache.insert(1, 1);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LruCacheTest, MostRecentFollowsFindAndInsert) {
  LruCache<int, int> cache(4);
  EXPECT_EQ(cache.mostRecent(), nullptr);
  cache.insert(1, 10);
  cache.insert(2, 20);
  EXPECT_EQ(cache.mostRecent()->first, 2);
  (void)cache.find(1);
  EXPECT_EQ(cache.mostRecent()->second, 10);
}

TEST(LruCacheTest, EraseAndEraseIf) {
  LruCache<int, int> cache(8);
  for (int i = 0; i < 6; ++i)
    cache.insert(i, i * i);
  EXPECT_TRUE(cache.erase(3));
  EXPECT_FALSE(cache.erase(3));
  EXPECT_EQ(cache.eraseIf([](int k, int) { return k % 2 == 0; }), 3u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.find(1), nullptr);
  EXPECT_NE(cache.find(5), nullptr);
  EXPECT_EQ(cache.evictions(), 0u);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find(1), nullptr);
}

// Byte keys found by a view of other memory, without building a key (KernelCache's use).
struct BytesHash {
  using is_transparent = void;
  size_t operator()(std::span<const uint8_t> b) const {
    return std::hash<std::string_view>()({reinterpret_cast<const char *>(b.data()), b.size()});
  }
};
struct BytesEqual {
  using is_transparent = void;
  bool operator()(std::span<const uint8_t> a, std::span<const uint8_t> b) const {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
};

TEST(LruCacheTest, FindsByAnEquivalentKeyType) {
  LruCache<std::vector<uint8_t>, int, BytesHash, BytesEqual> cache(4);
  cache.insert({1, 2, 3}, 6);
  uint8_t probe[] = {0, 1, 2, 3};
  ASSERT_NE(cache.find(std::span<const uint8_t>(probe + 1, 3)), nullptr);
  EXPECT_EQ(*cache.find(std::span<const uint8_t>(probe + 1, 3)), 6);
  EXPECT_EQ(cache.find(std::span<const uint8_t>(probe, 3)), nullptr);
}

} // namespace
