// The index file reader and the staged source's fast path, checked against the libgit2
// implementation on real indexes written by the git CLI (versions 2, 3 and 4 and the odd cases).
#include "core/error.hpp"
#include "source/index_file.hpp"
#include "source/staged.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

using zenolint::Provenance;
using zenolint::source::enumerate_staged;
using zenolint::source::enumerate_staged_from_index_file;
using zenolint::source::enumerate_staged_libgit2;
using zenolint::source::GitEnvironment;
using zenolint::source::read_index_file;
using zenolint::source::StagedResult;
using zenolint::test::must_run;
using zenolint::test::TempRepo;

namespace {

using Refs = std::vector<std::pair<std::string, std::string>>; // path, blob id (in batch order)

Refs refs(const StagedResult& r)
{
  Refs out;
  for (const auto& o : r.batch.objects) {
    CHECK(o.provenance.kind == Provenance::Kind::staged);
    out.emplace_back(o.provenance.path, o.id.hex());
  }
  return out;
}

// The fast path must run (no fallback) and agree with libgit2 on everything, stats included.
Refs fast_equals_libgit2(const TempRepo& repo, const GitEnvironment& env = {})
{
  std::string why;
  auto fast = enumerate_staged_from_index_file(repo.path(), env, &why);
  INFO("fast path refused: " << why);
  REQUIRE(fast);
  auto slow = enumerate_staged_libgit2(repo.path(), env);
  CHECK(refs(*fast) == refs(slow));
  CHECK(fast->batch.stats.files == slow.batch.stats.files);
  CHECK(fast->git_dir == slow.git_dir);
  return refs(*fast);
}

// A tree with nested directories, a symlink and a gitlink, committed, then a mix of staged changes.
void build_mixed_history(TempRepo& repo)
{
  repo.write("top.txt", "top\n");
  repo.write("a/b/c/d/deep.txt", "deep\n");
  repo.write("a/b/c/d/other.txt", "other\n");
  repo.write("a/b/sibling.txt", "sibling\n");
  repo.write("a.txt", "sorts between a and a/\n");
  repo.write("unchanged/x/y.txt", "y\n");
  repo.write("gone.txt", "to be deleted\n");
  repo.write("exec.sh", "echo hi\n");
  std::filesystem::create_symlink("top.txt", repo / "link");
  auto first = repo.commit("First");
  std::filesystem::create_directory(repo / "sub"); // an uninitialised submodule
  repo.git({"update-index", "--add", "--cacheinfo", "160000," + first + ",sub"});
  repo.commit("Gitlink");
  REQUIRE(repo.rev("HEAD:sub") == first);

  repo.write("a/b/c/d/deep.txt", "deep, modified\n"); // inside otherwise-unchanged directories
  repo.write("new/dir/added.txt", "added\n");
  repo.write("renamed.txt", "other\n"); // same blob as a/b/c/d/other.txt: a copy
  std::filesystem::remove(repo / "gone.txt");
  std::filesystem::remove(repo / "link");
  std::filesystem::create_symlink("a.txt", repo / "link");
  std::filesystem::permissions(repo / "exec.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  repo.git({"add", "-A"});
  repo.git({"update-index", "--cacheinfo", "160000," + repo.rev("HEAD~1") + ",sub"});
}

std::vector<std::string> paths(const Refs& r)
{
  std::vector<std::string> out;
  for (const auto& [p, id] : r)
    out.push_back(p);
  return out;
}

} // namespace

TEST_CASE("index file: versions 2, 3 and 4 give the same staged blobs as libgit2", "[unit][source]")
{
  auto version = GENERATE(2, 3, 4);
  TempRepo repo;
  build_mixed_history(repo);
  // git writes version 2 unless an entry needs extended flags (here skip-worktree).
  if (version >= 3)
    repo.git({"update-index", "--skip-worktree", "top.txt"});
  repo.git({"update-index", "--index-version", std::to_string(version)});
  auto index = read_index_file(repo / ".git/index");
  REQUIRE(index);
  CHECK(index->version == static_cast<unsigned>(version));

  Refs r = fast_equals_libgit2(repo);
  // Deleted files, unchanged files and the gitlink are absent; the mode change, the retargeted
  // symlink and the copy are there.
  CHECK(paths(r) == std::vector<std::string>{"a/b/c/d/deep.txt", "exec.sh", "link",
                                             "new/dir/added.txt", "renamed.txt"});
  CHECK(r[2].second == repo.rev(":link"));
  CHECK(enumerate_staged(repo.path()).batch.stats.files == index->entries.size());
}

TEST_CASE("index file: entries and the cached tree as git wrote them", "[unit][source]")
{
  TempRepo repo;
  repo.write("a/one.txt", "1\n");
  repo.write("a/b/two.txt", "2\n");
  repo.write("three.txt", "3\n");
  repo.commit("First");
  auto index = read_index_file(repo / ".git/index");
  REQUIRE(index);
  REQUIRE(index->entries.size() == 3);
  CHECK(index->entries[0].path == "a/b/two.txt");
  CHECK(index->entries[1].path == "a/one.txt");
  CHECK(index->entries[2].path == "three.txt");
  CHECK(index->entries[2].mode == 0100644);
  CHECK(index->entries[2].stage == 0);
  REQUIRE(index->cached_tree);
  const auto& root = *index->cached_tree;
  CHECK(root.entry_count == 3);
  CHECK(zenolint::BlobId{root.id}.hex() == repo.rev("HEAD^{tree}"));
  const auto* a = root.child("a");
  REQUIRE(a);
  CHECK(a->entry_count == 2);
  CHECK(zenolint::BlobId{a->id}.hex() == repo.rev("HEAD:a"));
  REQUIRE(a->child("b"));
  CHECK(zenolint::BlobId{a->child("b")->id}.hex() == repo.rev("HEAD:a/b"));

  // Staging a change invalidates the cached tree on the path up to the root, not elsewhere.
  repo.write("a/b/two.txt", "2, changed\n");
  repo.git({"add", "a/b/two.txt"});
  index = read_index_file(repo / ".git/index");
  REQUIRE(index);
  REQUIRE(index->cached_tree);
  CHECK(index->cached_tree->entry_count == -1);
  CHECK(fast_equals_libgit2(repo) == Refs{{"a/b/two.txt", repo.rev(":a/b/two.txt")}});
}

TEST_CASE("index file: unborn branch, everything staged is new", "[unit][source]")
{
  TempRepo repo;
  repo.write("x/y.txt", "y\n");
  repo.write("z.txt", "z\n");
  repo.git({"add", "-A"});
  auto r = fast_equals_libgit2(repo);
  CHECK(paths(r) == std::vector<std::string>{"x/y.txt", "z.txt"});
}

TEST_CASE("index file: a missing index is empty", "[unit][source]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.commit("First");
  std::filesystem::remove(repo / ".git/index");
  auto index = read_index_file(repo / ".git/index");
  REQUIRE(index);
  CHECK(index->entries.empty());
  CHECK(fast_equals_libgit2(repo).empty());
}

TEST_CASE("index file: intent-to-add entries are skipped, nothing is staged for them",
          "[unit][source]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.commit("First");
  repo.write("later.txt", "not staged yet\n");
  repo.write("staged.txt", "staged\n");
  repo.git({"add", "-N", "later.txt"});
  repo.git({"add", "staged.txt"});
  auto index = read_index_file(repo / ".git/index");
  REQUIRE(index);
  REQUIRE(index->entries.size() == 3);
  CHECK(index->entries[0].path == "later.txt");
  CHECK(index->entries[0].intent_to_add);
  CHECK_FALSE(index->entries[1].intent_to_add);

  auto fast = enumerate_staged_from_index_file(repo.path());
  REQUIRE(fast);
  CHECK(refs(*fast) == Refs{{"staged.txt", repo.rev(":staged.txt")}});
  // libgit2 lists the placeholder as an empty blob: the only difference, and it holds no text.
  auto slow = refs(enumerate_staged_libgit2(repo.path()));
  CHECK(slow ==
        Refs{{"later.txt", repo.rev(":later.txt")}, {"staged.txt", repo.rev(":staged.txt")}});
  CHECK(repo.rev(":later.txt") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST_CASE("index file: GIT_INDEX_FILE points at another index", "[unit][source]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.write("d/y.txt", "y\n");
  repo.commit("First");
  repo.write("d/y.txt", "y, only in the other index\n");
  auto options = repo.options();
  options.env["GIT_INDEX_FILE"] = repo / ".git/other-index";
  must_run({"git", "read-tree", "HEAD"}, options);
  must_run({"git", "add", "d/y.txt"}, options);
  CHECK(fast_equals_libgit2(repo).empty()); // the default index has nothing staged

  GitEnvironment env;
  env.index_file = repo / ".git/other-index";
  auto r = fast_equals_libgit2(repo, env);
  REQUIRE(r.size() == 1);
  CHECK(r[0].first == "d/y.txt");
  CHECK(r[0].second != repo.rev("HEAD:d/y.txt"));
}

TEST_CASE("index file: GIT_DIR and GIT_WORK_TREE name the repository", "[unit][source]")
{
  // A bare "dotfiles" repository whose work tree is elsewhere: git commit there sets GIT_DIR and
  // GIT_WORK_TREE. libgit2's GIT_REPOSITORY_OPEN_FROM_ENV fails on GIT_WORK_TREE
  // ("unimplemented"); the source takes them as parameters instead.
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.commit("First");
  repo.write("staged.txt", "staged\n");
  repo.git({"add", "staged.txt"});
  zenolint::test::TempDir elsewhere;
  GitEnvironment env;
  env.git_dir = repo / ".git";
  env.work_tree = repo.path();
  auto r = fast_equals_libgit2(repo, env);
  CHECK(r == Refs{{"staged.txt", repo.rev(":staged.txt")}});
  // Named by GIT_DIR, the repository is found from any path (as git does).
  auto from_elsewhere = enumerate_staged(elsewhere.path(), env);
  CHECK(refs(from_elsewhere) == r);
  // Without GIT_DIR the path decides: no repository there.
  CHECK_THROWS_WITH(enumerate_staged(elsewhere.path()),
                    Catch::Contains("not inside a git repository"));
}

TEST_CASE("index file: file and directory swapping places", "[unit][source]")
{
  TempRepo repo;
  repo.write("was-file", "file\n");
  repo.write("was-dir/inner.txt", "inner\n");
  repo.commit("First");
  std::filesystem::remove(repo / "was-file");
  std::filesystem::remove_all(repo / "was-dir");
  repo.write("was-file/now.txt", "now in a directory\n");
  repo.write("was-dir", "now a file\n");
  repo.git({"add", "-A"});
  auto r = fast_equals_libgit2(repo);
  CHECK(paths(r) == std::vector<std::string>{"was-dir", "was-file/now.txt"});
}

TEST_CASE("index file: unsupported indexes fall back to libgit2", "[unit][source]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.write("d/y.txt", "y\n");
  repo.commit("First");

  SECTION("split index ('link' extension)")
  {
    repo.write("d/y.txt", "y, changed\n");
    repo.git({"add", "d/y.txt"});
    repo.git({"update-index", "--split-index"});
    std::string why;
    CHECK_FALSE(read_index_file(repo / ".git/index", &why));
    CHECK_THAT(why, Catch::Contains(repo / ".git/index"));
    CHECK_FALSE(enumerate_staged_from_index_file(repo.path()));
    // libgit2 1.5 does not read split indexes either: the same error as before the fast path.
    CHECK_THROWS_WITH(enumerate_staged(repo.path()), Catch::Contains("'link'"));
  }
  SECTION("conflicted entries")
  {
    repo.git({"checkout", "-q", "-b", "side"});
    repo.write("x.txt", "side\n");
    repo.commit("Side");
    repo.git({"checkout", "-q", "-"});
    repo.write("x.txt", "main\n");
    repo.commit("Main");
    CHECK(repo.try_git({"merge", "-q", "side"}).status != 0);
    std::string why;
    CHECK_FALSE(enumerate_staged_from_index_file(repo.path(), {}, &why));
    CHECK_THAT(why, Catch::Contains("conflicted entry x.txt"));
    auto fallback = enumerate_staged_libgit2(repo.path());
    CHECK(refs(enumerate_staged(repo.path())) == refs(fallback));
  }
  SECTION("truncated or foreign files")
  {
    auto index_path = repo / ".git/index";
    auto size = std::filesystem::file_size(index_path);
    std::string why;
    std::filesystem::resize_file(index_path, size - 40);
    CHECK_FALSE(read_index_file(index_path, &why));
    CHECK_THAT(why, Catch::Contains(index_path));
    std::ofstream(index_path, std::ios::binary) << "PACK not an index at all, long enough";
    CHECK_FALSE(read_index_file(index_path, &why));
    CHECK_THAT(why, Catch::Contains("DIRC"));
    // Both readers refuse it; the libgit2 error ends the run.
    CHECK_THROWS_AS(enumerate_staged(repo.path()), zenolint::Error);
  }
}

TEST_CASE("index file: not a repository is an error", "[unit][source]")
{
  zenolint::test::TempDir dir;
  CHECK_THROWS_WITH(enumerate_staged(dir.path()), Catch::Contains("not inside a git repository"));
}
