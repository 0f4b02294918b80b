#include "source/id_set.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <unordered_map>

using namespace zenolint;

namespace {

// `n` ids equal in every byte but the varying ones, which spell the counter i.
std::vector<BlobId> colliding_ids(std::size_t n, std::size_t first_varying_byte)
{
  std::vector<BlobId> ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i].bytes.fill(0x5a);
    for (std::size_t b = 0; b < 4; ++b)
      ids[i].bytes[first_varying_byte + b] = static_cast<unsigned char>(i >> (8 * b));
  }
  return ids;
}

} // namespace

// Regression (issue 14): ids were hashed by their first 8 bytes, so a tree naming 100,000 ids that
// share them put every id in one probe run (47 s instead of 2.3 s for the scan).
TEST_CASE("id hash: ids that share any 16 bytes still spread over the slots", "[id_set][dos]")
{
  constexpr std::size_t n = 100000;
  for (std::size_t first : {0u, 8u, 12u, 16u}) {
    auto ids = colliding_ids(n, first);
    std::set<std::uint64_t> slots;
    for (const auto& id : ids)
      slots.insert(hash_id(id) & ((1u << 18) - 1));
    // 100,000 random keys in 262,144 slots fill about 82,000 of them.
    INFO("varying bytes from " << first << ": " << slots.size() << " distinct slots");
    CHECK(slots.size() > 75000);
    std::unordered_map<BlobId, int, BlobIdHash> map;
    for (const auto& id : ids)
      map.emplace(id, 0);
    std::size_t longest = 0;
    for (std::size_t b = 0; b < map.bucket_count(); ++b)
      longest = std::max(longest, map.bucket_size(b));
    CHECK(longest < 16);
  }
}

TEST_CASE("IdSet with 100,000 ids that share their first 16 bytes", "[id_set][dos]")
{
  auto ids = colliding_ids(100000, 16);
  source::IdSet set;
  for (const auto& id : ids)
    REQUIRE(set.insert(id));
  for (const auto& id : ids)
    REQUIRE_FALSE(set.insert(id));
  CHECK(set.size() == ids.size());
  for (const auto& id : ids)
    REQUIRE(set.contains(id));
  BlobId other = ids[0];
  other.bytes[0] ^= 1;
  CHECK_FALSE(set.contains(other));
  CHECK(set.insert(BlobId{}));
  CHECK(set.contains(BlobId{}));
  CHECK(set.size() == ids.size() + 1);
}

// Direct tests of the set itself (issue 16).
namespace {

using zenolint::source::IdSet;

BlobId id_of(std::uint64_t n, std::uint8_t last = 0)
{
  BlobId id;
  for (int i = 0; i < 8; ++i)
    id.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  id.bytes[19] = last;
  return id;
}

} // namespace

TEST_CASE("id set: insert says whether the id was new; contains agrees", "[unit][source]")
{
  IdSet set;
  CHECK(set.size() == 0);
  CHECK_FALSE(set.contains(id_of(1)));
  CHECK(set.insert(id_of(1)));
  CHECK_FALSE(set.insert(id_of(1)));
  CHECK(set.contains(id_of(1)));
  CHECK_FALSE(set.contains(id_of(2)));
  CHECK(set.size() == 1);
}

TEST_CASE("id set: the all-zero id is a member like any other", "[unit][source]")
{
  // Zero marks an empty slot inside the table, so the set keeps it aside.
  IdSet set;
  BlobId zero;
  REQUIRE(zero.is_zero());
  CHECK_FALSE(set.contains(zero));
  CHECK(set.insert(zero));
  CHECK_FALSE(set.insert(zero));
  CHECK(set.contains(zero));
  CHECK(set.size() == 1);
  CHECK_FALSE(set.contains(id_of(7)));
  CHECK(set.insert(id_of(7)));
  CHECK(set.size() == 2);
}

TEST_CASE("id set: ids differing only in their last byte are all kept apart", "[unit][source]")
{
  IdSet set;
  for (std::uint8_t last = 1; last <= 50; ++last)
    CHECK(set.insert(id_of(42, last)));
  for (std::uint8_t last = 1; last <= 50; ++last) {
    CHECK(set.contains(id_of(42, last)));
    CHECK_FALSE(set.insert(id_of(42, last)));
  }
  CHECK_FALSE(set.contains(id_of(42, 51)));
  CHECK_FALSE(set.contains(id_of(42, 0)));
  CHECK(set.size() == 50);
}

TEST_CASE("id set: growing keeps every member (against std::set)", "[unit][source]")
{
  // Well past the first table (1024 slots at load 1/2) and several doublings, with random ids
  // (fixed seed) and duplicates.
  std::mt19937_64 rng(20261130);
  IdSet set;
  std::set<std::string> reference;
  std::vector<BlobId> inserted;
  for (int i = 0; i < 20000; ++i) {
    BlobId id;
    if (!inserted.empty() && i % 7 == 0) {
      id = inserted[rng() % inserted.size()]; // a duplicate
    } else {
      for (auto& b : id.bytes)
        b = static_cast<std::uint8_t>(rng());
    }
    bool fresh = reference.insert(id.hex()).second;
    CHECK(set.insert(id) == fresh);
    if (fresh)
      inserted.push_back(id);
  }
  CHECK(set.size() == reference.size());
  for (const auto& id : inserted)
    CHECK(set.contains(id));
  int false_positives = 0;
  for (int i = 0; i < 20000; ++i) {
    BlobId other;
    for (auto& b : other.bytes)
      b = static_cast<std::uint8_t>(rng());
    false_positives += set.contains(other) != (reference.count(other.hex()) == 1);
  }
  CHECK(false_positives == 0);
}
