// The pack reader against real packs written by git (OFS_DELTA and REF_DELTA chains), compared
// object by object with libgit2, and against corrupted packs.
#include "git/git.hpp"
#include "source/history.hpp"
#include "source/pack_reader.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

using zenolint::BlobId;
using zenolint::source::apply_git_delta;
using zenolint::source::Bytes;
using zenolint::source::PackReader;
using zenolint::test::TempRepo;
namespace fs = std::filesystem;

namespace {

// A repository whose directory tree has many versions, repacked so that most are deltas.
void build_history(TempRepo& repo, const std::vector<std::string>& repack_args)
{
  for (int f = 0; f < 40; ++f)
    repo.write("dir/file" + std::to_string(f) + ".txt", "version 0 of " + std::to_string(f) + "\n");
  repo.commit("Start");
  for (int c = 1; c <= 30; ++c) {
    repo.write("dir/file" + std::to_string(c % 40) + ".txt", "version " + std::to_string(c) + "\n");
    repo.commit("Edit " + std::to_string(c));
  }
  std::vector<std::string> args{"repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"};
  args.insert(args.end(), repack_args.begin(), repack_args.end());
  repo.git(args);
}

struct PackedEntry {
  std::string id, type;
  std::uint64_t size_in_pack = 0, offset = 0;
  int depth = 0;
};

// `git verify-pack -v` of the repository's only pack.
std::vector<PackedEntry> verify_pack(const TempRepo& repo)
{
  std::string idx;
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ".idx")
      idx = e.path().string();
  REQUIRE_FALSE(idx.empty());
  std::istringstream lines(repo.git({"verify-pack", "-v", idx}));
  std::vector<PackedEntry> out;
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    PackedEntry e;
    std::uint64_t size = 0;
    if (!(f >> e.id >> e.type >> size >> e.size_in_pack >> e.offset) || e.id.size() != 40)
      continue;
    f >> e.depth;
    out.push_back(e);
  }
  return out;
}

std::string pack_file(const TempRepo& repo)
{
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ".pack")
      return e.path().string();
  return "";
}

void compare_with_libgit2(const TempRepo& repo, const std::vector<PackedEntry>& entries)
{
  PackReader reader(repo / ".git/objects", std::size_t{1} << 20);
  auto git_repo = zenolint::git::open(repo / ".git");
  git_odb* raw_odb = nullptr;
  REQUIRE(git_repository_odb(&raw_odb, git_repo.get()) == 0);
  zenolint::git::Odb odb(raw_odb);
  for (const auto& e : entries) {
    INFO(e.id << " " << e.type << " depth " << e.depth);
    auto id = *BlobId::from_hex(e.id);
    auto ours = reader.read(id);
    REQUIRE(ours);
    git_oid oid = zenolint::git::to_oid(id);
    git_odb_object* raw = nullptr;
    REQUIRE(git_odb_read(&raw, odb.get(), &oid) == 0);
    zenolint::git::OdbObject theirs(raw);
    CHECK(ours->type == git_odb_object_type(raw));
    CHECK(ours->data.view() == std::string_view(static_cast<const char*>(git_odb_object_data(raw)),
                                                git_odb_object_size(raw)));
  }
}

} // namespace

TEST_CASE("git deltas apply, and malformed ones are refused", "[unit][pack]")
{
  const std::string base = "0123456789abcdef";
  // base size 16, result size 9: copy 4 bytes at offset 2, insert "XYZ", copy 2 bytes at offset 14.
  const std::string delta =
      std::string("\x10\x09", 2) + "\x91\x02\x04" + "\x03XYZ" + "\x91\x0e\x02";
  Bytes out;
  REQUIRE(apply_git_delta(base, delta, out));
  CHECK(out.view() == "2345XYZef");

  CHECK_FALSE(apply_git_delta("short", delta, out)); // wrong base size
  CHECK_FALSE(apply_git_delta(base, std::string("\x10\x09", 2) + "\x91\x0f\x04", out)); // past base
  CHECK_FALSE(apply_git_delta(base, std::string("\x10\x05", 2) + "\x03XYZ", out)); // short result
  CHECK_FALSE(apply_git_delta(base, std::string("\x10\x02", 2) + "\x03XYZ", out)); // long result
  CHECK_FALSE(apply_git_delta(base, std::string("\x10\x01\x00", 3), out));         // reserved op
  CHECK_FALSE(apply_git_delta(base, std::string("\x10\x05", 2) + "\x05XY", out));  // truncated
  CHECK_FALSE(apply_git_delta(base, std::string("\x10", 1), out));                 // no result size
}

TEST_CASE("objects read from packs equal libgit2's, through OFS_DELTA and REF_DELTA chains",
          "[unit][pack]")
{
  for (bool offsets : {true, false}) {
    INFO("delta base by " << (offsets ? "offset" : "reference"));
    TempRepo repo;
    build_history(repo, {});
    if (!offsets)
      repo.git({"-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q",
                "--depth=50", "--window=50"});
    auto entries = verify_pack(repo);
    int deep = 0;
    for (const auto& e : entries)
      deep += e.depth >= 5;
    REQUIRE(deep > 0); // the pack really has delta chains
    compare_with_libgit2(repo, entries);
  }
}

TEST_CASE("a corrupted packed tree is refused by the reader and named by the walk", "[unit][pack]")
{
  TempRepo repo;
  build_history(repo, {});
  auto entries = verify_pack(repo);
  const PackedEntry* victim = nullptr;
  for (const auto& e : entries)
    if (e.type == "tree" && e.depth >= 1 && e.size_in_pack > 8 && !victim)
      victim = &e;
  REQUIRE(victim);
  auto pack = pack_file(repo);
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
    // Inside the zlib data, past the entry header and base offset.
    f.seekp(static_cast<std::streamoff>(victim->offset + victim->size_in_pack - 3));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(victim->offset + victim->size_in_pack - 3));
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  PackReader reader(repo / ".git/objects", std::size_t{1} << 20);
  CHECK_FALSE(reader.read(*BlobId::from_hex(victim->id)));
  // Everything else that does not build on it still reads.
  CHECK(reader.read(*BlobId::from_hex(repo.rev("HEAD^{tree}"))));

  auto batch = zenolint::source::enumerate_history(repo / ".git", {});
  bool named = false;
  for (const auto& d : batch.diagnostics)
    named = named || d.subject == victim->id;
  CHECK(named);
  CHECK(batch.objects.size() >= 40); // the walk went on
}

TEST_CASE("the pack reader survives packs with random bytes flipped", "[unit][pack]")
{
  // Whatever a damaged pack holds, a read gives an object or nullptr: never a crash, a hang or
  // an out-of-bounds access (run under -DZENOLINT_SANITIZERS=address;undefined to see the last).
  TempRepo repo;
  build_history(repo, {});
  auto entries = verify_pack(repo);
  auto pack = pack_file(repo);
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  std::string original;
  {
    std::ifstream in(pack, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE(original.size() > 100);
  std::uint64_t state = 0x2545f4914f6cdd1dull; // xorshift: the same damage on every run
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t refused = 0;
  for (int round = 0; round < 150; ++round) {
    std::string damaged = original;
    int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f) // inside the objects: past the header, before the trailer
      damaged[12 + next() % (damaged.size() - 32)] ^= static_cast<char>(1 + next() % 255);
    {
      std::ofstream out(pack, std::ios::binary | std::ios::trunc);
      out << damaged;
    }
    PackReader reader(repo / ".git/objects", std::size_t{1} << 16);
    for (const auto& e : entries)
      refused += reader.read(*BlobId::from_hex(e.id)) == nullptr;
  }
  CHECK(refused > 0); // the damage was seen
}
