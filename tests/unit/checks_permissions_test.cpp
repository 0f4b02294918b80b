// checks::fix_mode_0600: --fix changes only regular files of the calling user inside the root,
// reached without any symbolic link. Real files, links, FIFOs and owners in a temp dir.
#include "checks/permissions.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace zenolint::test;
using zenolint::checks::fix_mode_0600;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string put(const std::string& path, mode_t mode)
{
  write_file(path, "[ZENODO]\nkey = value\n");
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

} // namespace

TEST_CASE("fix_mode_0600 changes a regular file of the user inside the root", "[permissions]")
{
  TempDir root;
  auto p = put(root / "a/b/.zenodorc", 0664);
  auto r = fix_mode_0600(root.path(), p);
  INFO(r.why_not);
  CHECK(r.changed);
  CHECK(r.old_mode == 0664);
  CHECK(mode_of(p) == 0600);
  CHECK(read_file(p) == "[ZENODO]\nkey = value\n");

  // A mode without owner read or write is still fixed (the descriptor is opened for writing,
  // nothing is written).
  auto q = put(root / "q", 0244);
  CHECK(fix_mode_0600(root.path(), q).changed);
  CHECK(mode_of(q) == 0600);

  // A root given with a trailing slash, and a relative file name.
  auto s = put(root / "s", 0644);
  auto cwd = fs::current_path();
  fs::current_path(root.path());
  bool changed = fix_mode_0600(root.path() + "/", "s").changed;
  fs::current_path(cwd);
  CHECK(changed);
  CHECK(mode_of(s) == 0600);
}

TEST_CASE("fix_mode_0600 never follows a symbolic link to the file", "[permissions]")
{
  TempDir root, elsewhere;
  auto victim = put(elsewhere / "diary.txt", 0644);
  fs::create_symlink(victim, root / ".zenodorc");
  auto r = fix_mode_0600(root.path(), root / ".zenodorc");
  CHECK_FALSE(r.changed);
  CHECK(r.why_not.find("symbolic link") != std::string::npos);
  CHECK(mode_of(victim) == 0644);

  // Even a link to a file inside the root is not followed.
  auto inside = put(root / "real", 0644);
  fs::create_symlink("real", root / "alias");
  CHECK_FALSE(fix_mode_0600(root.path(), root / "alias").changed);
  CHECK(mode_of(inside) == 0644);
}

TEST_CASE("fix_mode_0600 never walks through a symbolic link to a directory", "[permissions]")
{
  TempDir root, elsewhere;
  auto victim = put(elsewhere / "cfg/.zenodorc", 0644);
  fs::create_symlink(elsewhere / "cfg", root / "cfg");
  auto r = fix_mode_0600(root.path(), root / "cfg/.zenodorc");
  CHECK_FALSE(r.changed);
  CHECK(r.why_not.find("directory " + root / "cfg" + " is a symbolic link") != std::string::npos);
  CHECK(mode_of(victim) == 0644);

  // Deeper: a link two levels down.
  fs::create_directories(root / "x");
  fs::create_symlink(elsewhere.path(), root / "x/y");
  CHECK_FALSE(fix_mode_0600(root.path(), root / "x/y/cfg/.zenodorc").changed);
  CHECK(mode_of(victim) == 0644);
}

TEST_CASE("fix_mode_0600 refuses files outside the root", "[permissions]")
{
  TempDir base;
  fs::create_directories(base / "root");
  auto victim = put(base / "victim", 0644);
  for (const auto& path : {base / "root/../victim", base / "victim", std::string("/etc/passwd")}) {
    auto r = fix_mode_0600(base / "root", path);
    INFO(path);
    CHECK_FALSE(r.changed);
    CHECK(r.why_not.find("outside") != std::string::npos);
  }
  CHECK(mode_of(victim) == 0644);
  CHECK_FALSE(fix_mode_0600("", victim).changed); // no root: nothing changes
  CHECK(mode_of(victim) == 0644);
  // The root itself is not a file to fix.
  CHECK_FALSE(fix_mode_0600(base / "root", base / "root").changed);
}

TEST_CASE("fix_mode_0600 leaves FIFOs, directories and hard-linked files alone", "[permissions]")
{
  TempDir root;
  // A FIFO with no writer: opening it for reading would block without O_NONBLOCK.
  REQUIRE(::mkfifo((root / "fifo").c_str(), 0644) == 0);
  auto r = fix_mode_0600(root.path(), root / "fifo");
  CHECK_FALSE(r.changed);
  CHECK(r.why_not == "not a regular file");
  CHECK(mode_of(root / "fifo") == 0644);

  fs::create_directories(root / "dir");
  REQUIRE(::chmod((root / "dir").c_str(), 0755) == 0);
  CHECK_FALSE(fix_mode_0600(root.path(), root / "dir").changed);
  CHECK(mode_of(root / "dir") == 0755);

  TempDir elsewhere;
  auto victim = put(elsewhere / "victim", 0644);
  REQUIRE(::link(victim.c_str(), (root / ".zenodorc").c_str()) == 0);
  auto h = fix_mode_0600(root.path(), root / ".zenodorc");
  CHECK_FALSE(h.changed);
  CHECK(h.why_not.find("2 hard links") != std::string::npos);
  CHECK(mode_of(victim) == 0644);
}

TEST_CASE("fix_mode_0600 leaves files of other users alone", "[permissions]")
{
  TempDir root;
  auto p = put(root / ".zenodorc", 0644);
  // The test suite runs as root, which may give a file away.
  REQUIRE(::geteuid() == 0);
  REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
  auto r = fix_mode_0600(root.path(), p);
  CHECK_FALSE(r.changed);
  CHECK(r.why_not.find("owned by uid 65534") != std::string::npos);
  CHECK(mode_of(p) == 0644);
}
