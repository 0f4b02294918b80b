// enumerate_history and the pack index reader, called in-process on real repositories.
#include "core/error.hpp"
#include "source/history.hpp"
#include "source/objects.hpp"
#include "support/temp_repo.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

using zenolint::BlobId;
using zenolint::Provenance;
using zenolint::source::enumerate_history;
using zenolint::source::HistoryOptions;
using zenolint::test::TempRepo;

namespace {

const zenolint::source::ObjectRef* find_path(const zenolint::source::Batch& b, const std::string& p)
{
  for (const auto& o : b.objects)
    if (o.provenance.path == p)
      return &o;
  return nullptr;
}

} // namespace

TEST_CASE("source history: each blob listed once, at its earliest commit", "[unit][source]")
{
  TempRepo repo;
  repo.write("a.txt", "one\n");
  repo.write("dir/b.txt", "two\n");
  auto c1 = repo.commit("First");
  repo.write("dir/c.txt", "one\n"); // same blob as a.txt at a new path
  repo.write("a.txt", "changed\n");
  auto c2 = repo.commit("Second");
  repo.git({"checkout", "-q", "-b", "side", c1});
  repo.write("side.txt", "side\n");
  auto c3 = repo.commit("Side");

  auto batch = enumerate_history(repo.path() + "/.git", HistoryOptions{});
  CHECK(batch.diagnostics.empty());
  CHECK(batch.stats.commits == 3);
  REQUIRE(batch.objects.size() == 4); // one, two, changed, side
  std::set<BlobId> ids;
  for (const auto& o : batch.objects) {
    ids.insert(o.id);
    CHECK(o.provenance.kind == Provenance::Kind::history);
    CHECK_FALSE(o.provenance.unreachable);
    REQUIRE(o.provenance.commit);
  }
  CHECK(ids.size() == 4);
  auto* one = find_path(batch, "a.txt");
  REQUIRE(one);
  CHECK(one->provenance.commit->id == c1);
  CHECK(one->provenance.commit->summary == "First");
  CHECK(one->provenance.commit->author == "Ada Author");
  CHECK(one->provenance.commit->email == "ada@example.org");
  CHECK(one->provenance.commit->date == "2020-01-01T00:00:00+00:00");
  CHECK(find_path(batch, "dir/c.txt") == nullptr); // already attributed to a.txt
  CHECK(find_path(batch, "dir/b.txt")->provenance.commit->id == c1);
  int at_c2 = 0, at_c3 = 0;
  for (const auto& o : batch.objects) {
    at_c2 += o.provenance.commit->id == c2;
    at_c3 += o.provenance.commit->id == c3;
  }
  CHECK(at_c2 == 1);
  CHECK(at_c3 == 1);
}

TEST_CASE("source history: a range excludes what its boundary already has", "[unit][source]")
{
  TempRepo repo;
  repo.write("a.txt", "a\n");
  auto c1 = repo.commit("A");
  repo.write("b.txt", "b\n");
  auto c2 = repo.commit("B");
  HistoryOptions opts;
  opts.range = c1 + ".." + c2;
  auto batch = enumerate_history(repo.path() + "/.git", opts);
  REQUIRE(batch.objects.size() == 1);
  CHECK(batch.objects[0].provenance.path == "b.txt");
  CHECK(batch.objects[0].provenance.commit->id == c2);
  CHECK(batch.stats.commits == 1);

  opts.range = "does-not-exist";
  CHECK_THROWS_AS(enumerate_history(repo.path() + "/.git", opts), zenolint::Error);
}

TEST_CASE("source objects: pack positions come from the pack index", "[unit][source]")
{
  TempRepo repo;
  for (int i = 0; i < 20; ++i)
    repo.write("f" + std::to_string(i) + ".txt", "content " + std::to_string(i) + "\n");
  repo.commit("Many");
  repo.git({"gc", "-q"});
  repo.write("loose.txt", "loose\n");
  repo.commit("Loose");

  zenolint::source::PackPositions positions(repo.path() + "/.git/objects");
  REQUIRE(positions.pack_count() == 1);
  std::set<std::uint64_t> offsets;
  for (int i = 0; i < 20; ++i) {
    auto id = BlobId::from_hex(repo.rev("HEAD:f" + std::to_string(i) + ".txt"));
    REQUIRE(id);
    auto pos = positions.find(*id);
    REQUIRE(pos);
    CHECK(pos->pack == 0);
    CHECK(pos->offset >= 12); // after the pack header
    offsets.insert(pos->offset);
  }
  CHECK(offsets.size() == 20);
  auto loose = BlobId::from_hex(repo.rev("HEAD:loose.txt"));
  CHECK_FALSE(positions.find(*loose));

  // The history source hands objects over in pack order, loose ones last.
  auto batch = enumerate_history(repo.path() + "/.git", HistoryOptions{});
  REQUIRE(batch.objects.size() == 21);
  CHECK(batch.objects.back().provenance.path == "loose.txt");
  std::vector<std::uint64_t> order;
  for (std::size_t i = 0; i + 1 < batch.objects.size(); ++i)
    order.push_back(positions.find(batch.objects[i].id)->offset);
  CHECK(std::is_sorted(order.begin(), order.end()));
}

TEST_CASE("source objects: a garbage pack index is ignored", "[unit][source]")
{
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("A");
  zenolint::test::write_file(repo.path() + "/.git/objects/pack/pack-bad.idx", "garbage");
  zenolint::source::PackPositions positions(repo.path() + "/.git/objects");
  CHECK(positions.pack_count() == 0);
}

TEST_CASE("source history: the parallel walk gives the same result for any job count",
          "[unit][source]")
{
  // Long enough (900 commits) for threads to compare trees ahead of the walk; branches and merges
  // so that second parents and several bases are in play; repacked so trees are delta chains.
  TempRepo repo;
  std::string stream;
  auto data = [&](const std::string& payload) {
    stream += "data " + std::to_string(payload.size()) + "\n" + payload + "\n";
  };
  int mark = 0, main_tip = 0, side_tip = 0;
  for (int c = 0; c < 900; ++c) {
    bool side = (c / 50) % 2 == 1 && c % 50 != 49;
    bool merge = (c / 50) % 2 == 1 && c % 50 == 49;
    stream += std::string("commit refs/heads/") + (side ? "side" : "main") + "\n";
    stream += "mark :" + std::to_string(++mark) + "\n";
    stream += "committer C <c@example.org> " + std::to_string(1600000000 + c * 60) + " +0000\n";
    data("commit " + std::to_string(c) + "\n");
    int from = side ? (side_tip ? side_tip : main_tip) : main_tip;
    if (from)
      stream += "from :" + std::to_string(from) + "\n";
    if (merge)
      stream += "merge :" + std::to_string(side_tip) + "\n";
    for (int k = 0; k < 3; ++k) {
      int f = (c * 7 + k * 13) % 60;
      stream += "M 100644 inline d" + std::to_string(f % 6) + "/sub" + std::to_string(f % 2) +
                "/f" + std::to_string(f) + (f == 42 ? "/.zenodo.json" : ".txt") + "\n";
      data("content " + std::to_string(c) + " " + std::to_string(k) + "\n");
    }
    if (c % 97 == 5)
      stream += "D d1/sub1/f7.txt\n";
    if (c == 700) // a directory moved whole: the same subtree id at a new path
      stream += "R d0/sub0/f42 moved/f42\n";
    stream += "\n";
    (side ? side_tip : main_tip) = mark;
  }
  zenolint::test::RunOptions opts = repo.options();
  opts.stdin_data = stream;
  zenolint::test::must_run({"git", "fast-import", "--quiet"}, opts);
  repo.git({"repack", "-a", "-d", "-q"});

  auto listing = [&](unsigned jobs) {
    HistoryOptions options;
    options.jobs = jobs;
    options.watch_name = [](std::string_view name) { return name == ".zenodo.json"; };
    auto batch = enumerate_history(repo / ".git", options);
    std::vector<std::string> lines;
    for (const auto& o : batch.objects)
      lines.push_back(o.id.hex() + " " + o.provenance.path + " " +
                      (o.provenance.commit ? o.provenance.commit->id : "-"));
    for (const auto& w : batch.watched)
      lines.push_back("watched " + w.path + " " + w.commit.id);
    CHECK(batch.diagnostics.empty());
    CHECK(batch.stats.commits == 900);
    return lines;
  };
  auto one = listing(1);
  // Every blob of the history, once.
  zenolint::test::RunOptions check = repo.options();
  std::istringstream objects(repo.git({"rev-list", "--all", "--objects"}));
  for (std::string line; std::getline(objects, line);)
    check.stdin_data += line.substr(0, 40) + "\n";
  std::istringstream types(zenolint::test::must_run(
      {"git", "cat-file", "--batch-check=%(objecttype) %(objectname)"}, check));
  std::set<std::string> blobs;
  std::string type, id;
  while (types >> type >> id)
    if (type == "blob")
      blobs.insert(id);
  std::size_t listed = 0, watched = 0;
  for (const auto& line : one)
    (line.rfind("watched ", 0) == 0 ? watched : listed) += 1;
  CHECK(listed == blobs.size());
  CHECK(watched == 2); // d0/sub0/f42/.zenodo.json, and moved/f42/.zenodo.json after the move
  CHECK(listing(2) == one);
  CHECK(listing(3) == one);
}
