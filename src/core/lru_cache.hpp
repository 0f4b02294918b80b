#pragma once
// A least-recently-used cache bounded by the bytes of its values (sizes given by the caller).
// Values are shared pointers: a holder keeps its value alive after eviction.
#include <cstddef>
#include <functional>
#include <list>
#include <unordered_map>

namespace zenolint {

template <class Key, class Value, class Hash = std::hash<Key>>
class LruCache {
public:
  explicit LruCache(std::size_t limit_bytes) : m_limit(limit_bytes) {}

  // The cached value (now the most recently used), or an empty Value.
  Value get(const Key& key)
  {
    auto it = m_map.find(key);
    if (it == m_map.end())
      return Value{};
    m_order.splice(m_order.begin(), m_order, it->second.where);
    return it->second.value;
  }

  // Caches `value` unless `key` is cached or the value alone would take a quarter of the limit
  // (one huge value would evict everything else); evicts the least recently used past the limit.
  void put(const Key& key, Value value, std::size_t bytes)
  {
    if (bytes > m_limit / 4 || m_map.count(key))
      return;
    m_order.push_front(key);
    m_map.emplace(key, Slot{std::move(value), m_order.begin(), bytes});
    m_bytes += bytes;
    while (m_bytes > m_limit && !m_order.empty()) {
      auto victim = m_map.find(m_order.back());
      m_bytes -= victim->second.bytes;
      m_map.erase(victim);
      m_order.pop_back();
    }
  }

  std::size_t bytes() const { return m_bytes; }

private:
  struct Slot {
    Value value;
    typename std::list<Key>::iterator where;
    std::size_t bytes = 0;
  };
  std::size_t m_limit;
  std::size_t m_bytes = 0;
  std::list<Key> m_order; // most recent first
  std::unordered_map<Key, Slot, Hash> m_map;
};

} // namespace zenolint
