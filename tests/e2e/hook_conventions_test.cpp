// install-hook conventions with real git: the hook finds zenolint on PATH (and says what to do when
// it is missing), --append chains after an existing hook, uninstall-hook, --global.
#include "support/process.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace zenolint::test;
namespace fs = std::filesystem;

namespace {

std::string token_line()
{
  return "export ZENODO_TOKEN=" + make_token() + "\n";
}

void write_executable(const std::string& path, const std::string& content)
{
  write_file(path, content);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

} // namespace

TEST_CASE("the hook runs zenolint from PATH and says what to do when it is missing",
          "[e2e][install-hook]")
{
  TempRepo repo;
  REQUIRE(repo.zenolint({"install-hook"}).status == 0);
  repo.write("deploy.sh", token_line());
  repo.git({"add", "deploy.sh"});
  // zenolint on PATH (TempRepo puts the build directory there): the token is blocked.
  auto blocked = repo.try_git({"commit", "-m", "x"});
  CHECK(blocked.status != 0);
  CHECK_THAT(blocked.err, Catch::Contains("commit blocked"));
  // Without zenolint on PATH the hook fails closed, with a clear message.
  auto opts = repo.options();
  opts.env["PATH"] = "/usr/bin:/bin";
  auto missing = run({"git", "commit", "-m", "x"}, opts);
  CHECK(missing.status != 0);
  CHECK_THAT(missing.err, Catch::Contains("'zenolint' is not on PATH"));
  CHECK_THAT(missing.err, Catch::Contains("ZENOLINT"));
  // $ZENOLINT names it explicitly.
  opts.env["ZENOLINT"] = ZENOLINT_BINARY;
  auto named = run({"git", "commit", "-m", "x"}, opts);
  CHECK(named.status != 0);
  CHECK_THAT(named.err, Catch::Contains("commit blocked"));
}

TEST_CASE("install-hook --append runs the existing hook first; uninstall-hook restores it",
          "[e2e][install-hook]")
{
  TempRepo repo;
  std::string hook = repo / ".git/hooks/pre-commit";
  std::string mine = "#!/bin/sh\necho my-hook-ran >&2\n[ ! -e \"$(git rev-parse --show-toplevel)/"
                     "block-me\" ]\n";
  write_executable(hook, mine);
  auto r = repo.zenolint({"install-hook", "--append"});
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("kept the existing pre-commit hook"));
  CHECK(read_file(hook + ".pre-zenolint") == mine);
  CHECK(repo.zenolint({"install-hook", "--append"}).out.find("already installed") !=
        std::string::npos);

  // Both run: a clean commit passes through both.
  repo.write("README", "hello\n");
  repo.git({"add", "README"});
  auto clean = repo.try_git({"commit", "-m", "readme"});
  CHECK(clean.status == 0);
  CHECK_THAT(clean.err, Catch::Contains("my-hook-ran"));
  // The previous hook's failure stops the commit before zenolint.
  repo.write("block-me", "x\n");
  repo.git({"add", "block-me"});
  auto by_mine = repo.try_git({"commit", "-m", "blocked by mine"});
  CHECK(by_mine.status != 0);
  CHECK_THAT(by_mine.err, !Catch::Contains("commit blocked"));
  repo.git({"rm", "-q", "--cached", "block-me"});
  fs::remove(repo / "block-me");
  // zenolint's part blocks a token.
  repo.write("deploy.sh", token_line());
  repo.git({"add", "deploy.sh"});
  auto by_zenolint = repo.try_git({"commit", "-m", "token"});
  CHECK(by_zenolint.status != 0);
  CHECK_THAT(by_zenolint.err, Catch::Contains("my-hook-ran") && Catch::Contains("commit blocked"));

  auto u = repo.zenolint({"uninstall-hook"});
  CHECK(u.status == 0);
  CHECK_THAT(u.out, Catch::Contains("restored the previous hook"));
  CHECK(read_file(hook) == mine);
  CHECK_FALSE(fs::exists(hook + ".pre-zenolint"));
}

TEST_CASE("install-hook --append for pre-push gives both hooks git's stdin", "[e2e][install-hook]")
{
  TempRepo remote(true);
  TempRepo repo;
  repo.git({"remote", "add", "origin", remote.path()});
  std::string hook = repo / ".git/hooks/pre-push";
  write_executable(hook, "#!/bin/sh\nwhile read l; do echo \"mine saw: $l\" >&2; done\n");
  REQUIRE(repo.zenolint({"install-hook", "--pre-push", "--append"}).status == 0);
  repo.write("README", "hello\n");
  repo.git({"add", "README"});
  repo.git({"commit", "-q", "-m", "readme"});
  auto ok = repo.try_git({"push", "-q", "origin", "main"});
  CHECK(ok.status == 0);
  CHECK_THAT(ok.err, Catch::Contains("mine saw: refs/heads/main"));
  repo.write("deploy.sh", token_line());
  repo.git({"add", "deploy.sh"});
  repo.git({"commit", "-q", "-m", "token"});
  auto refused = repo.try_git({"push", "-q", "origin", "main"});
  CHECK(refused.status != 0);
  CHECK_THAT(refused.err, Catch::Contains("mine saw: refs/heads/main"));
  CHECK_THAT(refused.err, Catch::Contains("zenodo/assignment"));
}

TEST_CASE("uninstall-hook removes only zenolint's hook", "[e2e][install-hook]")
{
  TempRepo repo;
  CHECK(repo.zenolint({"uninstall-hook"}).status == 0); // nothing there: nothing to do
  REQUIRE(repo.zenolint({"install-hook", "--pre-push"}).status == 0);
  auto u = repo.zenolint({"uninstall-hook", "--pre-push"});
  CHECK(u.status == 0);
  CHECK_FALSE(fs::exists(repo / ".git/hooks/pre-push"));
  write_executable(repo / ".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n");
  auto refused = repo.zenolint({"uninstall-hook"});
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("not a zenolint hook"));
  CHECK(fs::exists(repo / ".git/hooks/pre-commit"));
  // An older zenolint hook (one that pinned a binary) is updated in place without --force.
  std::string old =
      "#!/bin/sh\n# zenolint pre-push hook: old\nZENOLINT=${ZENOLINT:-'/old/zenolint'}\n";
  write_executable(repo / ".git/hooks/pre-push", old);
  auto updated = repo.zenolint({"install-hook", "--pre-push"});
  CHECK(updated.status == 0);
  CHECK_THAT(updated.out, Catch::Contains("updating"));
  CHECK_THAT(read_file(repo / ".git/hooks/pre-push"), !Catch::Contains("/old/zenolint"));
}

TEST_CASE("install-hook --global sets core.hooksPath in the user's git config",
          "[e2e][install-hook]")
{
  TempRepo repo;
  auto r = repo.zenolint({"install-hook", "--global"});
  REQUIRE(r.status == 0);
  std::string dir = repo.home() + "/.config/git/hooks";
  CHECK_THAT(r.out, Catch::Contains("set core.hooksPath = " + dir));
  auto configured = repo.git({"config", "--global", "core.hooksPath"});
  CHECK(configured == dir + "\n");
  CHECK(fs::exists(dir + "/pre-commit"));
  CHECK_FALSE(fs::exists(repo / ".git/hooks/pre-commit"));

  // Every repository of this user now runs it.
  TempRepo other;
  auto opts = other.options();
  opts.env["HOME"] = repo.home();
  opts.env["XDG_CONFIG_HOME"] = repo.home() + "/.config";
  write_file(other / "deploy.sh", token_line());
  run({"git", "add", "deploy.sh"}, opts);
  auto blocked = run({"git", "commit", "-m", "token"}, opts);
  CHECK(blocked.status != 0);
  CHECK_THAT(blocked.err, Catch::Contains("commit blocked"));

  // An existing global core.hooksPath is used as it is; uninstall leaves the setting alone.
  CHECK(repo.zenolint({"install-hook", "--global", "--pre-push"}).status == 0);
  CHECK(fs::exists(dir + "/pre-push"));
  CHECK(repo.zenolint({"uninstall-hook", "--global"}).status == 0);
  CHECK_FALSE(fs::exists(dir + "/pre-commit"));
  CHECK(fs::exists(dir + "/pre-push"));
  CHECK(repo.git({"config", "--global", "core.hooksPath"}) == dir + "\n");
}
