// The pack resolver against real packs written by git with deep delta chains (repack -adf
// --depth=50 --window=250, OFS_DELTA and REF_DELTA), compared object by object with libgit2, with
// its limits, and against damaged packs.
#include "git/git.hpp"
#include "source/objects.hpp"
#include "source/pack_resolver.hpp"
#include "support/packs.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>

using zenolint::BlobId;
using zenolint::Diagnostic;
using zenolint::source::PackPositions;
using zenolint::source::resolve_packed_objects;
using zenolint::source::ResolveLimits;
using zenolint::source::ResolveStats;
using zenolint::test::pack_file;
using zenolint::test::PackedEntry;
using zenolint::test::TempRepo;
using zenolint::test::verify_pack;
namespace fs = std::filesystem;

namespace {

// Files with many versions, each a few lines away from the last, and one file that grows: after
// an aggressive repack most objects are deltas in long chains.
void build_deep_history(TempRepo& repo, const std::vector<std::string>& repack_config)
{
  // Each commit edits two lines of each file for good, so a version is nearest to its neighbours
  // and git chains them rather than basing all on one.
  std::vector<std::vector<std::string>> files(3, std::vector<std::string>(60));
  for (std::size_t f = 0; f < files.size(); ++f)
    for (std::size_t line = 0; line < 60; ++line)
      files[f][line] = "file " + std::to_string(f) + " line " + std::to_string(line) + " first";
  for (int c = 0; c < 90; ++c) {
    for (std::size_t f = 0; f < files.size(); ++f) {
      files[f][static_cast<std::size_t>(c * 7 + 3 * static_cast<int>(f)) % 60] =
          "edited in commit " + std::to_string(c);
      files[f][static_cast<std::size_t>(c * 13 + 5) % 60] += " and again " + std::to_string(c);
      std::string text;
      for (const auto& line : files[f])
        text += line + "\n";
      repo.write("src/file" + std::to_string(f) + ".txt", text);
    }
    repo.commit("Commit " + std::to_string(c));
  }
  std::vector<std::string> args = repack_config;
  for (const char* a : {"repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=250"})
    args.push_back(a);
  repo.git(args);
}

struct Delivered {
  int type = 0;
  std::string data;
  int times = 0;
};

struct Outcome {
  std::vector<char> done;
  std::map<std::size_t, Delivered> got;
  std::vector<Diagnostic> diagnostics;
  ResolveStats stats;
};

Outcome resolve(const TempRepo& repo, const std::vector<BlobId>& wanted, unsigned jobs,
                const ResolveLimits& limits = {})
{
  PackPositions positions(repo / ".git/objects", true);
  Outcome out;
  std::mutex mutex;
  out.done = resolve_packed_objects(
      positions, wanted, jobs, limits,
      [&](std::size_t index, int type, std::string_view data, unsigned worker) {
        CHECK(worker < jobs);
        std::lock_guard lock(mutex);
        auto& d = out.got[index];
        d.type = type;
        d.data.assign(data);
        ++d.times;
      },
      out.diagnostics, &out.stats);
  return out;
}

// libgit2's reading of every id (type and bytes).
class Libgit2 {
public:
  explicit Libgit2(const TempRepo& repo) : m_repo(zenolint::git::open(repo / ".git"))
  {
    git_odb* raw = nullptr;
    REQUIRE(git_repository_odb(&raw, m_repo.get()) == 0);
    m_odb.reset(raw);
  }
  std::pair<int, std::string> read(const BlobId& id)
  {
    git_oid oid = zenolint::git::to_oid(id);
    git_odb_object* raw = nullptr;
    REQUIRE(git_odb_read(&raw, m_odb.get(), &oid) == 0);
    zenolint::git::OdbObject obj(raw);
    return {
        static_cast<int>(git_odb_object_type(raw)),
        std::string(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw))};
  }

private:
  zenolint::git::Repository m_repo;
  zenolint::git::Odb m_odb;
};

std::vector<BlobId> ids_of(const std::vector<PackedEntry>& entries)
{
  std::vector<BlobId> ids;
  for (const auto& e : entries)
    ids.push_back(*BlobId::from_hex(e.id));
  return ids;
}

} // namespace

TEST_CASE("the pack resolver yields libgit2's bytes for every object of deep delta chains",
          "[unit][pack]")
{
  for (bool offsets : {true, false}) {
    INFO("delta base by " << (offsets ? "offset" : "reference"));
    TempRepo repo;
    build_deep_history(repo,
                       offsets ? std::vector<std::string>{}
                               : std::vector<std::string>{"-c", "repack.useDeltaBaseOffset=false"});
    auto entries = verify_pack(repo);
    int max_depth = 0, deltas = 0;
    for (const auto& e : entries) {
      max_depth = std::max(max_depth, e.depth);
      deltas += e.depth > 0;
    }
    REQUIRE(max_depth >= 30); // the pack really has deep chains
    REQUIRE(deltas * 5 > static_cast<int>(entries.size()) * 2);

    auto wanted = ids_of(entries);
    wanted.push_back(*BlobId::from_hex(std::string(40, 'e'))); // in no pack
    Libgit2 git(repo);
    for (unsigned jobs : {1u, 3u}) {
      INFO("jobs " << jobs);
      auto out = resolve(repo, wanted, jobs);
      CHECK(out.diagnostics.empty());
      CHECK(out.stats.delivered == entries.size());
      CHECK(out.stats.built == entries.size());
      CHECK_FALSE(out.done.back());
      for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO(entries[i].id << " " << entries[i].type << " depth " << entries[i].depth);
        REQUIRE(out.done[i]);
        const auto& d = out.got.at(i);
        CHECK(d.times == 1);
        auto [type, data] = git.read(wanted[i]);
        CHECK(d.type == type);
        CHECK(d.data == data);
      }
    }
  }
}

TEST_CASE("the pack resolver builds the bases it needs without delivering them", "[unit][pack]")
{
  TempRepo repo;
  build_deep_history(repo, {});
  auto entries = verify_pack(repo);
  std::vector<BlobId> wanted;
  for (const auto& e : entries)
    if (e.type == "blob" && e.depth >= 20)
      wanted.push_back(*BlobId::from_hex(e.id));
  REQUIRE(wanted.size() >= 5);
  auto out = resolve(repo, wanted, 2);
  CHECK(out.stats.delivered == wanted.size());
  CHECK(out.stats.built > wanted.size()); // their bases were built too
  Libgit2 git(repo);
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    REQUIRE(out.done[i]);
    CHECK(out.got.at(i).data == git.read(wanted[i]).second);
  }
}

TEST_CASE("objects beyond the resolver's limits are left to the caller, without a warning",
          "[unit][pack]")
{
  TempRepo repo;
  build_deep_history(repo, {});
  auto entries = verify_pack(repo);
  auto wanted = ids_of(entries);
  Libgit2 git(repo);

  SECTION("no room to hold a base: only whole objects are delivered")
  {
    ResolveLimits limits;
    limits.max_held_bytes = 1;
    auto out = resolve(repo, wanted, 2, limits);
    CHECK(out.diagnostics.empty());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      INFO(entries[i].id << " depth " << entries[i].depth);
      CHECK(static_cast<bool>(out.done[i]) == (entries[i].depth == 0));
    }
  }
  SECTION("objects larger than the limit are not built, nor what builds on them")
  {
    ResolveLimits limits;
    limits.max_object_size = 600;
    auto out = resolve(repo, wanted, 2, limits);
    CHECK(out.diagnostics.empty());
    std::size_t delivered = 0, refused = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto [type, data] = git.read(wanted[i]);
      if (data.size() > 600)
        CHECK_FALSE(out.done[i]);
      if (!out.done[i]) {
        ++refused;
        continue;
      }
      ++delivered;
      CHECK(out.got.at(i).data == data);
    }
    CHECK(delivered > 0);
    CHECK(refused > 0);
  }
}

TEST_CASE("a damaged pack entry is named with its pack; everything else is still resolved",
          "[unit][pack]")
{
  TempRepo repo;
  build_deep_history(repo, {});
  auto entries = verify_pack(repo);
  Libgit2 git(repo);
  std::vector<std::pair<int, std::string>> original;
  auto wanted = ids_of(entries);
  for (const auto& id : wanted)
    original.push_back(git.read(id));
  // A blob delta in the middle of a chain: it and what builds on it can no longer be resolved.
  const PackedEntry* victim = nullptr;
  for (const auto& e : entries)
    if (e.type == "blob" && e.depth >= 10 && e.size_in_pack > 12 && !victim)
      victim = &e;
  REQUIRE(victim);
  auto pack = pack_file(repo, ".pack");
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(victim->offset + victim->size_in_pack - 3));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(victim->offset + victim->size_in_pack - 3));
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  auto out = resolve(repo, wanted, 2);
  REQUIRE(out.diagnostics.size() == 1);
  CHECK(out.diagnostics[0].subject == pack);
  CHECK_THAT(out.diagnostics[0].message,
             Catch::Contains("offset " + std::to_string(victim->offset)));
  std::size_t victim_index = static_cast<std::size_t>(victim - entries.data());
  CHECK_FALSE(out.done[victim_index]);
  std::size_t delivered = 0;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (out.done[i]) {
      ++delivered;
      CHECK(out.got.at(i).data == original[i].second);
    }
  CHECK(delivered * 10 > entries.size() * 8); // most of the pack is resolved
}

TEST_CASE("the pack resolver survives packs with random bytes flipped", "[unit][pack]")
{
  // Whatever a damaged pack holds, an object is delivered with its true content or not at all:
  // never a crash, a hang or an out-of-bounds access (run under -DZENOLINT_SANITIZERS=address;
  // undefined to see the last).
  TempRepo repo;
  build_deep_history(repo, {});
  auto entries = verify_pack(repo);
  std::vector<BlobId> blobs;
  for (const auto& e : entries)
    if (e.type == "blob")
      blobs.push_back(*BlobId::from_hex(e.id));
  auto pack = pack_file(repo, ".pack");
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  std::string original;
  {
    std::ifstream in(pack, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::uint64_t state = 0x9e3779b97f4a7c15ull; // xorshift: the same damage on every run
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t refused = 0, delivered = 0;
  for (int round = 0; round < 60; ++round) {
    std::string damaged = original;
    int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f)
      damaged[12 + next() % (damaged.size() - 32)] ^= static_cast<char>(1 + next() % 255);
    {
      std::ofstream out(pack, std::ios::binary | std::ios::trunc);
      out << damaged;
    }
    auto out = resolve(repo, blobs, 2);
    for (std::size_t i = 0; i < blobs.size(); ++i) {
      if (!out.done[i]) {
        ++refused;
        continue;
      }
      ++delivered;
      CHECK(zenolint::git::blob_hash(out.got.at(i).data) == blobs[i]);
    }
  }
  CHECK(refused > 0); // the damage was seen
  CHECK(delivered > 0);
}
