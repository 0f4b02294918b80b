#include "source/id_set.hpp"

#include <catch2/catch.hpp>
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
