// The history engine against real repositories: every blob once, with the commit and path that
// introduced it, whatever shape the repository is in.
#include "support/scan_report.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using nlohmann::json;
using namespace zenolint::test;
namespace fs = std::filesystem;

namespace {

std::uint64_t blobs_scanned(const json& report)
{
  return report.at("stats").at("blobs_scanned").get<std::uint64_t>();
}

} // namespace

TEST_CASE("history: a deleted file is found with the commit that added it", "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.write("README.md", "# project\n");
  auto added = repo.commit_file("secret.env", token_assignment(token), "Add configuration");
  repo.git({"rm", "-q", "secret.env"});
  repo.commit("Remove configuration");

  auto report = scan_report(repo, {"-j", "2"});
  CHECK(report.at("scan") == "full");
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  const auto& f = found[0];
  CHECK(f.at("path") == "secret.env");
  CHECK(f.at("source") == "history");
  CHECK(f.at("commit") == added);
  CHECK(f.at("author") == "Ada Author");
  CHECK(f.at("email") == "ada@example.org");
  CHECK(f.at("date") == "2020-01-01T00:00:00+00:00");
  CHECK(f.at("summary") == "Add configuration");
  CHECK(f.at("line") == 1);
  CHECK_FALSE(f.contains("unreachable"));
  // README.md (worktree = history blob) and secret.env: two blobs, each read once.
  CHECK(blobs_scanned(report) == 2);
  CHECK(report.at("stats").at("commits") == 2);
}

TEST_CASE("history: a modified line is attributed to the commit that wrote it", "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("app.py", "x = 1\n", "Start");
  auto leaked = repo.commit_file("app.py", "x = 1\n" + token_assignment(token), "Configure upload");
  repo.commit_file("app.py", "x = 1\ny = 2\n", "Read the token from the environment");

  auto report = scan_report(repo);
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == leaked);
  CHECK(found[0].at("path") == "app.py");
  CHECK(found[0].at("line") == 2);
  CHECK(found[0].at("summary") == "Configure upload");
  CHECK(found[0].at("date") == "2020-01-01T00:00:01+00:00"); // TempRepo: commit N at N seconds
  CHECK(blobs_scanned(report) == 3);
}

TEST_CASE("history: a renamed file keeps its original introducing commit", "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  auto added = repo.commit_file("old/name.env", token_assignment(token), "Add");
  repo.git({"mv", "old/name.env", "new.env"});
  repo.commit("Rename");

  auto history = scan_report(repo, {"--history-only"});
  CHECK(history.at("scan") == "history");
  auto found = findings_with_secret(history, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("path") == "old/name.env");
  CHECK(found[0].at("commit") == added);
  CHECK(blobs_scanned(history) == 1);

  // The working-tree copy is the same blob: reported at its current path, introduced_by the commit.
  auto full = scan_report(repo);
  found = findings_with_secret(full, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("path") == "new.env");
  CHECK(found[0].at("source") == "worktree");
  CHECK(found[0].at("introduced_by").at("commit") == added);
  CHECK(blobs_scanned(full) == 1);
}

TEST_CASE("history: trees compared with the parent's: file/directory swaps, deep changes, merges",
          "[e2e][history]")
{
  // The walk skips entries unchanged since the first parent's tree at the same path; this covers
  // the cases where names match but kinds differ, changes deep below unchanged siblings, and blobs
  // that reach a merge from its second parent.
  TempRepo repo;
  auto in_dir = make_token(), on_side = make_token(), as_file = make_token(), deep = make_token();
  auto after_edit = make_token();
  repo.write("conf", "plain file first\n");
  repo.write("deep/a/b/keep.txt", "keep\n");
  repo.commit_file("deep/a/c/other.txt", "other\n", "Start");
  fs::remove(repo / "conf");
  repo.write("conf/zenodo.env", token_assignment(in_dir)); // file "conf" becomes directory "conf/"
  auto dir_commit = repo.commit("Directory");
  repo.git({"checkout", "-q", "-b", "side"});
  auto side_commit = repo.commit_file("deep/a/b/side.env", token_assignment(on_side), "Side");
  repo.git({"checkout", "-q", "-"});
  repo.commit_file("deep/a/b/keep.txt", "keep, edited\n", "Main edit");
  repo.git({"merge", "-q", "--no-ff", "-m", "Merge side", "side"});
  fs::remove_all(repo / "conf");
  repo.write("conf", token_assignment(as_file)); // and back to a file
  auto file_commit = repo.commit("File again");
  repo.write("deep/a/c/d/e/deep.env", token_assignment(deep));
  repo.write("deep/a/b/keep.txt", "keep, edited twice\n"); // a changed entry, then a new one
  auto deep_commit = repo.commit_file("deep/a/b/z.env", token_assignment(after_edit), "Deep");
  repo.git({"rm", "-q", "-r", "conf", "deep"});
  repo.commit("Remove all");

  auto report = scan_report(repo, {"--history-only"});
  auto check = [&](const std::string& token, const std::string& commit, const std::string& path) {
    auto found = findings_with_secret(report, token);
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("commit") == commit);
    CHECK(found[0].at("path") == path);
  };
  check(in_dir, dir_commit, "conf/zenodo.env");
  check(on_side, side_commit, "deep/a/b/side.env");
  check(as_file, file_commit, "conf");
  check(deep, deep_commit, "deep/a/c/d/e/deep.env");
  check(after_edit, deep_commit, "deep/a/b/z.env");
  // Unique blobs: conf (2 contents), keep.txt (3), other.txt, zenodo.env, side.env, deep.env,
  // z.env.
  CHECK(blobs_scanned(report) == 10);
}

TEST_CASE("history: every branch, remote ref and notes are walked", "[e2e][history]")
{
  TempRepo repo;
  auto on_branch = make_token();
  auto in_notes = make_token();
  auto on_pull_ref = make_token();
  auto base = repo.commit_file("README.md", "main\n", "Base");
  repo.git({"checkout", "-q", "-b", "feature"});
  auto feature = repo.commit_file("feature/deploy.sh", "export " + token_assignment(on_branch),
                                  "Deploy script");
  repo.git({"checkout", "-q", "main"});
  repo.git({"notes", "add", "-m", token_assignment(in_notes), base});
  auto notes_commit = repo.rev("refs/notes/commits");
  // A ref outside heads/tags/remotes (like GitHub's refs/pull/*), on a commit nothing else reaches.
  repo.git({"checkout", "-q", "--detach"});
  auto pr = repo.commit_file("pr.env", token_assignment(on_pull_ref), "Pull request");
  repo.git({"update-ref", "refs/pull/1/head", pr});
  repo.git({"checkout", "-q", "main"});

  auto report = scan_report(repo, {"--history-only", "-j", "2"});
  auto f1 = findings_with_secret(report, on_branch);
  REQUIRE(f1.size() == 1);
  CHECK(f1[0].at("commit") == feature);
  CHECK(f1[0].at("path") == "feature/deploy.sh");
  auto f2 = findings_with_secret(report, in_notes);
  REQUIRE(f2.size() == 1);
  CHECK(f2[0].at("commit") == notes_commit);
  CHECK(f2[0].at("path") == base);
  auto f3 = findings_with_secret(report, on_pull_ref);
  REQUIRE(f3.size() == 1);
  CHECK(f3[0].at("commit") == pr);
  CHECK(f3[0].at("path") == "pr.env");
  // README, deploy.sh, the note, pr.env.
  CHECK(blobs_scanned(report) == 4);
}

TEST_CASE("history: an annotated tag is the only way to an orphan commit", "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("README.md", "main\n", "Base");
  repo.git({"checkout", "-q", "--orphan", "release-assets"});
  repo.git({"rm", "-q", "-r", "--cached", "."});
  fs::remove(repo / "README.md");
  auto orphan = repo.commit_file("assets/upload.cfg", token_assignment(token), "Release assets");
  repo.git({"tag", "-a", "v1.0-assets", "-m", "assets"});
  repo.git({"checkout", "-q", "-f", "main"});
  repo.git({"branch", "-q", "-D", "release-assets"});

  auto report = scan_report(repo, {"--history-only"});
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == orphan);
  CHECK(found[0].at("path") == "assets/upload.cfg");
  CHECK(blobs_scanned(report) == 2);
}

TEST_CASE("history: a stashed change is found in refs/stash", "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("settings.ini", "[general]\n", "Settings");
  repo.write("settings.ini", "[general]\n" + token_assignment(token));
  repo.git({"stash", "-q"});
  auto stash = repo.rev("refs/stash");

  auto report = scan_report(repo);
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == stash);
  CHECK(found[0].at("path") == "settings.ini");
  CHECK(found[0].at("source") == "history");
  CHECK(blobs_scanned(report) == 2);
}

TEST_CASE("history: a dangling commit is found only with --all-objects, marked unreachable",
          "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("README.md", "readme\n", "Base");
  auto dangling = repo.commit_file("leak.txt", token_assignment(token), "Oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  repo.git({"reflog", "expire", "--expire=now", "--all"});
  REQUIRE(fs::exists(repo.loose_object_path(dangling)));

  auto plain = scan_report(repo);
  CHECK(findings_with_secret(plain, token).empty());
  CHECK(blobs_scanned(plain) == 1);

  auto all = scan_report(repo, {"--all-objects"});
  auto found = findings_with_secret(all, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("unreachable") == true);
  CHECK(found[0].at("commit") == dangling);
  CHECK(found[0].at("path") == "leak.txt");
  CHECK(found[0].at("summary") == "Oops");
  CHECK(blobs_scanned(all) == 2);

  // A loose blob no commit or tree names: unreachable, its id as path.
  auto loose_token = make_token();
  repo.write("loose.txt", token_assignment(loose_token));
  auto blob = repo.git({"hash-object", "-w", "loose.txt"});
  blob.erase(blob.find_last_not_of("\r\n") + 1);
  fs::remove(repo / "loose.txt");
  auto objects = scan_report(repo, {"--history-only", "--all-objects"});
  auto loose = findings_with_secret(objects, loose_token);
  REQUIRE(loose.size() == 1);
  CHECK(loose[0].at("unreachable") == true);
  CHECK(loose[0].at("path") == blob);
  CHECK_FALSE(loose[0].contains("commit"));
  CHECK(blobs_scanned(objects) == 3);

  // SARIF carries the same provenance in result.properties.
  auto sarif = repo.zenolint({"scan", "--format", "sarif", "--all-objects"});
  auto doc = json::parse(sarif.out);
  bool seen = false;
  for (const auto& r : doc.at("runs").at(0).at("results"))
    if (r.at("properties").value("commit", "") == dangling) {
      seen = true;
      CHECK(r.at("properties").at("unreachable") == true);
      CHECK(r.at("properties").at("author") == "Ada Author");
    }
  CHECK(seen);
}

TEST_CASE("history: packed and loose objects are both read, each blob once", "[e2e][history]")
{
  TempRepo repo;
  auto packed_token = make_token();
  auto loose_token = make_token();
  repo.write("a/packed.env", token_assignment(packed_token));
  repo.write("b/copy.env", token_assignment(packed_token)); // same blob at a second path
  auto first = repo.commit("Packed");
  repo.git({"gc", "-q"});
  auto second = repo.commit_file("c/loose.env", token_assignment(loose_token), "Loose");
  auto loose_blob = repo.rev("HEAD:c/loose.env");
  REQUIRE(fs::exists(repo.loose_object_path(loose_blob)));
  REQUIRE_FALSE(fs::exists(repo.loose_object_path(repo.rev("HEAD:a/packed.env"))));

  for (std::string jobs : {"1", "2"}) {
    auto report = scan_report(repo, {"--history-only", "-j", jobs});
    auto p = findings_with_secret(report, packed_token);
    REQUIRE(p.size() == 1);
    CHECK(p[0].at("commit") == first);
    CHECK(p[0].at("path") == "a/packed.env");
    auto l = findings_with_secret(report, loose_token);
    REQUIRE(l.size() == 1);
    CHECK(l[0].at("commit") == second);
    CHECK(blobs_scanned(report) == 2);
  }
}

TEST_CASE("history: output is identical for any number of jobs", "[e2e][history]")
{
  TempRepo repo;
  for (int c = 0; c < 6; ++c) {
    for (int f = 0; f < 5; ++f)
      repo.write("dir" + std::to_string(f) + "/file.txt",
                 "commit " + std::to_string(c) + "\n" + token_assignment(make_token()));
    repo.commit("Commit " + std::to_string(c));
  }
  auto one = repo.zenolint({"scan", "--format", "json", "-j", "1"});
  auto two = repo.zenolint({"scan", "--format", "json", "-j", "2"});
  auto four = repo.zenolint({"scan", "--format", "json", "-j", "4"});
  CHECK(one.status == 1);
  CHECK(one.out == two.out);
  CHECK(one.out == four.out);
  CHECK(json::parse(one.out).at("findings").size() == 30);
}

TEST_CASE("history: a shallow clone scans what exists with one warning", "[e2e][history]")
{
  TempRepo origin;
  auto old_token = make_token();
  auto new_token = make_token();
  origin.commit_file("old.env", token_assignment(old_token), "Old");
  origin.git({"rm", "-q", "old.env"});
  origin.commit("Remove");
  auto tip = origin.commit_file("new.env", token_assignment(new_token), "New");

  TempDir dir;
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.path(), dir / "clone"});
  auto r = zenolint::test::zenolint(
      {"scan", "--format", "json", "--show-secrets", "--history-only", dir / "clone"},
      origin.options());
  auto report = parse_report(r);
  CHECK(findings_with_secret(report, old_token).empty());
  auto found = findings_with_secret(report, new_token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == tip);
  CHECK(found[0].at("path") == "new.env");
  int shallow_warnings = 0;
  for (const auto& d : report.at("diagnostics"))
    if (d.at("message").get<std::string>().find("shallow") != std::string::npos)
      ++shallow_warnings;
  CHECK(shallow_warnings == 1);
  CHECK(report.at("diagnostics").size() == 1);
  CHECK(report.at("stats").at("commits") == 1);
  CHECK(blobs_scanned(report) == 1);
}

TEST_CASE("history: a shallow file that is a FIFO is named, never waited on", "[e2e][history]")
{
  TempRepo origin;
  auto token = make_token();
  origin.commit_file("a.env", token_assignment(token), "One");
  origin.commit_file("b.txt", "two\n", "Two");

  TempDir dir;
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.path(), dir / "clone"});
  auto shallow = dir / "clone/.git/shallow";
  REQUIRE(::unlink(shallow.c_str()) == 0);
  REQUIRE(::mkfifo(shallow.c_str(), 0600) == 0);
  auto r = zenolint::test::zenolint(
      {"scan", "--format", "json", "--show-secrets", "--history-only", dir / "clone"},
      origin.options());
  auto report = parse_report(r);
  CHECK(findings_with_secret(report, token).size() == 1);
  bool named = false;
  for (const auto& d : report.at("diagnostics"))
    if (d.at("subject").get<std::string>().find("shallow") != std::string::npos &&
        d.at("message").get<std::string>().find("not a regular file") != std::string::npos)
      named = true;
  CHECK(named);
}

TEST_CASE("history: a bare mirror is scanned as history", "[e2e][history]")
{
  TempRepo origin;
  auto token = make_token();
  auto added = origin.commit_file("deploy/env", token_assignment(token), "Deploy");
  origin.git({"rm", "-q", "deploy/env"});
  origin.commit("Clean up");

  TempDir dir;
  origin.git({"clone", "-q", "--mirror", "file://" + origin.path(), dir / "mirror.git"});
  auto report = parse_report(zenolint::test::zenolint(
      {"scan", "--format", "json", "--show-secrets", dir / "mirror.git"}, origin.options()));
  CHECK(report.at("scan") == "history");
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == added);
  CHECK(found[0].at("path") == "deploy/env");
  CHECK(blobs_scanned(report) == 1);
}

TEST_CASE("history: a missing or corrupt object is a diagnostic naming it, the scan goes on",
          "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  repo.write("keep.env", token_assignment(token));
  repo.write("lost.txt", "this blob will be deleted\n");
  auto added = repo.commit_file("bad.txt", "this blob will be corrupted\n", "Add");
  auto lost = repo.rev("HEAD:lost.txt");
  auto bad = repo.rev("HEAD:bad.txt");
  fs::remove(repo.loose_object_path(lost));
  auto bad_path = repo.loose_object_path(bad);
  fs::permissions(bad_path, fs::perms::owner_write, fs::perm_options::add);
  zenolint::test::write_file(bad_path, "not zlib data at all");

  auto r = repo.zenolint({"scan", "--format", "json", "--show-secrets", "--history-only"});
  CHECK(r.status == 1);
  auto report = parse_report(r);
  auto found = findings_with_secret(report, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == added);
  // Each names the path where the walk expected it (subject), the object and the commit.
  std::map<std::string, std::string> message_of;
  for (const auto& d : report.at("diagnostics"))
    message_of[d.at("subject").get<std::string>()] = d.at("message").get<std::string>();
  CHECK_THAT(message_of["lost.txt"],
             Catch::Contains("object " + lost + " (commit " + added.substr(0, 12) +
                             ") is not in the object database"));
  CHECK_THAT(message_of["bad.txt"], Catch::Contains("cannot read object " + bad + " (commit " +
                                                    added.substr(0, 12) + ")"));
  CHECK(blobs_scanned(report) == 1);

  // A missing tree: its id is named, other commits are still scanned. The damaged blobs leave the
  // index first: `git add -A` would otherwise write lost.txt's object again when the file is
  // racily clean (written in the same second as the index) and fail to build the tree when it is
  // not (on a loaded machine), so the test would depend on timing.
  repo.git({"rm", "-q", "--cached", "lost.txt", "bad.txt"});
  fs::remove(repo / "lost.txt");
  fs::remove(repo / "bad.txt");
  auto other = make_token();
  repo.commit_file("sub/dir/x.env", token_assignment(other), "More");
  auto tree = repo.rev("HEAD:sub/dir");
  repo.commit_file("late.env", token_assignment(make_token()), "Late");
  fs::remove(repo.loose_object_path(tree));
  auto report2 = scan_report(repo, {"--history-only"});
  bool named = false;
  for (const auto& d : report2.at("diagnostics"))
    named = named || d.at("subject") == tree;
  CHECK(named);
  CHECK(findings_with_secret(report2, other).empty());
  CHECK(findings_with_secret(report2, token).size() == 1);
}

TEST_CASE("history: empty repository, unborn branch and detached HEAD", "[e2e][history]")
{
  TempRepo repo;
  auto r = repo.zenolint({"scan", "--format", "json"});
  CHECK(r.status == 0);
  auto empty = parse_report(r);
  CHECK(empty.at("findings").empty());
  CHECK(empty.at("diagnostics").empty());
  CHECK(empty.at("stats").at("commits") == 0);

  // Unborn branch with an uncommitted file: the working tree is still scanned.
  auto wt = make_token();
  repo.write("draft.env", token_assignment(wt));
  auto unborn = scan_report(repo);
  REQUIRE(findings_with_secret(unborn, wt).size() == 1);
  CHECK(findings_with_secret(unborn, wt)[0].at("source") == "worktree");

  // A commit made on a detached HEAD is reachable through HEAD only.
  fs::remove(repo / "draft.env");
  repo.commit_file("README.md", "x\n", "Base");
  repo.git({"checkout", "-q", "--detach"});
  auto detached_token = make_token();
  auto detached =
      repo.commit_file("detached.env", token_assignment(detached_token), "Detached work");
  repo.git({"rm", "-q", "detached.env"});
  repo.commit("Remove");
  auto report = scan_report(repo, {"--history-only"});
  auto found = findings_with_secret(report, detached_token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == detached);
}

TEST_CASE("history: submodules are gitlinks, not content; linked worktrees work", "[e2e][history]")
{
  TempRepo sub;
  auto sub_token = make_token();
  sub.commit_file("inner.env", token_assignment(sub_token), "Inner");

  TempRepo repo;
  repo.commit_file("README.md", "outer\n", "Outer");
  repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", "file://" + sub.path(),
            "vendor/inner"});
  repo.commit("Add submodule");
  auto report = scan_report(repo);
  CHECK(findings_with_secret(report, sub_token).empty());
  CHECK(report.at("diagnostics").empty());

  // A `git worktree add` checkout: its own HEAD, the shared object database.
  TempDir dir;
  auto wt_path = dir / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt_path});
  auto token = make_token();
  zenolint::test::write_file(wt_path + "/side.env", token_assignment(token));
  zenolint::test::RunOptions o = repo.options();
  o.cwd = wt_path;
  zenolint::test::must_run({"git", "add", "side.env"}, o);
  zenolint::test::must_run({"git", "commit", "-q", "-m", "Side"}, o);
  zenolint::test::must_run({"git", "rm", "-q", "side.env"}, o);
  zenolint::test::must_run({"git", "commit", "-q", "-m", "Side removed"}, o);
  auto from_wt = parse_report(zenolint::test::zenolint(
      {"scan", "--format", "json", "--show-secrets", "--history-only", wt_path}, o));
  REQUIRE(findings_with_secret(from_wt, token).size() == 1);
  CHECK(findings_with_secret(from_wt, token)[0].at("summary") == "Side");
  auto from_main = scan_report(repo, {"--history-only"});
  CHECK(findings_with_secret(from_main, token).size() == 1);
}

TEST_CASE("history: --staged scans the index, honours GIT_INDEX_FILE, works unborn",
          "[e2e][history]")
{
  TempRepo repo;
  auto token = make_token();
  // Unborn branch: everything in the index is new.
  repo.write("a.env", token_assignment(token));
  repo.git({"add", "a.env"});
  repo.write("a.env", "ZENODO_TOKEN=${{ secrets.ZENODO_TOKEN }}\n"); // the worktree is not read
  auto unborn = scan_report(repo, {"--staged"});
  CHECK(unborn.at("scan") == "staged");
  auto found = findings_with_secret(unborn, token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("source") == "staged");
  CHECK(found[0].at("path") == "a.env");
  CHECK(blobs_scanned(unborn) == 1);

  repo.git({"checkout", "-q", "--", "a.env"});
  repo.commit_file("README.md", "readme\n", "First");
  // Nothing differs from HEAD: nothing to scan.
  auto clean = scan_report(repo, {"--staged"});
  CHECK(clean.at("findings").empty());
  CHECK(blobs_scanned(clean) == 0);

  // An alternate index, as git uses for `git commit -a` hooks.
  auto other = make_token();
  repo.write("b.env", token_assignment(other));
  auto alt = repo / ".git/alt-index";
  fs::copy_file(repo / ".git/index", alt);
  zenolint::test::RunOptions o = repo.options();
  o.env["GIT_INDEX_FILE"] = alt;
  zenolint::test::must_run({"git", "add", "b.env"}, o);
  auto without = scan_report(repo, {"--staged"});
  CHECK(findings_with_secret(without, other).empty());
  auto with = scan_report(repo, {"--staged"}, {{"GIT_INDEX_FILE", alt}});
  auto f = findings_with_secret(with, other);
  REQUIRE(f.size() == 1);
  CHECK(f[0].at("path") == "b.env");
  CHECK(blobs_scanned(with) == 1);

  // A deletion in the index is not content.
  repo.git({"rm", "-q", "a.env"});
  auto deleted = scan_report(repo, {"--staged"});
  CHECK(deleted.at("findings").empty());
}

TEST_CASE("history: --range lists blobs introduced by the range's commits", "[e2e][history]")
{
  TempRepo repo;
  auto before = make_token();
  auto inside = make_token();
  auto c1 = repo.commit_file("before.env", token_assignment(before), "Before");
  auto c2 = repo.commit_file("inside.env", token_assignment(inside), "Inside");
  repo.commit_file("before.env", token_assignment(before) + "# touched\n", "Touch");

  for (std::string range : {c1 + "..HEAD", "^" + c1 + " HEAD"}) {
    auto report = scan_report(repo, {"--range", range});
    CHECK(report.at("scan") == "range");
    auto f = findings_with_secret(report, inside);
    REQUIRE(f.size() == 1);
    CHECK(f[0].at("commit") == c2);
    CHECK(f[0].at("path") == "inside.env");
    // The modified before.env is a new blob in the range, scanned whole: its token is reported.
    auto b = findings_with_secret(report, before);
    REQUIRE(b.size() == 1);
    CHECK(b[0].at("summary") == "Touch");
    CHECK(blobs_scanned(report) == 2);
    CHECK(report.at("stats").at("commits") == 2);
  }
  auto bad = repo.zenolint({"scan", "--range", "no-such-rev..HEAD"});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("no-such-rev") != std::string::npos);
}

TEST_CASE("history: history options outside a repository are a clear error", "[e2e][history]")
{
  TempDir dir;
  zenolint::test::write_file(dir / "file.txt", "hello\n");
  for (std::string flag : {"--history-only", "--all-objects", "--staged"}) {
    auto r = zenolint::test::zenolint({"scan", flag, dir.path()});
    CHECK(r.status == 2);
    CHECK(r.err.find("not") != std::string::npos);
    CHECK(r.err.find(dir.path()) != std::string::npos);
  }
  TempRepo repo;
  auto r = repo.zenolint({"scan", "--staged", "--range", "HEAD"});
  CHECK(r.status == 2);
}

TEST_CASE("history: progress on stderr only when asked or on a terminal", "[e2e][history]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "A");
  auto quiet = repo.zenolint({"scan"});
  CHECK(quiet.err.find("objects") == std::string::npos);
  auto never = repo.zenolint({"scan", "--progress", "never"});
  CHECK(never.err.find("objects") == std::string::npos);
  auto always = repo.zenolint({"scan", "--progress", "always"});
  CHECK(always.err.find("objects") != std::string::npos);
  CHECK(always.out == quiet.out);
}

// Regression (issue 14): a commit reachable only through more than 64 nested annotated tags was
// dropped without a word.
TEST_CASE("history: a commit reachable only through 100 nested annotated tags is scanned",
          "[e2e][history][dos]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("README.md", "# project\n", "Start");
  repo.git({"checkout", "-q", "--orphan", "side"});
  auto hidden = repo.commit_file("secret.env", token_assignment(token), "Only through tags");
  repo.git({"tag", "-a", "-m", "t", "t0", "side"});
  std::vector<std::string> remove{"tag", "-d"};
  for (int i = 1; i < 100; ++i) {
    repo.git({"-c", "advice.nestedTag=false", "tag", "-a", "-m", "t", "t" + std::to_string(i),
              "t" + std::to_string(i - 1)});
    remove.push_back("t" + std::to_string(i - 1));
  }
  repo.git(remove);
  repo.git({"checkout", "-q", "-f", "main"});
  repo.git({"branch", "-D", "side"});
  REQUIRE(repo.git({"tag", "-l"}) == "t99\n");

  auto found = findings_with_secret(scan_report(repo, {"--history-only"}), token);
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("commit") == hidden);
}

// Regression (issue 14): a history whose packs are all unreadable ended with "0 findings", exit 0.
TEST_CASE("history: unreadable packs make an incomplete scan, exit 3", "[e2e][history][dos]")
{
  TempRepo repo;
  repo.commit_file("secret.env", token_assignment(make_token()), "Add");
  repo.git({"rm", "-q", "secret.env"});
  repo.commit("Remove");
  repo.git({"repack", "-a", "-d", "-q"});
  repo.git({"prune-packed"});
  auto healthy = repo.zenolint({"scan", "--format", "json", "--history-only"});
  CHECK(healthy.status == 1);

  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ".idx") {
      fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
      fs::resize_file(e.path(), 100);
    }
  auto r = repo.zenolint({"scan", "--format", "json", "--history-only"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 3);
  auto report = json::parse(r.out);
  CHECK(report.at("findings").empty());
  bool error = false;
  for (const auto& d : report.at("diagnostics"))
    error = error || d.at("severity") == "error";
  CHECK(error);
  // A finding still takes precedence: the gate says "token found".
  repo.write("now.env", token_assignment(make_token()));
  CHECK(repo.zenolint({"scan", "--format", "json"}).status == 1);
}

// Regression (issue 14): a .idx whose fan-out claims 0xFFFFFFFF objects crashed libgit2 (SIGSEGV).
// The pack is left out (libgit2 never opens it), named in an error diagnostic, and the loose
// objects are still scanned.
TEST_CASE("history: a pack index claiming 2^32 objects is skipped with a diagnostic",
          "[e2e][history][dos]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "Packed");
  repo.git({"repack", "-a", "-d", "-q"});
  repo.git({"prune-packed"});
  std::string idx;
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ".idx")
      idx = e.path().string();
  REQUIRE_FALSE(idx.empty());
  auto token = make_token();
  repo.write("loose.env", token_assignment(token));
  repo.commit("Loose"); // its objects stay loose
  fs::permissions(idx, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream f(idx, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8 + 255 * 4);
    f.write("\xff\xff\xff\xff", 4);
  }

  auto r = repo.zenolint({"scan", "--format", "json", "--show-secrets", "--history-only"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE((r.status == 1 || r.status == 3)); // not a crash
  auto report = json::parse(r.out);
  CHECK(findings_with_secret(report, token).size() == 1);
  bool named = false;
  for (const auto& d : report.at("diagnostics"))
    named = named || (d.at("subject") == idx && d.at("severity") == "error");
  CHECK(named);
}
