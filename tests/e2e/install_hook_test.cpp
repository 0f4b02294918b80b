// `zenolint install-hook`: hooks directory, core.hooksPath, refusing to overwrite, --force.
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace zenolint::test;
namespace fs = std::filesystem;

TEST_CASE("install-hook writes an executable hook that pins this binary", "[e2e][install-hook]")
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
  CHECK_THAT(text, Catch::Contains(std::string("ZENOLINT=${ZENOLINT:-'") + ZENOLINT_BINARY + "'}"));
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
  CHECK_THAT(r.err, Catch::Contains("pre-push") && Catch::Contains("--force"));
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
