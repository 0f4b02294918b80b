// The pack reader against real packs written by git (OFS_DELTA and REF_DELTA chains), compared
// object by object with libgit2, and against corrupted packs.
#include "core/digest.hpp"
#include "git/git.hpp"
#include "source/history.hpp"
#include "source/object_store.hpp"
#include "source/pack_reader.hpp"
#include "support/packs.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <zlib.h>

using zenolint::BlobId;
using zenolint::source::apply_git_delta;
using zenolint::source::Bytes;
using zenolint::source::PackReader;
using zenolint::test::pack_file;
using zenolint::test::PackedEntry;
using zenolint::test::TempRepo;
using zenolint::test::verify_pack;
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

  // A result size of 4 GiB - 1 that the instructions (three inserts of 127 bytes) do not produce:
  // refused before anything is allocated (a fuzzer found the 4 GiB allocation).
  std::string huge("\x10\xff\xff\xff\xff\x0f", 6);
  for (int i = 0; i < 3; ++i)
    huge += '\x7f' + std::string(127, 'x');
  Bytes untouched;
  CHECK_FALSE(apply_git_delta(base, huge, untouched));
  CHECK(untouched.size() == 0);
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

namespace {

// A zlib stream of `prefix` followed by `zeros` zero bytes, written directly (fixed-Huffman
// literals, then copies of 258 bytes at distance 1) so that gigabytes cost milliseconds.
std::string zlib_zeros(const std::string& prefix, std::uint64_t zeros)
{
  std::string out = "\x78\x01";
  std::uint64_t acc = 0;
  int nbits = 0;
  auto bits = [&](std::uint32_t value, int n) { // LSB first
    acc |= std::uint64_t{value} << nbits;
    nbits += n;
    while (nbits >= 8) {
      out.push_back(static_cast<char>(acc & 0xff));
      acc >>= 8;
      nbits -= 8;
    }
  };
  auto huffman = [&](std::uint32_t code, int n) { // Huffman codes go MSB first
    std::uint32_t r = 0;
    for (int i = 0; i < n; ++i)
      r |= ((code >> i) & 1u) << (n - 1 - i);
    bits(r, n);
  };
  auto literal = [&](unsigned char c) {
    if (c < 144)
      huffman(0x30 + c, 8);
    else
      huffman(0x190 + (c - 144), 9);
  };
  bits(1, 1); // final block
  bits(1, 2); // fixed Huffman
  for (unsigned char c : prefix)
    literal(c);
  std::uint64_t left = zeros;
  if (left > 0) {
    literal(0);
    --left;
  }
  while (left >= 258 + 3) {
    huffman(0xC5, 8); // length code 285: 258 bytes
    huffman(0, 5);    // distance code 0: distance 1
    left -= 258;
  }
  for (; left > 0; --left)
    literal(0);
  huffman(0, 7); // end of block
  if (nbits > 0)
    bits(0, 8 - nbits);
  std::uint32_t a = 1, b = 0; // Adler-32
  auto adler = [&](unsigned char c) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  };
  for (unsigned char c : prefix)
    adler(c);
  b = static_cast<std::uint32_t>((b + (zeros % 65521) * a) % 65521);
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>(((b << 16 | a) >> shift) & 0xff));
  return out;
}

std::string sha1_of(const std::string& data)
{
  zenolint::Sha1 h;
  h.update(data);
  auto d = h.finish();
  return std::string(d.begin(), d.end());
}

void put32(std::string& s, std::uint32_t v)
{
  for (int shift = 24; shift >= 0; shift -= 8)
    s.push_back(static_cast<char>((v >> shift) & 0xff));
}

// Writes objects/pack/pack-<sum>.{pack,idx} holding one entry: object `id` of git type `type`
// that declares `size` bytes and carries `payload` as its compressed data.
void write_one_object_pack(const std::string& objects_dir, const BlobId& id, int type,
                           std::uint64_t size, const std::string& payload)
{
  std::string pack = "PACK";
  put32(pack, 2);
  put32(pack, 1);
  std::string entry;
  unsigned char c = static_cast<unsigned char>((type << 4) | (size & 15));
  size >>= 4;
  while (size) {
    entry.push_back(static_cast<char>(c | 0x80));
    c = static_cast<unsigned char>(size & 0x7f);
    size >>= 7;
  }
  entry.push_back(static_cast<char>(c));
  entry += payload;
  pack += entry;
  std::string pack_sum = sha1_of(pack);
  pack += pack_sum;
  std::string idx = "\xfftOc";
  put32(idx, 2);
  for (int i = 0; i < 256; ++i)
    put32(idx, id.bytes[0] <= i ? 1 : 0);
  idx.append(reinterpret_cast<const char*>(id.bytes.data()), 20);
  put32(idx, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(entry.data()),
                                              static_cast<uInt>(entry.size()))));
  put32(idx, 12);
  idx += pack_sum;
  idx += sha1_of(idx);
  std::string hex;
  for (unsigned char b : pack_sum)
    hex += "0123456789abcdef"[b >> 4], hex += "0123456789abcdef"[b & 15];
  fs::create_directories(objects_dir + "/pack");
  std::ofstream(objects_dir + "/pack/pack-" + hex + ".pack", std::ios::binary) << pack;
  std::ofstream(objects_dir + "/pack/pack-" + hex + ".idx", std::ios::binary) << idx;
}

} // namespace

TEST_CASE("the zlib stream of zeros inflates to what it claims", "[unit][pack]")
{
  BlobId id = *BlobId::from_hex("0123456789abcdef0123456789abcdef01234567");
  zenolint::test::TempDir dir;
  std::string tree = std::string("100644 a") + '\0' + std::string(20, '\x11');
  tree += std::string(1000, '\0'); // not a valid tree, but any bytes will do for the reader
  write_one_object_pack(dir.path(), id, 2, tree.size(), zlib_zeros(tree.substr(0, 29), 1000));
  PackReader reader(dir.path(), std::size_t{1} << 20);
  auto obj = reader.read(id);
  REQUIRE(obj);
  CHECK(obj->type == 2);
  CHECK(obj->data.view() == tree);
}

// Regression (issue 14): a 3 MB pack holding a 3 GiB "tree" of zeros made the reader inflate all
// of it (3.16 GB RSS) before it saw what it was. The declared size is checked first.
TEST_CASE("a packed tree that declares 1 GiB is refused before it is inflated", "[unit][pack][dos]")
{
  BlobId id = *BlobId::from_hex("feedfacefeedfacefeedfacefeedfacefeedface");
  zenolint::test::TempDir dir;
  const std::uint64_t huge = std::uint64_t{1} << 30;
  write_one_object_pack(dir.path(), id, 2, huge, zlib_zeros("", huge));
  PackReader reader(dir.path(), std::size_t{1} << 20);
  std::uint64_t too_large = 0;
  CHECK_FALSE(reader.read(id, &too_large));
  CHECK(too_large == huge);
  CHECK(reader.inflated_bytes() == 0);
}

namespace {

// Writes a loose commit whose tree is `tree` and points the branch `main` at it.
std::string commit_with_tree(const TempRepo& repo, const BlobId& tree)
{
  std::string body = "tree " + tree.hex() +
                     "\nauthor A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> "
                     "1700000000 +0000\n\nhuge tree\n";
  std::string raw = "commit " + std::to_string(body.size()) + '\0' + body;
  std::string sum = sha1_of(raw);
  BlobId id;
  std::memcpy(id.bytes.data(), sum.data(), 20);
  uLongf len = compressBound(static_cast<uLong>(raw.size()));
  std::string z(len, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(z.data()), &len,
                   reinterpret_cast<const Bytef*>(raw.data()),
                   static_cast<uLong>(raw.size())) == Z_OK);
  z.resize(len);
  std::string path = repo.loose_object_path(id.hex());
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << z;
  repo.git({"update-ref", "refs/heads/main", id.hex()});
  return id.hex();
}

bool has_limit_diagnostic(const zenolint::source::Batch& batch, const BlobId& id)
{
  for (const auto& d : batch.diagnostics)
    if (d.subject == id.hex() && d.message.find("MiB limit; not read") != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE("the history walk names a packed tree over the size limit and goes on",
          "[unit][pack][dos]")
{
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("First");
  BlobId huge_tree = *BlobId::from_hex("feedfacefeedfacefeedfacefeedfacefeedface");
  const std::uint64_t huge = std::uint64_t{1} << 30;
  write_one_object_pack(repo / ".git/objects", huge_tree, 2, huge, zlib_zeros("", huge));
  repo.git({"branch", "keep"});
  commit_with_tree(repo, huge_tree);
  auto batch = zenolint::source::enumerate_history(repo / ".git", {});
  CHECK(has_limit_diagnostic(batch, huge_tree));
  CHECK(batch.objects.size() == 1); // a.txt from the other branch
}

TEST_CASE("the history walk refuses a loose tree over the size limit from its header",
          "[unit][pack][dos]")
{
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("First");
  BlobId huge_tree = *BlobId::from_hex("feedfacefeedfacefeedfacefeedfacefeedface");
  const std::uint64_t huge = std::uint64_t{1} << 30;
  std::string path = repo.loose_object_path(huge_tree.hex());
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary)
      << zlib_zeros("tree " + std::to_string(huge) + std::string(1, '\0'), huge);
  repo.git({"branch", "keep"});
  commit_with_tree(repo, huge_tree);
  auto batch = zenolint::source::enumerate_history(repo / ".git", {});
  CHECK(has_limit_diagnostic(batch, huge_tree));
  CHECK(batch.objects.size() == 1);
}

namespace {

// zlib of `data` (what a pack entry's payload is).
std::string deflate(const std::string& data)
{
  uLongf len = compressBound(static_cast<uLong>(data.size()));
  std::string z(len, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(z.data()), &len,
                   reinterpret_cast<const Bytef*>(data.data()),
                   static_cast<uLong>(data.size())) == Z_OK);
  z.resize(len);
  return z;
}

// A pack whose only entry, `id`, is a REF_DELTA whose base is `id` itself.
void write_self_delta_pack(const std::string& objects_dir, const BlobId& id)
{
  const std::string delta = std::string("\x0a\x0a\x0a", 3) + "0123456789"; // insert 10 bytes
  write_one_object_pack(objects_dir, id, 7, delta.size(),
                        std::string(reinterpret_cast<const char*>(id.bytes.data()), 20) +
                            deflate(delta));
}

} // namespace

// Regression (harden8): libgit2 1.5 deadlocks in git_odb_read_header on a REF_DELTA whose base
// is itself (or a cycle of them); the scan, the history walk and the staged scan hung for ever.
// The own reader knows such an entry is corrupt and says so, so it never reaches libgit2.
TEST_CASE("a delta whose base is itself is corrupt for the pack reader and the object store",
          "[unit][pack][hostile]")
{
  BlobId id = *BlobId::from_hex("1111111111111111111111111111111111111111");
  zenolint::test::TempDir dir;
  write_self_delta_pack(dir.path(), id);
  PackReader reader(dir.path(), std::size_t{1} << 20);
  CHECK_FALSE(reader.read(id));
  CHECK_THAT(reader.corrupt(), Catch::Contains("cycle"));
  zenolint::source::ObjectStore store(dir.path(), std::uint64_t{1} << 20);
  auto r = store.read(id);
  CHECK(r.status == zenolint::source::ObjectStore::Status::corrupt);
  CHECK_THAT(r.why, Catch::Contains("cycle"));
}

TEST_CASE("the history walk names a tree whose delta is its own base and goes on",
          "[unit][pack][hostile]")
{
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("First");
  BlobId tree = *BlobId::from_hex("2222222222222222222222222222222222222222");
  write_self_delta_pack(repo / ".git/objects", tree);
  repo.git({"branch", "keep"});
  commit_with_tree(repo, tree);
  auto batch = zenolint::source::enumerate_history(repo / ".git", {});
  bool named = false;
  for (const auto& d : batch.diagnostics)
    named = named || (d.subject == tree.hex() && d.message.find("cycle") != std::string::npos);
  CHECK(named);
  CHECK(batch.objects.size() == 1); // a.txt from the other branch
}
