// core/atomic_file.hpp: the previous file survives every failure.
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace zenolint;
using zenolint::test::read_file;
using zenolint::test::TempDir;
using zenolint::test::write_file;
namespace fs = std::filesystem;

namespace {

std::size_t entries(const std::string& dir)
{
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
    ++n;
  return n;
}

mode_t mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

} // namespace

TEST_CASE("atomic file: a writer that throws mid-write keeps the old report", "[core][atomic]")
{
  TempDir dir;
  write_file(dir / "report.json", "old report\n");
  CHECK_THROWS_AS(write_file_atomically(dir / "report.json",
                                        [](std::ostream& out) {
                                          out << "half of a new rep";
                                          throw std::runtime_error("invalid UTF-8");
                                        }),
                  std::runtime_error);
  CHECK(read_file(dir / "report.json") == "old report\n");
  CHECK(entries(dir.path()) == 1); // no temporary file left behind
}

TEST_CASE("atomic file: replaces the content, keeps the mode, creates new files", "[core][atomic]")
{
  TempDir dir;
  write_file(dir / "a.txt", "old");
  REQUIRE(::chmod((dir / "a.txt").c_str(), 0640) == 0);
  write_file_atomically(dir / "a.txt", std::string_view("new"));
  CHECK(read_file(dir / "a.txt") == "new");
  CHECK(mode_of(dir / "a.txt") == 0640);
  // Asked for 0600 (a report with secrets), an existing wider file narrows.
  write_file_atomically(dir / "a.txt", std::string_view("secret"), 0600);
  CHECK(mode_of(dir / "a.txt") == 0600);

  write_file_atomically(dir / "b.txt", std::string_view("fresh"), 0600);
  CHECK(read_file(dir / "b.txt") == "fresh");
  CHECK(mode_of(dir / "b.txt") == 0600);
  CHECK(entries(dir.path()) == 2);
}

TEST_CASE("atomic file: a link at the target is replaced, never written through", "[core][atomic]")
{
  TempDir dir;
  write_file(dir / "victim.txt", "precious");
  REQUIRE(::symlink((dir / "victim.txt").c_str(), (dir / "report.txt").c_str()) == 0);
  write_file_atomically(dir / "report.txt", std::string_view("report"));
  CHECK(read_file(dir / "victim.txt") == "precious");
  CHECK(fs::is_regular_file(fs::symlink_status(dir / "report.txt")));
  CHECK(read_file(dir / "report.txt") == "report");
}

TEST_CASE("atomic file: errors name the file and leave nothing behind", "[core][atomic]")
{
  TempDir dir;
  fs::create_directory(dir / "sub");
  try {
    write_file_atomically(dir / "sub", std::string_view("x"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains(dir / "sub") && Catch::Contains("directory"));
  }
  try {
    write_file_atomically(dir / "missing/report.txt", std::string_view("x"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains(dir / "missing/report.txt"));
  }
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("atomic file: a FIFO or character device at the target is written in place, never "
          "replaced",
          "[core][atomic][hostile]")
{
  TempDir dir;
  // A FIFO with a reader gets the content, and stays a FIFO.
  const std::string fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  write_file_atomically(fifo, "report\n");
  char buf[16] = {};
  CHECK(::read(reader, buf, sizeof buf) == 7);
  CHECK(std::string(buf) == "report\n");
  ::close(reader);
  struct stat st {};
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  // Without a reader: an error at once (not a wait), and the FIFO is still there.
  CHECK_THROWS_WITH(write_file_atomically(fifo, "report\n"), Catch::Contains(fifo));
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(entries(dir.path()) == 1);

  // A device node of our own (root can make one): /dev/full's and /dev/null's numbers. Renaming
  // a report over /dev/null as root would break every later program on the machine.
  if (::geteuid() != 0) {
    WARN("not root: device nodes not tested");
    return;
  }
  const std::string full = dir / "full";
  const std::string null = dir / "null";
  REQUIRE(::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0);
  REQUIRE(::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  CHECK_THROWS_WITH(write_file_atomically(full, "report\n"),
                    Catch::Contains(full) && Catch::Contains("No space left on device"));
  write_file_atomically(null, "report\n");
  for (const auto& dev : {full, null}) {
    REQUIRE(::lstat(dev.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
  CHECK(entries(dir.path()) == 3); // no temporary file left behind
}
