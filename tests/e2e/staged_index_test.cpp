// `zenolint scan --staged` on indexes the fast reader handles (version 4, cached trees, the
// temporary indexes git hands to hooks through GIT_INDEX_FILE), with the real binary and real git.
#include "support/process.hpp"
#include "support/scan_report.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

namespace {

std::string token_line()
{
  return "export ZENODO_TOKEN=" + make_token() + "\n";
}

json scan_staged(const TempRepo& repo, const std::map<std::string, std::string>& env = {})
{
  auto r = repo.zenolint({"scan", "--staged", "--progress", "never", "--format", "json"}, env);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  return json::parse(r.out);
}

// Many files over nested directories, committed; all but one directory stay unchanged.
void build_tree(TempRepo& repo)
{
  for (int d = 0; d < 12; ++d)
    for (int f = 0; f < 5; ++f)
      repo.write("src/mod" + std::to_string(d) + "/deep/file" + std::to_string(f) + ".py",
                 "value = " + std::to_string(d * 10 + f) + "\n");
  repo.write("README.md", "hello\n");
  repo.commit("Tree");
}

} // namespace

TEST_CASE("scan --staged: a token staged deep inside an otherwise unchanged tree, index v4",
          "[e2e][staged]")
{
  TempRepo repo;
  build_tree(repo);
  repo.git({"update-index", "--index-version", "4"});
  CHECK(token_paths(scan_staged(repo)).empty());

  repo.write("src/mod7/deep/file3.py", token_line());
  repo.write("src/mod2/deep/unstaged.py", token_line()); // in the working tree only
  repo.git({"add", "src/mod7/deep/file3.py"});
  auto doc = scan_staged(repo);
  CHECK(token_paths(doc) == std::vector<std::string>{"src/mod7/deep/file3.py"});
  CHECK(doc["stats"]["files"] == 61);
  CHECK(doc["stats"]["blobs_scanned"] == 1);
}

TEST_CASE("scan --staged: GIT_INDEX_FILE, absolute and relative to the work tree top",
          "[e2e][staged]")
{
  TempRepo repo;
  build_tree(repo);
  repo.write("src/mod4/deep/file1.py", token_line());
  auto options = repo.options();
  options.env["GIT_INDEX_FILE"] = repo / ".git/alt-index";
  must_run({"git", "read-tree", "HEAD"}, options);
  must_run({"git", "add", "src/mod4/deep/file1.py"}, options);

  CHECK(token_paths(scan_staged(repo)).empty()); // the default index stages nothing
  auto expected = std::vector<std::string>{"src/mod4/deep/file1.py"};
  CHECK(token_paths(scan_staged(repo, {{"GIT_INDEX_FILE", repo / ".git/alt-index"}})) == expected);
  CHECK(token_paths(scan_staged(repo, {{"GIT_INDEX_FILE", ".git/alt-index"}})) == expected);
}

TEST_CASE("scan --staged: the hook sees the temporary index of commit -a and commit <path>",
          "[e2e][staged][hooks]")
{
  TempRepo repo;
  build_tree(repo);
  REQUIRE(repo.zenolint({"install-hook"}).status == 0);
  repo.write("src/mod9/deep/file0.py", token_line()); // tracked, modified, not staged
  const std::string before = repo.head();

  SECTION("commit -a")
  {
    auto r = repo.try_git({"commit", "-a", "-m", "all"});
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("src/mod9/deep/file0.py:1:21"));
    CHECK(repo.head() == before);
  }
  SECTION("commit <path>")
  {
    auto r = repo.try_git({"commit", "-m", "one path", "src/mod9/deep/file0.py"});
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("src/mod9/deep/file0.py:1:21"));
    CHECK(repo.head() == before);
  }
  SECTION("plain commit of an unrelated staged change passes")
  {
    repo.write("src/mod1/deep/file1.py", "value = 'clean'\n");
    repo.git({"add", "src/mod1/deep/file1.py"});
    auto r = repo.try_git({"commit", "-m", "clean"});
    CHECK(r.status == 0);
    CHECK(repo.head() != before);
  }
}

// Regression (issue 14): a staged path 30,000 directories deep (git accepts it) overflowed the
// stack in the staged index diff, so the pre-commit hook crashed on every commit.
TEST_CASE("scan --staged: a token staged 30,000 directories deep", "[e2e][staged][dos]")
{
  TempRepo repo;
  repo.write("README.md", "hello\n");
  repo.commit("Start");
  repo.write("token.txt", token_line());
  std::string blob = repo.git({"hash-object", "-w", "token.txt"});
  blob.erase(blob.find_last_not_of("\n") + 1);
  std::string deep;
  for (int i = 0; i < 30000; ++i)
    deep += "d/";
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + "," + deep + "t.env"});
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + "," + deep + "u.env"});
  auto paths = token_paths(scan_staged(repo));
  REQUIRE(paths.size() == 2);
  CHECK(paths[0] == deep + "t.env");
  CHECK(paths[1] == deep + "u.env");
}

TEST_CASE(
    "scan --staged: GIT_DIR and GIT_WORK_TREE (a bare dotfiles repository), from the hook too",
    "[e2e][staged][hooks]")
{
  // libgit2 1.5 refuses GIT_WORK_TREE when it reads the environment itself ("unimplemented").
  TempRepo bare(true);
  TempDir home;
  auto opts = bare.work_tree_options(home.path());
  write_file(home / ".profile", "umask 022\n");
  must_run({"git", "add", ".profile"}, opts);
  must_run({"git", "commit", "-q", "-m", "dotfiles"}, opts);
  write_file(home / ".bashrc", token_line());
  must_run({"git", "add", ".bashrc"}, opts);

  auto r = run_zenolint({"scan", "--staged", "--progress", "never", "--format", "json"}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.status == 1);
  CHECK(token_paths(json::parse(r.out)) == std::vector<std::string>{".bashrc"});

  // The same through git itself: `git --git-dir --work-tree commit` runs the pre-commit hook with
  // GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE set; the hook refuses the commit.
  write_file(bare / "hooks/pre-commit",
             "#!/bin/sh\nexec \"$ZENOLINT_UNDER_TEST\" scan --staged --progress never\n");
  must_run({"chmod", "+x", bare / "hooks/pre-commit"});
  RunOptions git_opts = bare.options();
  git_opts.cwd = home.path();
  git_opts.env["ZENOLINT_UNDER_TEST"] = ZENOLINT_BINARY;
  auto commit = run(
      {"git", "--git-dir", bare.path(), "--work-tree", home.path(), "commit", "-q", "-m", "token"},
      git_opts);
  INFO("commit stdout: " << commit.out << "\nstderr: " << commit.err);
  CHECK(commit.status != 0);
  CHECK(commit.err.find(".bashrc") != std::string::npos);
  CHECK(commit.err.find("unimplemented") == std::string::npos);
  // Unstage the token: the hook lets the commit through.
  must_run({"git", "rm", "-q", "--cached", ".bashrc"}, opts);
  write_file(home / ".vimrc", "set nocompatible\n");
  must_run({"git", "add", ".vimrc"}, opts);
  auto clean = run(
      {"git", "--git-dir", bare.path(), "--work-tree", home.path(), "commit", "-q", "-m", "vim"},
      git_opts);
  INFO("clean commit stderr: " << clean.err);
  CHECK(clean.status == 0);
}

TEST_CASE("scan --staged: the pre-commit path never initialises libgit2, and falls back to it",
          "[e2e][staged]")
{
  // ZENOLINT_PHASES prints whether libgit2 was initialised (git::initialised) after the report.
  TempRepo repo;
  build_tree(repo);
  repo.git({"gc", "-q"}); // HEAD's commit and trees in a pack, the branch in packed-refs
  repo.write("src/mod3/deep/file1.py", token_line());
  repo.git({"add", "src/mod3/deep/file1.py"}); // the staged blob is a loose object
  auto run = [&](const std::map<std::string, std::string>& env) {
    auto r = repo.zenolint({"scan", "--staged", "--progress", "never", "--format", "json"}, env);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 1);
    CHECK(token_paths(json::parse(r.out)) == std::vector<std::string>{"src/mod3/deep/file1.py"});
    return r.err;
  };
  std::string err = run({{"ZENOLINT_PHASES", "1"}});
  CHECK_THAT(err, Catch::Contains("libgit2: not initialised"));
  // Built with ZENOLINT_LAZY_LIBGIT2 (x86-64), the executable does not even map it.
  if (ZENOLINT_LAZY_LIBGIT2)
    CHECK_THAT(err, Catch::Contains("libgit2: not initialised, not loaded"));

  // A layout the own discovery refuses (`.git` a symbolic link): libgit2 reads the repository.
  TempDir elsewhere;
  std::filesystem::rename(repo / ".git", elsewhere / "real.git");
  std::filesystem::create_directory_symlink(elsewhere / "real.git", repo / ".git");
  CHECK_THAT(run({{"ZENOLINT_PHASES", "1"}}), Catch::Contains("libgit2: initialised, loaded"));
}

TEST_CASE("scan --staged: a token staged in a linked worktree", "[e2e][staged]")
{
  TempRepo repo;
  build_tree(repo);
  TempDir parent;
  std::string wt = parent / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt});
  write_file(wt + "/src/mod1/deep/file0.py", token_line());
  auto options = repo.options();
  options.cwd = wt;
  must_run({"git", "add", "src/mod1/deep/file0.py"}, options);
  options.env["ZENOLINT_PHASES"] = "1";
  auto r = run({ZENOLINT_BINARY, "scan", "--staged", "--progress", "never", "--format", "json"},
               options);
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(token_paths(json::parse(r.out)) == std::vector<std::string>{"src/mod1/deep/file0.py"});
  CHECK_THAT(r.err, Catch::Contains("libgit2: not initialised"));
  // The main worktree has nothing staged.
  CHECK(token_paths(scan_staged(repo)).empty());
}
