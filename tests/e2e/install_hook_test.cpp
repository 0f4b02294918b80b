// `zenolint install-hook`: hooks directory, core.hooksPath, refusing to overwrite, --force.
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace zenolint::test;
namespace fs = std::filesystem;

TEST_CASE("install-hook writes an executable hook that runs zenolint from PATH",
          "[e2e][install-hook]")
{
  TempRepo repo;
  auto r = repo.zenolint({"install-hook"});
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("installed pre-commit hook"));
  std::string hook = repo / ".git/hooks/pre-commit";
  REQUIRE(fs::exists(hook));
  struct stat st {};
  REQUIRE(::stat(hook.c_str(), &st) == 0);
  CHECK((st.st_mode & 0111) != 0);
  auto text = read_file(hook);
  CHECK_THAT(text, Catch::Contains("scan --staged"));
  CHECK_THAT(text, Catch::Contains("ZENOLINT=${ZENOLINT:-zenolint}"));
  CHECK_THAT(text, !Catch::Contains(ZENOLINT_BINARY)); // survives moving or upgrading zenolint
  // Installing again is a no-op that says so.
  auto again = repo.zenolint({"install-hook"});
  CHECK(again.status == 0);
  CHECK_THAT(again.out, Catch::Contains("already installed"));
}

TEST_CASE("install-hook refuses to overwrite a different hook without --force",
          "[e2e][install-hook]")
{
  TempRepo repo;
  write_file(repo / ".git/hooks/pre-push", "#!/bin/sh\necho mine\n");
  auto r = repo.zenolint({"install-hook", "--pre-push"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("pre-push") && Catch::Contains("--force") &&
                        Catch::Contains("--append"));
  CHECK(read_file(repo / ".git/hooks/pre-push") == "#!/bin/sh\necho mine\n");
  auto forced = repo.zenolint({"install-hook", "--pre-push", "--force"});
  CHECK(forced.status == 0);
  CHECK_THAT(forced.out, Catch::Contains("replacing"));
  CHECK_THAT(read_file(repo / ".git/hooks/pre-push"), Catch::Contains("--range"));
}

TEST_CASE("install-hook respects core.hooksPath", "[e2e][install-hook]")
{
  TempRepo repo;
  repo.git({"config", "core.hooksPath", "tools/hooks"});
  fs::create_directories(repo / "sub/dir");
  RunOptions o = repo.options();
  o.cwd = repo / "sub/dir";
  std::vector<std::string> argv{ZENOLINT_BINARY, "install-hook"};
  auto r = run(argv, o);
  CHECK(r.status == 0);
  CHECK(fs::exists(repo / "tools/hooks/pre-commit"));
  CHECK_FALSE(fs::exists(repo / ".git/hooks/pre-commit"));
  // An absolute hooksPath too.
  TempDir elsewhere;
  repo.git({"config", "core.hooksPath", elsewhere.path()});
  CHECK(repo.zenolint({"install-hook", "--pre-push"}).status == 0);
  CHECK(fs::exists(elsewhere / "pre-push"));
}

TEST_CASE("install-hook outside a repository is an error", "[e2e][install-hook]")
{
  TempDir dir;
  auto r = run({ZENOLINT_BINARY, "install-hook", dir.path()});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("not inside a git repository"));
}

namespace {

unsigned mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

} // namespace

TEST_CASE("install-hook never writes through a tracked pre-commit.zenolint-tmp link",
          "[e2e][install-hook]")
{
  // A repository ships its hooks directory with a planted link where older zenolints wrote their
  // temporary file; the victim outside the repository must keep its content and mode.
  TempDir outside;
  write_file(outside / "victim", "precious\n");
  REQUIRE(::chmod((outside / "victim").c_str(), 0644) == 0);
  TempRepo repo;
  fs::create_directories(repo / ".githooks");
  fs::create_symlink(outside / "victim", repo / ".githooks/pre-commit.zenolint-tmp");
  repo.write("README", "hello\n");
  repo.commit("hooks");
  repo.git({"config", "core.hooksPath", ".githooks"});

  auto r = repo.zenolint({"install-hook"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(read_file(outside / "victim") == "precious\n");
  CHECK(mode_of(outside / "victim") == 0644);
  CHECK(fs::is_symlink(repo / ".githooks/pre-commit.zenolint-tmp"));
  CHECK_THAT(read_file(repo / ".githooks/pre-commit"), Catch::Contains("scan --staged"));
  CHECK(mode_of(repo / ".githooks/pre-commit") == 0755);
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(repo / ".githooks"))
    files += e.path().filename().string().find(".zenolint-") != std::string::npos &&
             e.path().filename() != "pre-commit.zenolint-tmp";
  CHECK(files == 0);
}

TEST_CASE("install-hook replaces a hook that is a link, never its target", "[e2e][install-hook]")
{
  TempDir outside;
  write_file(outside / "victim", "precious\n");
  REQUIRE(::chmod((outside / "victim").c_str(), 0644) == 0);
  TempRepo repo;
  fs::create_symlink(outside / "victim", repo / ".git/hooks/pre-commit");
  auto r = repo.zenolint({"install-hook"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("symbolic link") && Catch::Contains("--force"));
  auto forced = repo.zenolint({"install-hook", "--force"});
  CHECK(forced.status == 0);
  CHECK_THAT(forced.out, Catch::Contains("the link itself"));
  CHECK_FALSE(fs::is_symlink(repo / ".git/hooks/pre-commit"));
  CHECK_THAT(read_file(repo / ".git/hooks/pre-commit"), Catch::Contains("scan --staged"));
  CHECK(read_file(outside / "victim") == "precious\n");
  CHECK(mode_of(outside / "victim") == 0644);

  // A FIFO planted as the hook does not make install-hook block.
  TempRepo fifo_repo;
  REQUIRE(::mkfifo((fifo_repo / ".git/hooks/pre-push").c_str(), 0644) == 0);
  auto f = fifo_repo.zenolint({"install-hook", "--pre-push"});
  CHECK(f.status == 2);
  CHECK_THAT(f.err, Catch::Contains("--force"));
}

TEST_CASE("install-hook refuses a relative core.hooksPath that leads outside through a link",
          "[e2e][install-hook]")
{
  TempDir outside;
  TempRepo repo;
  fs::create_symlink(outside.path(), repo / ".githooks");
  repo.write("README", "hello\n");
  repo.commit("hooks link");
  repo.git({"config", "core.hooksPath", ".githooks"});
  auto r = repo.zenolint({"install-hook"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("core.hooksPath '.githooks'") &&
                        Catch::Contains("outside the repository"));
  CHECK(fs::is_empty(outside.path()));

  // Under a linked directory too.
  repo.git({"config", "core.hooksPath", ".githooks/deeper"});
  CHECK(repo.zenolint({"install-hook"}).status == 2);
  CHECK(fs::is_empty(outside.path()));

  // Set to the directory itself (absolute), the user's choice is followed.
  repo.git({"config", "core.hooksPath", outside.path()});
  CHECK(repo.zenolint({"install-hook"}).status == 0);
  CHECK(fs::exists(outside / "pre-commit"));
}
