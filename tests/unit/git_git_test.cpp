// The libgit2 wrappers in git/git.hpp, against real repositories made by the git CLI.
#include "core/error.hpp"
#include "git/git.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace zenolint;
using zenolint::test::must_run;
using zenolint::test::RunOptions;
using zenolint::test::TempDir;
using zenolint::test::TempRepo;

namespace {

std::string git_hash_object(const TempRepo& repo, const std::string& content)
{
  repo.write("hash-me", content);
  auto out = repo.git({"hash-object", "hash-me"});
  return out.substr(0, 40);
}

std::string with_slash(std::string dir)
{
  if (dir.back() != '/')
    dir += '/';
  return dir;
}

std::string canonical(const std::string& p)
{
  return with_slash(std::filesystem::weakly_canonical(p).string());
}

} // namespace

TEST_CASE("git: blob_hash is git's blob id", "[unit][git]")
{
  TempRepo repo;
  std::string binary("a\0b\r\n\xff", 6);
  std::string large(3 << 20, 'x');
  for (std::size_t i = 0; i < large.size(); i += 4099)
    large[i] = static_cast<char>(i);
  for (const std::string& content : {std::string(), std::string("hello\n"), binary, large})
    CHECK(git::blob_hash(content).hex() == git_hash_object(repo, content));
  CHECK(git::blob_hash("").hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST_CASE("git: BlobHasher fed in pieces gives blob_hash's id", "[unit][git]")
{
  std::string large(1 << 20, 'y');
  for (std::size_t i = 0; i < large.size(); i += 4099)
    large[i] = static_cast<char>(i);
  for (std::size_t piece : {std::size_t{1}, std::size_t{4096}, std::size_t{300000}}) {
    git::BlobHasher h(large.size());
    for (std::size_t at = 0; at < large.size(); at += piece)
      h.update(std::string_view(large).substr(at, piece));
    CHECK(h.finish() == git::blob_hash(large));
  }
  git::BlobHasher empty(0);
  CHECK(empty.finish().hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST_CASE("git: ids convert to and from git_oid unchanged", "[unit][git]")
{
  auto id = BlobId::from_hex("0123456789abcdef0123456789abcdef01234567");
  REQUIRE(id);
  git_oid oid = git::to_oid(*id);
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, &oid);
  CHECK(std::string(hex) == id->hex());
  CHECK(git::to_blob_id(oid) == *id);
}

TEST_CASE("git: check() throws with what and libgit2's message; ITEROVER is no error",
          "[unit][git]")
{
  CHECK(git::check(0, "fine"));
  CHECK_FALSE(git::check(GIT_ITEROVER, "end of iteration"));
  TempDir dir;
  git::ensure_initialised();
  git_repository* raw = nullptr;
  int rc =
      git_repository_open_ext(&raw, dir.path().c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  git::Repository owned(raw);
  REQUIRE(rc < 0);
  CHECK_THROWS_WITH(git::check(rc, "opening " + dir.path()),
                    Catch::StartsWith("opening " + dir.path() + ": ") &&
                        Catch::Contains("could not find repository"));
}

TEST_CASE("git: discover searches upwards, through .git files, and says when there is none",
          "[unit][git]")
{
  TempRepo repo;
  repo.write("a/b/c.txt", "c\n");
  repo.commit("First");
  auto found = git::discover(repo / "a/b");
  REQUIRE(found);
  CHECK(canonical(git_repository_workdir(found->get())) == canonical(repo.path()));
  CHECK_FALSE(git_repository_is_bare(found->get()));

  // A linked work tree has a .git file pointing into the main repository.
  TempDir linked_parent;
  std::string linked = linked_parent / "linked";
  repo.git({"worktree", "add", "-q", linked});
  REQUIRE(std::filesystem::is_regular_file(linked + "/.git"));
  auto wt = git::discover(linked + "/a");
  REQUIRE(wt);
  CHECK(canonical(git_repository_workdir(wt->get())) == canonical(linked));
  CHECK(git_repository_is_worktree(wt->get()) == 1);

  TempDir outside;
  CHECK_FALSE(git::discover(outside.path()));
}

TEST_CASE("git: open takes exactly the path, and the work tree it is given", "[unit][git]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.commit("First");
  CHECK_THROWS_AS(git::open(repo / "sub-that-does-not-exist"), Error);
  TempDir not_repo;
  CHECK_THROWS_WITH(git::open(not_repo.path()), Catch::Contains(not_repo.path()));

  // A separate git dir: opened by the git dir alone, libgit2 would guess its parent as work tree.
  TempDir top;
  std::string work = top / "work", gitdir = top / "store.git";
  must_run({"git", "init", "-q", "--separate-git-dir", gitdir, work}, repo.options());
  auto opened = git::open(gitdir, with_slash(work));
  CHECK(canonical(git_repository_workdir(opened.get())) == canonical(work));
  // A bare repository given a work tree is no longer bare (as with GIT_WORK_TREE).
  TempRepo bare(true);
  TempDir home;
  auto as_worktree = git::open(bare.path(), with_slash(home.path()));
  CHECK_FALSE(git_repository_is_bare(as_worktree.get()));
  CHECK(git_repository_is_bare(git::open(bare.path()).get()));
}

TEST_CASE("git: commit_info gives author, e-mail, date with the author's offset, summary",
          "[unit][git]")
{
  TempRepo repo;
  repo.write("x.txt", "x\n");
  repo.git({"add", "x.txt"});
  RunOptions opts = repo.options();
  opts.env["GIT_AUTHOR_NAME"] = "Ada Lovelace";
  opts.env["GIT_AUTHOR_EMAIL"] = "ada@example.org";
  opts.env["GIT_AUTHOR_DATE"] = "2021-03-04T05:06:07-0230";
  must_run({"git", "commit", "-q", "-m", "Summary line\n\nBody text"}, opts);
  auto r = git::open(repo.path());
  git_oid oid = git::to_oid(*BlobId::from_hex(repo.head()));
  git_commit* raw = nullptr;
  git::check(git_commit_lookup(&raw, r.get(), &oid), "commit");
  git::Commit commit(raw);
  auto ci = git::commit_info(commit.get());
  CHECK(ci.id == repo.head());
  CHECK(ci.author == "Ada Lovelace");
  CHECK(ci.email == "ada@example.org");
  CHECK(ci.date == "2021-03-04T05:06:07-02:30");
  CHECK(ci.summary == "Summary line");
}
