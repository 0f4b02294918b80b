// Raw tree parsing and comparison used by the history walk's parent-tree shortcut.
#include "core/lru_cache.hpp"
#include "source/tree_data.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

using namespace zenolint::source;

namespace {

std::string entry(const std::string& mode, const std::string& name, char id_byte)
{
  return mode + " " + name + std::string(1, '\0') + std::string(20, id_byte);
}

RawTreeEntry parse_one(const std::string& raw)
{
  std::string_view data = raw;
  RawTreeEntry e;
  REQUIRE(next_tree_entry(data, e) == TreeParse::entry);
  return e;
}

} // namespace

TEST_CASE("tree entries parse, and truncation is reported", "[unit][tree]")
{
  std::string raw = entry("100644", "a.txt", 'x') + entry("40000", "dir", 'y');
  std::string_view data = raw;
  RawTreeEntry e;
  REQUIRE(next_tree_entry(data, e) == TreeParse::entry);
  CHECK(e.name == "a.txt");
  CHECK_FALSE(e.dir);
  REQUIRE(next_tree_entry(data, e) == TreeParse::entry);
  CHECK(e.name == "dir");
  CHECK(e.dir);
  CHECK(entry_id(e).bytes[19] == 'y');
  CHECK(next_tree_entry(data, e) == TreeParse::end);

  std::string truncated = entry("100644", "a", 'x').substr(0, 15);
  std::string_view t = truncated;
  CHECK(next_tree_entry(t, e) == TreeParse::corrupt);
  std::string_view no_space = "100644";
  CHECK(next_tree_entry(no_space, e) == TreeParse::corrupt);
}

TEST_CASE("tree order sorts a directory as if its name ended in '/'", "[unit][tree]")
{
  // Entries view their buffers: keep them alive.
  const std::string raw[] = {entry("100644", "a", '1'), entry("40000", "a", '1'),
                             entry("100644", "a.b", '1'), entry("100644", "a0", '1')};
  auto file_a = parse_one(raw[0]);
  auto dir_a = parse_one(raw[1]);
  auto file_a_dot = parse_one(raw[2]);
  auto file_a0 = parse_one(raw[3]);
  CHECK(tree_order(file_a, dir_a) < 0);     // "a" < "a/"
  CHECK(tree_order(file_a_dot, dir_a) < 0); // "a.b" < "a/" ('.' < '/')
  CHECK(tree_order(dir_a, file_a0) < 0);    // "a/" < "a0" ('/' < '0')
  CHECK(tree_order(dir_a, dir_a) == 0);
  CHECK(tree_order(file_a, file_a) == 0);
}

TEST_CASE("common leading entries are skipped on both sides, only at entry boundaries",
          "[unit][tree]")
{
  std::string shared = entry("100644", "a", '1') + entry("100644", "b", '2');
  // The differing byte is inside the id of entry "c": both must start at "c", not past it.
  std::string tree = shared + entry("100644", "c", '3') + entry("100644", "d", '4');
  std::string base = shared + entry("100644", "c", '9') + entry("100644", "d", '4');
  std::string_view t = tree, b = base;
  skip_common_entries(t, b);
  CHECK(t.size() == tree.size() - shared.size());
  CHECK(b.size() == base.size() - shared.size());
  const std::string rest(t);
  CHECK(parse_one(rest).name == "c");

  std::string_view same_t = tree, same_b = tree; // identical: everything is skipped
  skip_common_entries(same_t, same_b);
  CHECK(same_t.empty());
  CHECK(same_b.empty());

  std::string_view from_empty = tree, empty_base;
  skip_common_entries(from_empty, empty_base);
  CHECK(from_empty.size() == tree.size());
}

TEST_CASE("the LRU cache evicts least recently used values past its byte limit", "[unit][tree]")
{
  zenolint::LruCache<int, std::shared_ptr<const std::string>> cache(4000);
  auto value = [](char c) { return std::make_shared<const std::string>(1000, c); };
  cache.put(1, value('a'), 1000);
  cache.put(2, value('b'), 1000);
  cache.put(3, value('c'), 1000);
  REQUIRE(cache.get(1));          // 1 is now the most recent
  cache.put(4, value('d'), 1000); // 4000 bytes: still fits
  auto held = cache.get(2);
  cache.put(5, value('e'), 1000); // 5000 > 4000: evicts 3, the least recently used
  CHECK_FALSE(cache.get(3));
  CHECK(cache.get(1));
  CHECK(cache.get(2));
  CHECK(*cache.get(5) == std::string(1000, 'e'));
  CHECK(cache.bytes() == 4000);
  cache.put(6, value('f'), 1001); // more than a quarter of the limit: not cached
  CHECK_FALSE(cache.get(6));
  CHECK(held->size() == 1000); // holders keep evicted values alive
}

TEST_CASE("tree_name_order is the order git writes tree entries in", "[tree]")
{
  // Names around '/' (0x2f): '-' and '.' sort before it, '0' after; "a" the directory sorts as
  // "a/", so after "a.b" and "a-b" but before "a0".
  zenolint::test::TempRepo repo;
  for (const char* name : {"a.b", "a-b", "a0", "a/x", "ab", "a", "b/c", "b.txt", "b0"})
    if (std::string(name) != "a")
      repo.write(name, "x\n");
  repo.commit("names");
  std::string listing = repo.git({"ls-tree", "HEAD"});
  std::vector<std::pair<std::string, bool>> entries; // (name, is a tree) in git's order
  std::size_t at = 0;
  while (at < listing.size()) {
    std::size_t end = listing.find('\n', at);
    std::string line = listing.substr(at, end - at);
    at = end + 1;
    entries.emplace_back(line.substr(line.find('\t') + 1),
                         line.find(" tree ") != std::string::npos);
  }
  REQUIRE(entries.size() == 8);
  for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
    const auto& [a, a_dir] = entries[i];
    const auto& [b, b_dir] = entries[i + 1];
    INFO(a << " before " << b);
    CHECK(tree_name_order(a, a_dir, b, b_dir) < 0);
    CHECK(tree_name_order(b, b_dir, a, a_dir) > 0);
  }
  CHECK(tree_name_order("a", true, "a", true) == 0);
  CHECK(tree_name_order("a", true, "a", false) > 0); // "a/" after "a"
}
