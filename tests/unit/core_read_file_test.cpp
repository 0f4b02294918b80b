// Reading files zenolint does not trust: FIFOs, links to devices, sizes over the limit, and pack
// indexes whose fan-out does not match their size (issue 14).
#include "core/pack_index_check.hpp"
#include "core/read_file.hpp"
#include "source/objects.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace zenolint;
namespace fs = std::filesystem;

namespace {

std::string only_idx(const test::TempRepo& repo)
{
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ".idx")
      return e.path().string();
  return "";
}

void set_be32(std::string& data, std::size_t at, std::uint32_t v)
{
  for (int i = 0; i < 4; ++i)
    data[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

} // namespace

TEST_CASE("read_regular_file refuses FIFOs, devices and oversized files", "[read_file][dos]")
{
  test::TempDir dir;
  std::ofstream(dir / "plain") << "hello";
  std::string out;
  ReadFileError err;
  REQUIRE(read_regular_file(dir / "plain", 100, out, &err));
  CHECK(out == "hello");

  CHECK_FALSE(read_regular_file(dir / "plain", 4, out, &err));
  CHECK(err.message.find("larger than 4 bytes") != std::string::npos);

  CHECK_FALSE(read_regular_file(dir / "missing", 100, out, &err));
  CHECK(err.missing);

  // A FIFO with no writer would block a plain open() forever.
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  CHECK_FALSE(read_regular_file(dir / "fifo", 100, out, &err));
  CHECK(err.message == "not a regular file");
  CHECK_FALSE(err.missing);

  // A link to /dev/zero would be read until memory runs out.
  fs::create_symlink("/dev/zero", dir / "zero");
  CHECK_FALSE(read_regular_file(dir / "zero", UINT64_MAX, out, &err));
  CHECK(err.message == "not a regular file");
}

TEST_CASE("pack indexes are checked against their fan-out before use", "[read_file][pack][dos]")
{
  test::TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit("One");
  repo.git({"repack", "-a", "-d", "-q"});
  std::string idx = only_idx(repo);
  REQUIRE_FALSE(idx.empty());
  std::string good, why;
  REQUIRE(read_pack_index(idx, &good, &why));
  CHECK(good.size() == fs::file_size(idx));

  auto rewrite = [&](const std::string& data) {
    fs::permissions(idx, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(idx, std::ios::binary | std::ios::trunc) << data;
  };
  // A fan-out claiming 2^32 - 1 objects in a file of a few hundred bytes.
  std::string huge = good;
  set_be32(huge, 8 + 255 * 4, 0xFFFFFFFFu);
  rewrite(huge);
  CHECK_FALSE(read_pack_index(idx, nullptr, &why));
  CHECK(why.find("claims 4294967295 objects") != std::string::npos);
  source::PackPositions positions(repo / ".git/objects");
  CHECK(positions.pack_count() == 0);
  REQUIRE(positions.rejected().size() == 1);
  CHECK(positions.rejected()[0].idx_path == idx);

  // Not monotonic.
  std::string bumpy = good;
  set_be32(bumpy, 8 + 10 * 4, 0xFFFFu);
  rewrite(bumpy);
  CHECK_FALSE(read_pack_index(idx, nullptr, &why));
  CHECK(why.find("not monotonic") != std::string::npos);

  // A link to /dev/zero, and a FIFO: refused without reading or blocking.
  fs::remove(idx);
  fs::create_symlink("/dev/zero", idx);
  CHECK_FALSE(read_pack_index(idx, nullptr, &why));
  CHECK(why == "not a regular file");
  CHECK(source::PackPositions(repo / ".git/objects").rejected().size() == 1);
  fs::remove(idx);
  REQUIRE(::mkfifo(idx.c_str(), 0600) == 0);
  CHECK_FALSE(read_pack_index(idx, nullptr, &why));
  CHECK(why == "not a regular file");
}

TEST_CASE("read_regular_file: links refused on request, prefixes, files that grow", "[read_file]")
{
  test::TempDir dir;
  std::ofstream(dir / "plain") << "hello world";
  fs::create_symlink(dir / "plain", dir / "link");
  std::string out;
  ReadFileError err;
  REQUIRE(read_regular_file(dir / "link", 100, out, &err));
  CHECK(out == "hello world");
  ReadFileOptions no_links;
  no_links.follow_final_link = false;
  CHECK_FALSE(read_regular_file(dir / "link", 100, out, &err, no_links));
  CHECK(err.message == "is a symbolic link");
  REQUIRE(read_regular_file(dir / "plain", 100, out, &err, no_links));
  CHECK(out == "hello world");

  ReadFileOptions prefix;
  prefix.prefix_only = true;
  REQUIRE(read_regular_file(dir / "plain", 5, out, &err, prefix));
  CHECK(out == "hello");
  REQUIRE(read_regular_file(dir / "plain", 100, out, &err, prefix));
  CHECK(out == "hello world");

  // /proc files are regular files of size 0 that have content: past the limit they "grow".
  CHECK_FALSE(read_regular_file("/proc/self/status", 8, out, &err));
  CHECK(err.message == "grew beyond 8 bytes while being read");
  REQUIRE(read_regular_file("/proc/self/status", 8, out, &err, prefix));
  CHECK(out.size() == 8);
  REQUIRE(read_regular_file("/proc/self/status", 1 << 20, out, &err));
  CHECK(out.rfind("Name:", 0) == 0);
}

TEST_CASE("read_regular_file into a reused ReadBuffer: any sizes, one after another", "[read_file]")
{
  test::TempDir dir;
  // Sizes around the 64 KiB growth step and a file larger than the buffer so far, then a
  // smaller one: each read must give exactly that file's bytes, never a previous file's tail.
  std::vector<std::size_t> sizes = {0, 1, 100, 65535, 65536, 65537, 300000, 7, 140000, 0};
  ReadBuffer buffer;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::string content(sizes[i], '\0');
    for (std::size_t j = 0; j < content.size(); ++j)
      content[j] = static_cast<char>('a' + (i * 7 + j) % 26);
    std::string name = "f" + std::to_string(i);
    std::ofstream(dir / name, std::ios::binary) << content;
    ReadFileError err;
    INFO("size " << sizes[i]);
    REQUIRE(read_regular_file(dir / name, 1 << 20, buffer, &err));
    CHECK(buffer.size() == content.size());
    CHECK(buffer.view() == content);
  }

  // Failures say why in flags the scanner counts by (too large, a link), and leave it empty.
  std::ofstream(dir / "big") << std::string(5000, 'x');
  fs::create_symlink(dir / "big", dir / "link");
  ReadFileError err;
  CHECK_FALSE(read_regular_file(dir / "big", 4096, buffer, &err));
  CHECK(err.too_large);
  CHECK_FALSE(err.link);
  CHECK(buffer.size() == 0);
  ReadFileOptions no_links;
  no_links.follow_final_link = false;
  ReadFileError link_err;
  CHECK_FALSE(read_regular_file(dir / "link", 1 << 20, buffer, &link_err, no_links));
  CHECK(link_err.link);
  CHECK_FALSE(link_err.too_large);
  // /proc files grow past the limit while read: refused, as with the std::string reader.
  ReadFileError grew;
  CHECK_FALSE(read_regular_file("/proc/self/status", 8, buffer, &grew));
  CHECK(grew.message == "grew beyond 8 bytes while being read");
  CHECK_FALSE(grew.too_large);
}

TEST_CASE("read_regular_file relative to a directory descriptor (dir_fd)", "[read_file]")
{
  // The scanner opens working-tree files relative to the root it lists: same content, same
  // refusals (a final link, a FIFO), and a missing file is still "missing".
  test::TempDir dir;
  fs::create_directories(dir / "sub/deeper");
  std::ofstream(dir / "sub/deeper/plain") << "hello";
  fs::create_symlink(dir / "sub/deeper/plain", dir / "sub/link");
  REQUIRE(::mkfifo((dir / "sub/fifo").c_str(), 0600) == 0);
  int fd = ::open((dir / "sub").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  ReadFileOptions at;
  at.dir_fd = fd;
  at.follow_final_link = false;
  ReadBuffer out;
  ReadFileError err;
  REQUIRE(read_regular_file("deeper/plain", 100, out, &err, at));
  CHECK(out.view() == "hello");
  CHECK_FALSE(read_regular_file("link", 100, out, &err, at));
  CHECK(err.link);
  CHECK_FALSE(read_regular_file("fifo", 100, out, &err, at));
  CHECK(err.message == "not a regular file");
  CHECK_FALSE(read_regular_file("gone", 100, out, &err, at));
  CHECK(err.missing);
  // An absolute path ignores the descriptor, as openat(2) does.
  REQUIRE(read_regular_file(dir / "sub/deeper/plain", 100, out, &err, at));
  CHECK(out.view() == "hello");
  ::close(fd);
}

namespace {
int asked = 0;
bool no_nul_in_head(std::string_view head)
{
  ++asked;
  return head.find('\0') == std::string_view::npos;
}
} // namespace

TEST_CASE("read_regular_file head first: stops after the head only when told", "[read_file]")
{
  test::TempDir dir;
  std::string binary(200000, 'b');
  binary[10] = '\0';
  std::string text(200000, 't');
  text[150000] = '\0'; // past the head: the rest is read all the same
  std::ofstream(dir / "binary", std::ios::binary) << binary;
  std::ofstream(dir / "text", std::ios::binary) << text;
  std::ofstream(dir / "small", std::ios::binary) << std::string(1000, '\0');
  ReadBuffer buffer;
  bool stopped = false;
  ReadFileOptions o;
  o.head_bytes = 65536;
  o.want_rest = &no_nul_in_head;
  o.stopped_early = &stopped;
  asked = 0;
  REQUIRE(read_regular_file(dir / "binary", 1 << 20, buffer, nullptr, o));
  CHECK(stopped);
  CHECK(asked == 1);
  CHECK(buffer.view() == std::string_view(binary).substr(0, 65536));
  stopped = false;
  REQUIRE(read_regular_file(dir / "text", 1 << 20, buffer, nullptr, o));
  CHECK_FALSE(stopped);
  CHECK(asked == 2);
  CHECK(buffer.view() == text);
  // A file no larger than the head is read whole in one go, without asking.
  REQUIRE(read_regular_file(dir / "small", 1 << 20, buffer, nullptr, o));
  CHECK_FALSE(stopped);
  CHECK(asked == 2);
  CHECK(buffer.size() == 1000);
}
