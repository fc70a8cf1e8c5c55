// A bounded map that evicts the least recently used entry: the one kernel-cache policy of every
// device (parallel::KernelCache of kernel modules, CpuDevice's and GpuDevice's compiled kernels,
// compile::PtxCache). Its owner chooses and documents the capacity.
//
// Not synchronised: every owner already holds a lock of its own across a lookup and its use of
// the entry found, which is also what keeps that entry from being evicted meanwhile. A pointer
// to a value stays valid until that entry is erased or evicted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <list>
#include <unordered_map>
#include <utility>

namespace parawasm::support {

template <class Key, class Value, class Hash = std::hash<Key>, class Equal = std::equal_to<Key>>
class LruCache {
public:
  using Entry = std::pair<const Key, Value>;

  explicit LruCache(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  LruCache(const LruCache &) = delete;
  LruCache &operator=(const LruCache &) = delete;

  // The value under `key` (a Key, or anything Hash and Equal take, such as a span for a vector
  // key), made the most recently used; null when absent.
  template <class K> Value *find(const K &key) {
    auto it = index_.find(key);
    if (it == index_.end())
      return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Adds `value` under `key` as the most recently used entry (replacing an entry with an equal
  // key), then evicts the least recently used entries beyond the capacity. The new entry is
  // never the one evicted.
  Value &insert(Key key, Value value) {
    erase(key);
    order_.emplace_front(std::move(key), std::move(value));
    index_.emplace(&order_.front().first, order_.begin());
    while (order_.size() > capacity_) {
      index_.erase(&order_.back().first);
      order_.pop_back();
      ++evictions_;
    }
    return order_.front().second;
  }

  // The most recently used entry (the last found or inserted), without a lookup; null if empty.
  Entry *mostRecent() { return order_.empty() ? nullptr : &order_.front(); }

  template <class K> bool erase(const K &key) {
    auto it = index_.find(key);
    if (it == index_.end())
      return false;
    auto entry = it->second;
    index_.erase(it);
    order_.erase(entry);
    return true;
  }
  // Erases every entry for which pred(key, value) holds (not counted as evictions).
  template <class Pred> size_t eraseIf(Pred pred) {
    size_t erased = 0;
    for (auto it = order_.begin(); it != order_.end();) {
      if (pred(it->first, it->second)) {
        index_.erase(&it->first);
        it = order_.erase(it);
        ++erased;
      } else {
        ++it;
      }
    }
    return erased;
  }
  void clear() {
    index_.clear();
    order_.clear();
  }

  size_t size() const { return order_.size(); }
  size_t capacity() const { return capacity_; }
  uint64_t evictions() const { return evictions_; } // entries dropped for room, ever

private:
  // The index refers to the keys in `order_` (whose nodes never move), so a key is stored once.
  struct IndexHash {
    using is_transparent = void;
    size_t operator()(const Key *k) const { return Hash()(*k); }
    template <class K> size_t operator()(const K &k) const { return Hash()(k); }
  };
  struct IndexEqual {
    using is_transparent = void;
    bool operator()(const Key *a, const Key *b) const { return Equal()(*a, *b); }
    template <class K> bool operator()(const K &a, const Key *b) const { return Equal()(a, *b); }
    template <class K> bool operator()(const Key *a, const K &b) const { return Equal()(*a, b); }
  };

  size_t capacity_;
  uint64_t evictions_ = 0;
  std::list<Entry> order_; // most recently used first
  std::unordered_map<const Key *, typename std::list<Entry>::iterator, IndexHash, IndexEqual>
      index_;
};

} // namespace parawasm::support
