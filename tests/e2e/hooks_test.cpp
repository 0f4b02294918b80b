// The hooks with real git: the native pre-commit/pre-push scripts installed by `zenolint
// install-hook`, and the pre-commit framework (Debian's pre-commit) running .pre-commit-hooks.yaml.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace zenolint::test;
namespace fs = std::filesystem;

namespace {

std::string token_line()
{
  return "export ZENODO_TOKEN=" + make_token() + "\n";
}

// Number of commits on HEAD (0 when unborn).
int commit_count(const TempRepo& repo)
{
  auto r = repo.try_git({"rev-list", "--count", "HEAD"});
  return r.status == 0 ? std::stoi(r.out) : 0;
}

struct HookedRepo {
  TempRepo repo;
  HookedRepo()
  {
    auto r = repo.zenolint({"install-hook"});
    REQUIRE(r.status == 0);
  }
  RunResult commit(const std::vector<std::string>& extra = {})
  {
    std::vector<std::string> args{"commit", "-m", "change"};
    args.insert(args.end(), extra.begin(), extra.end());
    return repo.try_git(args);
  }
};

} // namespace

TEST_CASE("pre-commit hook: a staged token blocks the commit", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write("README.md", "hello\n");
  h.repo.git({"add", "README.md"});
  REQUIRE(h.commit().status == 0);
  h.repo.write("deploy.sh", token_line());
  h.repo.git({"add", "deploy.sh"});
  auto r = h.commit();
  CHECK(r.status != 0);
  CHECK_THAT(r.err, Catch::Contains("deploy.sh:1:21  zenodo/assignment"));
  CHECK_THAT(r.err, Catch::Contains("git restore --staged") && Catch::Contains("zenolint:allow") &&
                        Catch::Contains("--no-verify"));
  CHECK(commit_count(h.repo) == 1);
}

TEST_CASE("pre-commit hook: the initial commit is checked too", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write("deploy.sh", token_line());
  h.repo.git({"add", "deploy.sh"});
  CHECK(h.commit().status != 0);
  CHECK(commit_count(h.repo) == 0);
  h.repo.write("deploy.sh", "export ZENODO_TOKEN=\"$ZENODO_TOKEN\"\n");
  h.repo.git({"add", "deploy.sh"});
  CHECK(h.commit().status == 0);
  CHECK(commit_count(h.repo) == 1);
}

TEST_CASE("pre-commit hook: only the staged blob counts, not the working tree", "[e2e][hooks]")
{
  HookedRepo h;
  SECTION("token only in the working tree, clean version staged: passes")
  {
    h.repo.write("app.py", "zenodo_token = os.environ['ZENODO_TOKEN']\n");
    h.repo.git({"add", "app.py"});
    h.repo.write("app.py", "zenodo_token = '" + make_token() + "'\n");
    auto r = h.commit();
    CHECK(r.status == 0);
    CHECK(commit_count(h.repo) == 1);
  }
  SECTION("token staged, clean version in the working tree: blocks")
  {
    h.repo.write("app.py", "zenodo_token = '" + make_token() + "'\n");
    h.repo.git({"add", "app.py"});
    h.repo.write("app.py", "zenodo_token = os.environ['ZENODO_TOKEN']\n");
    CHECK(h.commit().status != 0);
    CHECK(commit_count(h.repo) == 0);
  }
}

TEST_CASE("pre-commit hook: git commit -a with a token in a tracked file blocks", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write("run.sh", "echo hi\n");
  h.repo.git({"add", "run.sh"});
  REQUIRE(h.commit().status == 0);
  h.repo.write("run.sh", "echo hi\n" + token_line());
  auto r = h.repo.try_git({"commit", "-a", "-m", "oops"});
  CHECK(r.status != 0);
  CHECK_THAT(r.err, Catch::Contains("run.sh:2:21"));
  CHECK(commit_count(h.repo) == 1);
  // `git commit <path>` uses a temporary index as well.
  auto r2 = h.repo.try_git({"commit", "-m", "oops", "run.sh"});
  CHECK(r2.status != 0);
  CHECK(commit_count(h.repo) == 1);
}

TEST_CASE("pre-commit hook: renames and binary files", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write("clean.txt", "nothing\n");
  h.repo.write("old.sh", token_line());
  h.repo.git({"add", "-A"});
  REQUIRE(h.commit({"--no-verify"}).status == 0);
  SECTION("renaming a clean file passes")
  {
    h.repo.git({"mv", "clean.txt", "moved.txt"});
    CHECK(h.commit().status == 0);
  }
  SECTION("renaming a file that holds a token commits the token at a new path: blocks")
  {
    h.repo.git({"mv", "old.sh", "new.sh"});
    auto r = h.commit();
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("new.sh:1:21"));
  }
  SECTION("a binary file is not content")
  {
    h.repo.write("blob.bin", std::string("ZENODO_TOKEN=") + make_token() + std::string(4, '\0'));
    h.repo.git({"add", "blob.bin"});
    CHECK(h.commit().status == 0);
  }
}

TEST_CASE("pre-commit hook: a staged credential file blocks, whatever its content", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write(".zenodorc", "[ZENODO]\nMYTOKEN_ALL = <FIXME>\n");
  h.repo.git({"add", ".zenodorc"});
  auto r = h.commit();
  CHECK(r.status != 0);
  CHECK_THAT(r.err, Catch::Contains(".zenodorc:1:1  config/tracked-credential-file  error"));
  CHECK(commit_count(h.repo) == 0);
}

TEST_CASE("pre-commit hook: --no-verify bypasses it", "[e2e][hooks]")
{
  HookedRepo h;
  h.repo.write("deploy.sh", token_line());
  h.repo.git({"add", "deploy.sh"});
  CHECK(h.commit({"--no-verify"}).status == 0);
  CHECK(commit_count(h.repo) == 1);
}

TEST_CASE("pre-push hook: pushes of new commits are scanned", "[e2e][hooks]")
{
  TempRepo repo;
  TempDir remote;
  must_run({"git", "init", "-q", "--bare", remote.path()}, repo.options());
  repo.git({"remote", "add", "origin", remote.path()});
  REQUIRE(repo.zenolint({"install-hook", "--pre-push"}).status == 0);
  repo.write("README.md", "hello\n");
  repo.commit("first");
  CHECK(repo.try_git({"push", "-q", "origin", "main"}).status == 0);

  repo.write("deploy.sh", token_line());
  repo.commit("add deploy");
  repo.write("README.md", "hello again\n");
  repo.commit("readme");
  auto r = repo.try_git({"push", "-q", "origin", "main"});
  CHECK(r.status != 0);
  CHECK_THAT(r.err, Catch::Contains("deploy.sh:1:21") && Catch::Contains("push refused"));
  // The remote did not move.
  auto remote_head = must_run({"git", "--git-dir", remote.path(), "rev-parse", "main"});
  CHECK(remote_head.substr(0, 40) != repo.head());

  // Pushed anyway (--no-verify); a new branch with only clean new commits then passes, because
  // commits already on a remote-tracking ref are not scanned again.
  REQUIRE(repo.try_git({"push", "-q", "--no-verify", "origin", "main"}).status == 0);
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("feature.txt", "clean\n");
  repo.commit("feature");
  CHECK(repo.try_git({"push", "-q", "origin", "feature"}).status == 0);
  // A new branch whose new commit has a token is refused.
  repo.git({"checkout", "-q", "-b", "leaky"});
  repo.write("leak.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.commit("leak");
  CHECK(repo.try_git({"push", "-q", "origin", "leaky"}).status != 0);
  // Deleting a remote branch is not scanned and passes.
  CHECK(repo.try_git({"push", "-q", "origin", "--delete", "feature"}).status == 0);
}

namespace {

// A hook repository holding this project's .pre-commit-hooks.yaml, and a user repository that
// uses it through the pre-commit framework, with zenolint on PATH.
struct FrameworkRepo {
  TempRepo hooks;
  TempRepo repo;
  TempDir cache;
  RunOptions opts;
  explicit FrameworkRepo(const std::string& hook_types = "pre-commit")
  {
    hooks.write(".pre-commit-hooks.yaml",
                read_file(std::string(ZENOLINT_SOURCE_DIR) + "/.pre-commit-hooks.yaml"));
    std::string rev = hooks.commit("hooks");
    repo.write(".pre-commit-config.yaml",
               "repos:\n  - repo: " + hooks.path() + "\n    rev: " + rev +
                   "\n    hooks:\n      - id: zenolint\n      - id: zenolint-pre-push\n");
    opts = repo.options();
    opts.env["PRE_COMMIT_HOME"] = cache.path();
    opts.env["PATH"] = fs::path(ZENOLINT_BINARY).parent_path().string() + ":" + std::getenv("PATH");
    auto r = run({"pre-commit", "install", "--hook-type", hook_types}, opts);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    repo.git({"add", ".pre-commit-config.yaml"});
  }
  RunResult git(const std::vector<std::string>& args, std::map<std::string, std::string> env = {})
  {
    RunOptions o = opts;
    for (auto& [k, v] : env)
      o.env[k] = v;
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, o);
  }
};

} // namespace

TEST_CASE("pre-commit framework: the zenolint hook blocks staged tokens",
          "[e2e][hooks][pre-commit]")
{
  FrameworkRepo f;
  f.repo.write("clean.txt", "hello\n");
  f.repo.git({"add", "clean.txt"});
  auto ok = f.git({"commit", "-m", "clean"});
  INFO(ok.out << ok.err);
  CHECK(ok.status == 0);
  CHECK(commit_count(f.repo) == 1);

  f.repo.write("deploy.sh", token_line());
  f.repo.git({"add", "deploy.sh"});
  auto blocked = f.git({"commit", "-m", "token"});
  CHECK(blocked.status != 0);
  CHECK_THAT(blocked.out + blocked.err, Catch::Contains("deploy.sh:1:21"));
  CHECK(commit_count(f.repo) == 1);

  auto skipped = f.git({"commit", "-m", "token"}, {{"SKIP", "zenolint"}});
  CHECK(skipped.status == 0);
  CHECK(commit_count(f.repo) == 2);
}

TEST_CASE("pre-commit framework: the pre-push hook refuses tokens in pushed commits",
          "[e2e][hooks][pre-commit]")
{
  FrameworkRepo f("pre-push");
  TempDir remote;
  must_run({"git", "init", "-q", "--bare", remote.path()}, f.opts);
  f.repo.git({"remote", "add", "origin", remote.path()});
  f.repo.write("README.md", "hi\n");
  f.repo.commit("first");
  auto first = f.git({"push", "-q", "origin", "main"});
  INFO(first.out << first.err);
  CHECK(first.status == 0);
  f.repo.write("deploy.sh", token_line());
  f.repo.commit("token");
  auto refused = f.git({"push", "-q", "origin", "main"});
  CHECK(refused.status != 0);
  CHECK_THAT(refused.out + refused.err, Catch::Contains("deploy.sh"));
}
