// archive::read_file, the archive streamed from a descriptor: the same members and problems as
// read() on the same bytes, for archives larger than one stream block, and bounded behaviour
// when the file shrinks or grows after it was opened.
#include "archive/archive.hpp"
#include "core/fd.hpp"
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace zenolint;
using zenolint::test::TempDir;
using zenolint::test::write_file;

namespace {

struct Seen {
  std::vector<std::pair<std::string, std::string>> members; // name, content
  std::vector<std::string> problems;
  archive::Counts counts;
};

archive::Visitor visitor_into(Seen& seen)
{
  archive::Visitor v;
  v.on_member = [&seen](const std::string& name, std::string& content) {
    seen.members.emplace_back(name, content);
  };
  v.on_problem = [&seen](const std::string& member, const std::string& message) {
    seen.problems.push_back(member + ": " + message);
  };
  return v;
}

Seen from_memory(const std::string& data, const std::string& name)
{
  Seen seen;
  archive::Budget budget;
  seen.counts = archive::read(data, name, {}, budget, visitor_into(seen));
  return seen;
}

Seen from_file(const std::string& path, std::uint64_t size, const std::string& name)
{
  Seen seen;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  REQUIRE(fd);
  archive::Budget budget;
  seen.counts = archive::read_file(fd.get(), size, name, {}, budget, visitor_into(seen));
  return seen;
}

// Random bytes: zlib cannot shrink them, so the archive is larger than several stream blocks.
std::string noise(std::size_t size, unsigned seed)
{
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out)
    c = static_cast<char>(rng() & 0xff);
  return out;
}

// A tar.gz and a zip of: noise.bin (incompressible, 3 stream blocks), then last.env with a token,
// so the token is in the archive's last block.
std::string token_last(const TempDir& dir, const std::string& tok)
{
  write_file(dir / "src/a/noise.bin", noise(3 * archive::stream_block_bytes, 7));
  write_file(dir / "src/z/last.env", "ZENODO_TOKEN=" + tok + "\n");
  test::must_run({"bsdtar", "-czf", dir / "data.tar.gz", "-C", dir / "src", "a", "z"});
  test::must_run(
      {"bsdtar", "-cf", dir / "data.zip", "--format", "zip", "-C", dir / "src", "a", "z"});
  return "ZENODO_TOKEN=" + tok + "\n";
}

} // namespace

TEST_CASE("an archive streamed from its descriptor reads as from memory", "[archive]")
{
  TempDir dir;
  std::string last = token_last(dir, test::make_token());
  for (std::string name : {"data.tar.gz", "data.zip"}) {
    INFO(name);
    std::string bytes = test::read_file(dir / name);
    REQUIRE(bytes.size() > 3 * archive::stream_block_bytes);
    Seen memory = from_memory(bytes, name);
    Seen file = from_file(dir / name, bytes.size(), name);
    REQUIRE(memory.members.size() == 2);
    CHECK(memory.members.back() == std::make_pair(std::string("z/last.env"), last));
    CHECK(file.members == memory.members);
    CHECK(file.problems == memory.problems);
    CHECK(file.counts.members == 2);
    CHECK_FALSE(file.counts.stopped);
  }
}

TEST_CASE("a streamed archive that shrank after it was opened reads as truncated", "[archive]")
{
  TempDir dir;
  token_last(dir, test::make_token());
  for (std::string name : {"data.tar.gz", "data.zip"}) {
    INFO(name);
    auto size = std::filesystem::file_size(dir / name);
    // The size fstat gave, then the file loses its second half before it is read.
    std::filesystem::resize_file(dir / name, size / 2);
    Seen file = from_file(dir / name, size, name);
    CHECK(file.counts.stopped);
    REQUIRE_FALSE(file.problems.empty());
    bool named = false;
    for (const auto& p : file.problems)
      named = named || p.find("truncated") != std::string::npos ||
              p.find("not a readable archive") != std::string::npos;
    INFO(file.problems.front());
    CHECK(named);
    for (const auto& m : file.members)
      CHECK(m.first != "z/last.env"); // never past the end that was left
  }
}

TEST_CASE("a streamed archive is read only up to the size it had when opened", "[archive]")
{
  TempDir dir;
  std::string last = token_last(dir, test::make_token());
  std::string bytes = test::read_file(dir / "data.tar.gz");
  Seen before = from_memory(bytes, "data.tar.gz");
  // Grown after it was opened: what was appended is never read (a second gzip member would
  // otherwise be decompressed too).
  test::must_run({"sh", "-c", "gzip -c < /etc/hostname >> '" + dir / "data.tar.gz" + "'"});
  REQUIRE(std::filesystem::file_size(dir / "data.tar.gz") > bytes.size());
  Seen file = from_file(dir / "data.tar.gz", bytes.size(), "data.tar.gz");
  CHECK(file.members == before.members);
  CHECK(file.problems == before.problems);
}

TEST_CASE("read ahead: one read observed in order, shared with read_file", "[archive]")
{
  TempDir dir;
  std::string last = token_last(dir, test::make_token());
  for (std::string name : {"data.tar.gz", "data.zip"}) {
    INFO(name);
    std::string bytes = test::read_file(dir / name);
    Seen memory = from_memory(bytes, name);
    for (std::size_t blocks : {std::size_t{1}, std::size_t{8}}) {
      Fd fd(::open((dir / name).c_str(), O_RDONLY | O_CLOEXEC));
      REQUIRE(fd);
      std::string observed;
      archive::FileAhead ahead(
          fd.get(), bytes.size(), [&](std::string_view block) { observed.append(block); }, blocks);
      Seen file;
      archive::Budget budget;
      file.counts =
          archive::read_file(fd.get(), bytes.size(), name, {}, budget, visitor_into(file), &ahead);
      CHECK(ahead.finish());
      CHECK(observed == bytes); // every byte once, in order
      CHECK(file.members == memory.members);
      CHECK(file.problems == memory.problems);
    }
  }
  // Shrunk after it was opened: not complete, and read_file sees a truncated archive.
  auto size = std::filesystem::file_size(dir / "data.tar.gz");
  std::filesystem::resize_file(dir / "data.tar.gz", size / 2);
  Fd fd(::open((dir / "data.tar.gz").c_str(), O_RDONLY | O_CLOEXEC));
  std::uint64_t observed = 0;
  archive::FileAhead ahead(fd.get(), size, [&](std::string_view b) { observed += b.size(); });
  Seen file;
  archive::Budget budget;
  file.counts =
      archive::read_file(fd.get(), size, "data.tar.gz", {}, budget, visitor_into(file), &ahead);
  CHECK_FALSE(ahead.finish());
  CHECK(observed < size);
  CHECK(file.counts.stopped);
}

TEST_CASE("has_archive_extension: the last component's extension, any case", "[unit][archive]")
{
  using zenolint::archive::has_archive_extension;
  for (const char* yes : {"a.zip", "dir/b.TAR.GZ", "x/y/release.Tgz", "c.7z", "d.whl", "e.JAR",
                          "f.tar.zst", "g.lz4", "h.rar", "i.txz", "j.tbz2", "k.bz2", "l.xz"})
    CHECK(has_archive_extension(yes));
  for (const char* no : {".zip", "zip", "a.zip/readme", "a.zipx", "notes.txt", "", "dir.gz/",
                         "a.z", "archive", "x.tar.gz.txt", "a.Z1p"})
    CHECK_FALSE(has_archive_extension(no));
}
