#pragma once
// A set of object ids with open addressing (linear probing) in one flat array: the history walk
// tests every tree entry against it, and node-based std::unordered_set spends more time in malloc
// and pointer chasing than in hashing. Ids are hashed with the keyed hash_id (core/types.hpp):
// ids named in content anyone can commit may share any prefix they like.
#include "core/types.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace zenolint::source {

class IdSet {
public:
  // True when `id` was not in the set (and is now).
  bool insert(const BlobId& id)
  {
    if (id.is_zero()) {
      bool fresh = !m_has_zero;
      m_has_zero = true;
      return fresh;
    }
    if ((m_size + 1) * 2 > m_slots.size()) // load <= 1/2: short probe runs
      grow();
    std::size_t i = slot_for(id);
    if (!m_slots[i].is_zero())
      return false;
    m_slots[i] = id;
    ++m_size;
    return true;
  }

  bool contains(const BlobId& id) const
  {
    if (id.is_zero())
      return m_has_zero;
    return !m_slots.empty() && !m_slots[slot_for(id)].is_zero();
  }

  std::size_t size() const { return m_size + (m_has_zero ? 1 : 0); }

private:
  // The slot holding `id`, or the empty slot where it belongs.
  std::size_t slot_for(const BlobId& id) const
  {
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash_id(id) & mask;; i = (i + 1) & mask)
      if (m_slots[i].is_zero() || std::memcmp(m_slots[i].bytes.data(), id.bytes.data(), 20) == 0)
        return i;
  }

  void grow()
  {
    std::vector<BlobId> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : old.size() * 2, BlobId{});
    for (const auto& id : old)
      if (!id.is_zero())
        m_slots[slot_for(id)] = id;
  }

  std::vector<BlobId> m_slots;
  std::size_t m_size = 0;
  bool m_has_zero = false;
};

} // namespace zenolint::source
