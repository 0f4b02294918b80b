// The staged source's own repository discovery, HEAD resolution and object store
// (source/git_layout.hpp, source/object_store.hpp), checked on real repositories built with the
// git CLI in every layout the fast path accepts, against libgit2 and against `git diff --cached`;
// and the layouts and hostile repositories it must refuse (the caller then uses libgit2).
#include "core/error.hpp"
#include "git/git.hpp"
#include "source/git_layout.hpp"
#include "source/object_store.hpp"
#include "source/staged.hpp"
#include "support/temp_repo.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <zlib.h>

using zenolint::BlobId;
using zenolint::source::discover_git_layout;
using zenolint::source::enumerate_staged;
using zenolint::source::enumerate_staged_from_index_file;
using zenolint::source::enumerate_staged_libgit2;
using zenolint::source::GitEnvironment;
using zenolint::source::ObjectStore;
using zenolint::source::read_head;
using zenolint::source::StagedResult;
using zenolint::test::must_run;
using zenolint::test::TempDir;
using zenolint::test::TempRepo;
namespace fs = std::filesystem;

namespace {

using Refs = std::vector<std::pair<std::string, std::string>>; // path, blob id

Refs refs(const StagedResult& r)
{
  Refs out;
  for (const auto& o : r.batch.objects)
    out.emplace_back(o.provenance.path, o.id.hex());
  return out;
}

std::vector<std::string> lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      out.push_back(line);
  return out;
}

// What git says is staged (added, modified, type-changed; no deletions, no renames), without
// gitlinks, with the staged blob ids.
Refs git_staged(const TempRepo& repo, const std::string& dir)
{
  auto options = repo.options();
  options.cwd = dir;
  Refs out;
  for (const auto& line : lines(must_run({"git", "diff", "--cached", "--no-renames", "--raw",
                                          "--diff-filter=d", "-z", "--abbrev=40"},
                                         options))) {
    // NUL-separated: ":old new oldid newid status\0path\0..."
    std::string_view rest = line;
    while (!rest.empty()) {
      std::size_t nul = rest.find('\0');
      std::string meta(rest.substr(0, nul));
      rest.remove_prefix(nul + 1);
      nul = rest.find('\0');
      std::string path(rest.substr(0, nul));
      rest.remove_prefix(nul == std::string_view::npos ? rest.size() : nul + 1);
      std::istringstream m(meta.substr(1));
      std::string old_mode, new_mode, old_id, new_id;
      m >> old_mode >> new_mode >> old_id >> new_id;
      if (new_mode != "160000")
        out.emplace_back(path, new_id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The fast path must run (no fallback) and agree with libgit2 and with git.
Refs fast_path_agrees(const TempRepo& repo, const std::string& dir, const GitEnvironment& env = {})
{
  std::string why;
  auto fast = enumerate_staged_from_index_file(dir, env, &why);
  INFO("fast path refused: " << why);
  REQUIRE(fast);
  auto slow = enumerate_staged_libgit2(dir, env);
  CHECK(refs(*fast) == refs(slow));
  CHECK(fast->batch.stats.files == slow.batch.stats.files);
  CHECK(fast->git_dir == slow.git_dir);
  Refs sorted = refs(*fast);
  std::sort(sorted.begin(), sorted.end());
  if (env.git_dir.empty() && env.index_file.empty())
    CHECK(sorted == git_staged(repo, dir));
  return sorted;
}

// Nested directories, a symlink, an executable, committed; then a rename, a deletion, a mode
// change, a modification deep down and an addition, staged.
void stage_mixed_changes(TempRepo& repo)
{
  repo.write("top.txt", "top\n");
  repo.write("a/b/c/deep.txt", "deep\n");
  repo.write("a/b/sibling.txt", "sibling\n");
  repo.write("old-name.txt", "renamed content\n");
  repo.write("gone.txt", "to be deleted\n");
  repo.write("exec.sh", "echo hi\n");
  fs::create_symlink("top.txt", repo / "link");
  repo.commit("First");
  repo.write("a/b/c/deep.txt", "deep, modified\n");
  repo.write("new/dir/added.txt", "added\n");
  fs::rename(repo / "old-name.txt", repo / "new-name.txt");
  fs::remove(repo / "gone.txt");
  fs::permissions(repo / "exec.sh", fs::perms::owner_exec, fs::perm_options::add);
  repo.git({"add", "-A"});
}

const Refs& expected_mixed(const TempRepo& repo)
{
  static thread_local Refs r;
  r = {{"a/b/c/deep.txt", repo.rev(":a/b/c/deep.txt")},
       {"exec.sh", repo.rev(":exec.sh")},
       {"new-name.txt", repo.rev(":new-name.txt")},
       {"new/dir/added.txt", repo.rev(":new/dir/added.txt")}};
  return r;
}

void write_bytes(const std::string& path, const std::string& bytes)
{
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string deflate(const std::string& data)
{
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(out.data()), &size,
                   reinterpret_cast<const Bytef*>(data.data()),
                   static_cast<uLong>(data.size())) == Z_OK);
  out.resize(size);
  return out;
}

std::string why_refused(const std::string& dir, const GitEnvironment& env = {})
{
  std::string why;
  CHECK_FALSE(enumerate_staged_from_index_file(dir, env, &why));
  return why;
}

} // namespace

TEST_CASE("git layout: loose objects, packed objects, packed refs", "[unit][source][staged]")
{
  TempRepo repo;
  stage_mixed_changes(repo);
  SECTION("everything loose")
  {
    CHECK(fast_path_agrees(repo, repo.path()) == expected_mixed(repo));
  }
  SECTION("HEAD's commit and trees packed (git gc), the branch in packed-refs only")
  {
    repo.git({"gc", "-q"});
    CHECK_FALSE(fs::exists(repo / ".git/refs/heads/main"));
    CHECK(fast_path_agrees(repo, repo.path()) == expected_mixed(repo));
  }
  SECTION("packed with deltas: many versions of the same tree")
  {
    for (int i = 0; i < 20; ++i)
      repo.commit_file("a/b/c/deep.txt", "version " + std::to_string(i) + "\n", "v");
    repo.write("a/b/c/deep.txt", "staged version\n");
    repo.git({"add", "-A"});
    repo.git({"repack", "-adq", "--depth=50", "--window=50"});
    auto r = fast_path_agrees(repo, repo.path());
    CHECK(r == Refs{{"a/b/c/deep.txt", repo.rev(":a/b/c/deep.txt")}});
  }
  SECTION("from a subdirectory")
  {
    CHECK(fast_path_agrees(repo, repo / "a/b") == expected_mixed(repo));
  }
}

TEST_CASE("git layout: detached HEAD and unborn branch", "[unit][source][staged]")
{
  TempRepo repo;
  stage_mixed_changes(repo);
  SECTION("detached")
  {
    repo.git({"checkout", "-q", "--detach"});
    auto layout = discover_git_layout(repo.path(), {});
    REQUIRE(layout);
    auto head = read_head(*layout);
    REQUIRE(head);
    CHECK_FALSE(head->unborn);
    CHECK(head->commit.hex() == repo.rev("HEAD"));
    CHECK(fast_path_agrees(repo, repo.path()) == expected_mixed(repo));
  }
  SECTION("unborn: an orphan branch, everything staged is new")
  {
    repo.git({"checkout", "-q", "--orphan", "fresh"});
    auto layout = discover_git_layout(repo.path(), {});
    REQUIRE(layout);
    auto head = read_head(*layout);
    REQUIRE(head);
    CHECK(head->unborn);
    auto r = fast_path_agrees(repo, repo.path());
    CHECK(r.size() == 7); // every file but the deleted one
  }
}

TEST_CASE("git layout: linked worktree, separate git dir, submodule", "[unit][source][staged]")
{
  TempRepo repo;
  repo.write("x/y.txt", "y\n");
  repo.write("z.txt", "z\n");
  repo.commit("First");
  SECTION("git worktree add")
  {
    TempDir parent;
    std::string wt = parent / "wt";
    repo.git({"worktree", "add", "-q", "-b", "side", wt});
    repo.git({"gc", "-q"}); // the commit only in the common directory's pack
    zenolint::test::write_file(wt + "/x/y.txt", "y, staged in the worktree\n");
    auto options = repo.options();
    options.cwd = wt;
    must_run({"git", "add", "x/y.txt"}, options);
    auto layout = discover_git_layout(wt, {});
    REQUIRE(layout);
    CHECK(layout->work_tree == fs::canonical(wt).string() + "/");
    CHECK(layout->git_dir == fs::canonical(repo / ".git/worktrees/wt").string() + "/");
    CHECK(layout->common_dir == fs::canonical(repo / ".git").string() + "/");
    auto r = fast_path_agrees(repo, wt);
    REQUIRE(r.size() == 1);
    CHECK(r[0].first == "x/y.txt");
    CHECK(fast_path_agrees(repo, repo.path()).empty()); // the main worktree has nothing staged
  }
  SECTION("git init --separate-git-dir: a .git file")
  {
    TempDir dirs;
    std::string work = dirs / "work", gd = dirs / "gitdir";
    must_run({"git", "init", "-q", "-b", "main", "--separate-git-dir", gd, work}, repo.options());
    zenolint::test::write_file(work + "/a.txt", "a\n");
    auto options = repo.options();
    options.cwd = work;
    must_run({"git", "add", "a.txt"}, options);
    must_run({"git", "commit", "-q", "-m", "First"}, options);
    zenolint::test::write_file(work + "/a.txt", "a, staged\n");
    must_run({"git", "add", "a.txt"}, options);
    auto layout = discover_git_layout(work, {});
    REQUIRE(layout);
    CHECK(layout->git_dir == fs::canonical(gd).string() + "/");
    CHECK(fast_path_agrees(repo, work).size() == 1);
  }
  SECTION("a submodule: the superproject skips the gitlink, the submodule reads its own index")
  {
    TempRepo inner;
    inner.write("inner.txt", "inner\n");
    inner.commit("Inner");
    repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.path(), "sub"});
    repo.commit("Submodule");
    REQUIRE(fs::is_regular_file(repo / "sub/.git")); // absorbed: core.worktree points back
    zenolint::test::write_file(repo / "sub/inner.txt", "inner, staged in the submodule\n");
    auto options = repo.options();
    options.cwd = repo / "sub";
    must_run({"git", "add", "inner.txt"}, options);
    CHECK(fast_path_agrees(repo, repo / "sub").size() == 1);
    // The superproject sees a changed work tree in the submodule, but nothing staged.
    CHECK(fast_path_agrees(repo, repo.path()).empty());
  }
  SECTION("objects in an alternate (git clone --shared)")
  {
    TempDir dirs;
    std::string clone = dirs / "clone";
    repo.git({"gc", "-q"});
    must_run({"git", "clone", "-q", "--shared", repo.path(), clone}, repo.options());
    REQUIRE(fs::exists(clone + "/.git/objects/info/alternates"));
    zenolint::test::write_file(clone + "/x/y.txt", "y, staged in the clone\n");
    auto options = repo.options();
    options.cwd = clone;
    must_run({"git", "add", "x/y.txt"}, options);
    CHECK(fast_path_agrees(repo, clone).size() == 1);
  }
}

TEST_CASE("git layout: what the fast path refuses, and the fallback still answers",
          "[unit][source][staged]")
{
  TempRepo repo;
  stage_mixed_changes(repo);
  SECTION("an unknown repository extension")
  {
    repo.git({"config", "core.repositoryformatversion", "1"});
    repo.git({"config", "extensions.somethingNew", "true"});
    CHECK_THAT(why_refused(repo.path()), Catch::Contains("extension somethingnew"));
  }
  SECTION("a harmless extension is accepted")
  {
    repo.git({"config", "core.repositoryformatversion", "1"});
    repo.git({"config", "extensions.preciousObjects", "true"});
    // libgit2 1.5 refuses this extension (which only forbids deleting objects); git does not.
    CHECK_THROWS_WITH(enumerate_staged_libgit2(repo.path()), Catch::Contains("extension"));
    std::string why;
    auto fast = enumerate_staged_from_index_file(repo.path(), {}, &why);
    INFO(why);
    REQUIRE(fast);
    Refs r = refs(*fast);
    std::sort(r.begin(), r.end());
    CHECK(r == git_staged(repo, repo.path()));
    CHECK(r == expected_mixed(repo));
  }
  SECTION("core.worktree naming another directory")
  {
    TempDir other;
    repo.git({"config", "core.worktree", other.path()});
    CHECK_THAT(why_refused(repo.path()), Catch::Contains("core.worktree"));
  }
  SECTION("config includes")
  {
    repo.git({"config", "include.path", "other.config"});
    CHECK_THAT(why_refused(repo.path()), Catch::Contains("includes"));
  }
  SECTION("a bare repository (searched from inside it)")
  {
    TempDir dirs;
    std::string bare = dirs / "bare.git";
    must_run({"git", "clone", "-q", "--bare", repo.path(), bare}, repo.options());
    CHECK_THAT(why_refused(bare), Catch::Contains("git directory"));
  }
  SECTION("a split index")
  {
    repo.git({"update-index", "--split-index"});
    CHECK_THAT(why_refused(repo.path()), Catch::Contains(".git/index"));
  }
  SECTION("a sparse index")
  {
    repo.git({"sparse-checkout", "init", "--cone", "--sparse-index"});
    repo.git({"sparse-checkout", "set", "a"});
    std::string why;
    auto fast = enumerate_staged_from_index_file(repo.path(), {}, &why);
    if (fast) // git expands the index when nothing is outside the cone: then it must agree
      CHECK(refs(*fast) == refs(enumerate_staged_libgit2(repo.path())));
    else
      CHECK_FALSE(why.empty());
  }
}

TEST_CASE("git layout: hostile repositories are refused, never followed or crashed on",
          "[unit][source][staged][dos]")
{
  TempRepo repo;
  stage_mixed_changes(repo);
  SECTION(".git is a symbolic link")
  {
    TempDir dirs;
    std::string work = dirs / "work";
    fs::create_directory(work);
    fs::create_directory_symlink(repo / ".git", work + "/.git");
    CHECK_THAT(why_refused(work), Catch::Contains("symbolic link"));
  }
  SECTION("a .git file that is not a gitdir: file")
  {
    TempDir dirs;
    write_bytes(dirs / ".git", "garbage\n");
    CHECK_THAT(why_refused(dirs.path()), Catch::Contains("gitdir"));
  }
  SECTION("HEAD holds garbage")
  {
    write_bytes(repo / ".git/HEAD", "this is not a ref\n");
    auto layout = discover_git_layout(repo.path(), {});
    if (layout) // git may no longer call it a repository; either way no crash, no guess
      CHECK_FALSE(read_head(*layout));
  }
  SECTION("HEAD names a ref outside refs/heads, or climbs out")
  {
    write_bytes(repo / ".git/HEAD", "ref: refs/heads/../../../../etc/passwd\n");
    auto layout = discover_git_layout(repo.path(), {});
    REQUIRE(layout);
    std::string why;
    CHECK_FALSE(read_head(*layout, &why));
    CHECK_THAT(why, Catch::Contains("unusual ref"));
  }
  SECTION("a malformed packed-refs line")
  {
    repo.git({"pack-refs", "--all"});
    REQUIRE_FALSE(fs::exists(repo / ".git/refs/heads/main"));
    std::string packed = zenolint::test::read_file(repo / ".git/packed-refs");
    // Before the branch's line: a reader that stops at the first match would not see it after.
    std::size_t header_end = packed.find('\n') + 1;
    REQUIRE(packed[0] == '#');
    write_bytes(repo / ".git/packed-refs", packed.substr(0, header_end) +
                                               "not-an-id refs/heads/broken\n" +
                                               packed.substr(header_end));
    CHECK_THAT(why_refused(repo.path()), Catch::Contains("malformed packed-refs"));
  }
  SECTION("HEAD's commit is a loose object that claims to be huge")
  {
    std::string id = repo.rev("HEAD");
    std::string path = repo.loose_object_path(id);
    REQUIRE(fs::exists(path));
    fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
    // A valid zlib stream whose header claims 4 GiB: refused from the header, nothing allocated.
    write_bytes(path, deflate(std::string("commit 4294967296") + '\0' + "tree "));
    ObjectStore store(repo / ".git/objects", std::uint64_t{64} << 20);
    auto r = store.read(*BlobId::from_hex(id));
    CHECK(r.status == ObjectStore::Status::too_large);
    CHECK(r.declared_size == 4294967296u);
    CHECK_THAT(why_refused(repo.path()), Catch::Contains("HEAD's commit"));
  }
}

TEST_CASE("git layout: outside_any_repository only where libgit2 finds no repository either",
          "[unit][source]")
{
  using zenolint::source::outside_any_repository;
  namespace git = zenolint::git;
  TempDir plain;
  fs::create_directories(plain / "a/b");
  // Meaningful only where the temporary directory itself is in no repository (libgit2 says so).
  REQUIRE_FALSE(git::discover(plain / "a/b"));
  CHECK(outside_any_repository(plain.path()));
  CHECK(outside_any_repository(plain / "a/b"));

  TempRepo repo;
  repo.write("sub/f.txt", "x\n");
  CHECK_FALSE(outside_any_repository(repo.path()));
  CHECK_FALSE(outside_any_repository(repo.path() + "/sub"));
  CHECK_FALSE(outside_any_repository(repo.path() + "/.git/objects"));
  std::string bare = plain / "bare.git";
  must_run({"git", "init", "-q", "--bare", bare}, repo.options());
  CHECK_FALSE(outside_any_repository(bare));
  // A `.git` of any kind, even one that names nothing, is libgit2's to judge.
  std::ofstream(plain / "a/.git") << "gitdir: /nonexistent\n";
  CHECK_FALSE(outside_any_repository(plain / "a/b"));
  fs::remove(plain / "a/.git");
  CHECK(outside_any_repository(plain / "a/b"));
  // A link into a repository is searched from where it leads, as libgit2 does (realpath).
  fs::create_directory_symlink(repo.path() + "/sub", plain / "link");
  REQUIRE(git::discover(plain / "link"));
  CHECK_FALSE(outside_any_repository(plain / "link"));
  CHECK_FALSE(outside_any_repository(plain / "link/.."));
  // A directory with any HEAD may be a git directory to libgit2.
  fs::create_directories(plain / "gitdirish");
  std::ofstream(plain / "gitdirish/HEAD") << "ref: refs/heads/main\n";
  CHECK_FALSE(outside_any_repository(plain / "gitdirish"));
  // GIT_DIR names the repository wherever the scan starts.
  const char* old = std::getenv("GIT_DIR");
  std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  ::setenv("GIT_DIR", (repo.path() + "/.git").c_str(), 1);
  const bool with_env = outside_any_repository(plain.path());
  if (saved)
    ::setenv("GIT_DIR", saved->c_str(), 1);
  else
    ::unsetenv("GIT_DIR");
  CHECK_FALSE(with_env);
}

TEST_CASE("object store: loose and packed objects as git cat-file gives them",
          "[unit][source][staged]")
{
  TempRepo repo;
  stage_mixed_changes(repo);
  std::vector<std::string> ids = {repo.rev("HEAD"), repo.rev("HEAD^{tree}"), repo.rev("HEAD:a/b"),
                                  repo.rev(":a/b/c/deep.txt"), repo.rev("HEAD:top.txt")};
  auto check_all = [&](ObjectStore& store) {
    for (const auto& id : ids) {
      auto r = store.read(*BlobId::from_hex(id));
      REQUIRE(r.status == ObjectStore::Status::ok);
      std::string type = repo.git({"cat-file", "-t", id});
      type.erase(type.find_last_not_of('\n') + 1);
      CHECK(zenolint::source::object_type_name(r.object->type) == type);
      auto options = repo.options();
      auto content = must_run({"git", "cat-file", type, id}, options);
      CHECK(r.object->data.view() == content);
    }
  };
  SECTION("loose")
  {
    ObjectStore store(repo / ".git/objects", 1 << 20);
    check_all(store);
    CHECK(store.loose_reads() == ids.size());
    CHECK(store.pack_reads() == 0);
  }
  SECTION("packed")
  {
    repo.git({"gc", "-q"});
    ObjectStore store(repo / ".git/objects", 1 << 20);
    check_all(store);
    CHECK(store.pack_reads() >= 4);
  }
  SECTION("missing, too large, and a loose object that inflates to more than it claims")
  {
    ObjectStore store(repo / ".git/objects", 4);
    CHECK(store.read(*BlobId::from_hex(std::string(40, 'e'))).status ==
          ObjectStore::Status::missing);
    auto large = store.read(*BlobId::from_hex(repo.rev(":a/b/c/deep.txt")));
    CHECK(large.status == ObjectStore::Status::too_large);
    CHECK(large.declared_size == std::string("deep, modified\n").size());

    std::string id = repo.rev("HEAD:top.txt");
    std::string path = repo.loose_object_path(id);
    fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
    write_bytes(path, deflate(std::string("blob 2") + '\0' + "more than two bytes"));
    ObjectStore again(repo / ".git/objects", 1 << 20);
    CHECK(again.read(*BlobId::from_hex(id)).status == ObjectStore::Status::unreadable);
    write_bytes(path, "not zlib at all");
    ObjectStore third(repo / ".git/objects", 1 << 20);
    CHECK(third.read(*BlobId::from_hex(id)).status == ObjectStore::Status::unreadable);
  }
}
