// From a finding to a fix: exposure of each leaked secret (JSON), the grouped text block and the
// remediation advice, on real repositories built in temp dirs; `zenolint remediate` with the real
// git filter-repo.
#include "support/scan_report.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using nlohmann::json;
using namespace zenolint::test;
namespace fs = std::filesystem;

namespace {

std::string scan_text(const TempRepo& repo, std::vector<std::string> extra = {})
{
  std::vector<std::string> args{"scan", "--color", "never", "--progress", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = repo.zenolint(args);
  INFO("stderr: " << r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  return r.out;
}

// The exposure every finding of `token` carries (they must all carry the same).
json exposure_of(const json& report, const std::string& token)
{
  std::optional<json> found;
  for (const auto& f : report.at("findings")) {
    if (f.at("secret") != token)
      continue;
    INFO(f.dump(2));
    REQUIRE(f.contains("exposure"));
    if (found)
      CHECK(f.at("exposure") == *found);
    else
      found = f.at("exposure");
  }
  INFO(report.dump(2));
  REQUIRE(found);
  return *found;
}

std::vector<std::string> names(const json& list)
{
  return list.get<std::vector<std::string>>();
}

using Names = std::vector<std::string>;

// The text block of the secret that starts with `prefix` (4 characters, as the redacted form
// shows).
std::string block_of(const std::string& text, const std::string& token)
{
  std::string head = "Leaked token " + token.substr(0, 4) + "\u2026";
  auto at = text.find(head);
  INFO(text);
  REQUIRE(at != std::string::npos);
  auto end = text.find("\n\n", at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

} // namespace

TEST_CASE("exposure: a token still in HEAD", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.write("deploy.sh",
             "#!/bin/sh\n# uploads to https://zenodo.org/api\n" + token_assignment(token));
  auto added = repo.commit("Add deploy script");

  auto e = exposure_of(scan_report(repo), token);
  CHECK(e.at("in_head") == true);
  CHECK(names(e.at("branches")) == Names{"main"});
  CHECK(names(e.at("remotes")).empty());
  CHECK(names(e.at("tags")).empty());
  CHECK(e.at("stash_only") == false);
  CHECK(e.at("unreachable_only") == false);
  CHECK(names(e.at("zenodo_archived_releases")).empty());

  auto text = scan_text(repo);
  auto block = block_of(text, token);
  CHECK_THAT(block, Catch::Contains("  production  zenodo/assignment  error"));
  CHECK_THAT(block, Catch::Contains("first introduced: commit " + added.substr(0, 12) +
                                    " by Ada Author, 2020-01-01, in deploy.sh"));
  CHECK_THAT(block, Catch::Contains("1 place:\n    deploy.sh:3:14  zenodo/assignment  error  "
                                    "working tree, committed in " +
                                    added.substr(0, 12) + "\n"));
  CHECK_THAT(block, Catch::Contains("exposure: still in HEAD"));
  CHECK_THAT(block, Catch::Contains("branches main"));
  CHECK_THAT(block, Catch::Contains("on no remote-tracking ref"));
  CHECK_THAT(block, Catch::Contains("1. Create a new token at "
                                    "https://zenodo.org/account/settings/applications/"));
  CHECK_THAT(block, Catch::Contains("gh secret set ZENODO_TOKEN"));
  CHECK_THAT(block, Catch::Contains("3. Revoke the old token at "
                                    "https://zenodo.org/account/settings/applications/"));
  CHECK_THAT(block, Catch::Contains("Remove it from the files that still hold it"));
  CHECK_THAT(block, Catch::Contains("No remote-tracking ref holds it yet: rewrite history"));
  CHECK(text.find(token) == std::string::npos); // redacted
  CHECK_THAT(text,
             Catch::Contains("\n1 leaked token (1 production) in 1 place; 1 still in HEAD\n"));

  // --brief: one line per finding, no block, no summary in words.
  auto brief = scan_text(repo, {"--brief"});
  CHECK_THAT(brief, Catch::StartsWith("deploy.sh:3:14  zenodo/assignment  error  " +
                                      token.substr(0, 4) + "\u2026  [production]"));
  CHECK(brief.find("Leaked token") == std::string::npos);
  CHECK(brief.find("leaked token") == std::string::npos);
}

TEST_CASE("exposure: a token only in history", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.write("README.md", "# project\n");
  auto added = repo.commit_file("settings.env", token_assignment(token), "Add settings");
  repo.git({"rm", "-q", "settings.env"});
  repo.commit("Remove settings");

  auto e = exposure_of(scan_report(repo), token);
  CHECK(e.at("in_head") == false);
  CHECK(names(e.at("branches")) == Names{"main"});
  CHECK(names(e.at("remotes")).empty());
  CHECK(names(e.at("tags")).empty());

  auto text = scan_text(repo);
  auto block = block_of(text, token);
  CHECK_THAT(block, Catch::Contains("unknown instance  zenodo/assignment  error"));
  CHECK_THAT(block, Catch::Contains("settings.env:1:14  zenodo/assignment  error  commit " +
                                    added.substr(0, 12) + " (Ada Author, 2020-01-01)"));
  CHECK_THAT(block, Catch::Contains("exposure: not in HEAD, only in history; branches main"));
  // Unknown instance: both revoke pages.
  CHECK_THAT(block, Catch::Contains("https://sandbox.zenodo.org/account/settings/applications/"));
  CHECK(block.find("Remove it from the files that still hold it") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("\n1 leaked token (1 of unknown instance) in 1 place\n"));
}

TEST_CASE("exposure: tags whose tree holds the token, lightweight and annotated", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("src/upload.py", "import os\nZENODO_SANDBOX_TOKEN = \"" + token + "\"\n",
                   "Upload script");
  repo.git({"tag", "v1.0"});
  repo.git({"tag", "-a", "-m", "release 1.1", "v1.1"});
  repo.commit_file("src/upload.py", "import os\nZENODO_SANDBOX_TOKEN = os.environ['ZENODO']\n",
                   "Read the token from the environment");
  repo.git({"tag", "v2.0"});

  auto e = exposure_of(scan_report(repo), token);
  CHECK(e.at("in_head") == false);
  CHECK(names(e.at("tags")) == Names{"v1.0", "v1.1"});
  CHECK(names(e.at("zenodo_archived_releases")).empty()); // no Zenodo marker in HEAD

  auto text = scan_text(repo);
  auto block = block_of(text, token);
  CHECK_THAT(block, Catch::Contains("sandbox  zenodo/"));
  CHECK_THAT(block, Catch::Contains("release tags v1.0, v1.1"));
  CHECK_THAT(block, Catch::Contains("https://sandbox.zenodo.org/account/settings/applications/"));
  CHECK(block.find("https://zenodo.org/account") == std::string::npos);
  CHECK_THAT(block, Catch::Contains("Release tags v1.0, v1.1 hold it: source archives"));
  CHECK_THAT(text, Catch::Contains("1 in release tags v1.0, v1.1"));
}

TEST_CASE("exposure: a branch pushed to a bare remote, another never pushed", "[e2e][exposure]")
{
  TempRepo remote(true);
  TempRepo repo;
  repo.commit_file("README.md", "# project\n", "Initial");
  repo.git({"remote", "add", "origin", remote.path()});
  repo.git({"push", "-q", "origin", "main"});

  auto pushed = make_token();
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.commit_file("ci.env", token_assignment(pushed), "CI settings");
  repo.git({"push", "-q", "origin", "feature"});

  auto local = make_token();
  repo.git({"checkout", "-q", "-b", "experiment", "main"});
  repo.commit_file("try.env", token_assignment(local), "Try something");
  repo.git({"checkout", "-q", "main"});

  auto report = scan_report(repo);
  auto e = exposure_of(report, pushed);
  CHECK(e.at("in_head") == false);
  CHECK(names(e.at("branches")) == Names{"feature"});
  CHECK(names(e.at("remotes")) == Names{"origin/feature"});
  auto l = exposure_of(report, local);
  CHECK(names(l.at("branches")) == Names{"experiment"});
  CHECK(names(l.at("remotes")).empty());

  auto text = scan_text(repo);
  auto pushed_block = block_of(text, pushed);
  CHECK_THAT(pushed_block, Catch::Contains("pushed: origin/feature"));
  CHECK_THAT(pushed_block, Catch::Contains("It was pushed (origin/feature): rewrite history"));
  CHECK_THAT(pushed_block, Catch::Contains("force-push"));
  CHECK_THAT(pushed_block, Catch::Contains("re-clone"));
  auto local_block = block_of(text, local);
  CHECK_THAT(local_block, Catch::Contains("on no remote-tracking ref"));
  CHECK_THAT(local_block, Catch::Contains("No remote-tracking ref holds it yet"));
  CHECK_THAT(text,
             Catch::Contains("2 leaked tokens (2 of unknown instance) in 2 places; 1 pushed"));

  // Once the branch is merged into main and main is pushed, main and origin/main have it too.
  repo.git({"merge", "-q", "--no-ff", "-m", "Merge feature", "feature"});
  repo.git({"push", "-q", "origin", "main"});
  auto merged = exposure_of(scan_report(repo), pushed);
  CHECK(merged.at("in_head") == true);
  CHECK(names(merged.at("branches")) == Names{"feature", "main"});
  CHECK(names(merged.at("remotes")) == Names{"origin/feature", "origin/main"});
}

TEST_CASE("exposure: every branch that introduced the token, not only the first one",
          "[e2e][exposure]")
{
  // The token's first commit is on `feature`; `main` gets it by a cherry-pick (another commit,
  // not an ancestor of main): main must be listed too.
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("README.md", "# project\n", "Initial");
  repo.git({"checkout", "-q", "-b", "feature"});
  auto first = repo.commit_file("ci.env", token_assignment(token), "CI settings");
  repo.git({"checkout", "-q", "main"});
  repo.commit_file("other.txt", "other\n", "Other work");
  repo.git({"cherry-pick", first});
  repo.git({"branch", "-q", "-D", "feature"});
  repo.git({"checkout", "-q", "-b", "feature", first});
  repo.git({"checkout", "-q", "main"});

  auto e = exposure_of(scan_report(repo), token);
  CHECK(names(e.at("branches")) == Names{"feature", "main"});
  CHECK(e.at("in_head") == true);
}

TEST_CASE("exposure: a token only in the stash", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("settings.ini", "[general]\n", "Settings");
  repo.write("settings.ini", "[general]\n" + token_assignment(token));
  repo.git({"stash", "-q"});

  auto e = exposure_of(scan_report(repo), token);
  CHECK(e.at("stash_only") == true);
  CHECK(e.at("in_head") == false);
  CHECK(names(e.at("branches")).empty());
  CHECK(names(e.at("remotes")).empty());
  CHECK(e.at("unreachable_only") == false);

  auto block = block_of(scan_text(repo), token);
  CHECK_THAT(block, Catch::Contains("only in the stash"));
  CHECK_THAT(block, Catch::Contains("git stash drop"));
  CHECK(block.find("on no remote-tracking ref") == std::string::npos);

  // Popped back into the working tree: no longer stash-only.
  repo.git({"stash", "apply", "-q"});
  auto applied = exposure_of(scan_report(repo), token);
  CHECK(applied.at("stash_only") == false);
  CHECK(applied.at("in_head") == true);
}

TEST_CASE("exposure: a token only in unreachable objects", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("README.md", "readme\n", "Base");
  repo.commit_file("leak.txt", token_assignment(token), "Oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  repo.git({"reflog", "expire", "--expire=now", "--all"});

  auto e = exposure_of(scan_report(repo, {"--all-objects"}), token);
  CHECK(e.at("unreachable_only") == true);
  CHECK(e.at("in_head") == false);
  CHECK(e.at("stash_only") == false);
  CHECK(names(e.at("branches")).empty());
  CHECK(names(e.at("tags")).empty());

  auto block = block_of(scan_text(repo, {"--all-objects"}), token);
  CHECK_THAT(block, Catch::Contains("only in unreachable objects"));
  CHECK_THAT(block, Catch::Contains("git gc --prune=now"));
  CHECK_THAT(block, Catch::Contains("leak.txt:1:14  zenodo/assignment  error  commit"));
  CHECK_THAT(block, Catch::Contains(", unreachable"));
}

TEST_CASE("exposure: releases archived on Zenodo (.zenodo.json, DOI in the README)",
          "[e2e][exposure]")
{
  for (std::string marker : {".zenodo.json", "CITATION.cff", "README.md"}) {
    INFO(marker);
    TempRepo repo;
    auto token = make_token();
    repo.commit_file("upload.sh", token_assignment(token), "Upload");
    repo.git({"tag", "v1.0"});
    repo.git({"rm", "-q", "upload.sh"});
    if (marker == "README.md")
      repo.write("README.md", "# tool\n[![DOI](https://zenodo.org/badge/DOI/10.5281/"
                              "zenodo.1234567.svg)](https://doi.org/10.5281/zenodo.1234567)\n");
    else
      repo.write(marker, "{}\n");
    repo.commit("Remove the token, describe releases");
    repo.git({"tag", "v1.1"});

    auto e = exposure_of(scan_report(repo), token);
    CHECK(names(e.at("tags")) == Names{"v1.0"});
    CHECK(names(e.at("zenodo_archived_releases")) == Names{"v1.0"});

    auto block = block_of(scan_text(repo), token);
    CHECK_THAT(block, Catch::Contains("archived on Zenodo (probably): v1.0"));
    CHECK_THAT(block, Catch::Contains("a published record cannot be edited"));
    CHECK_THAT(block, Catch::Contains("contact Zenodo support"));
  }
  // A README that names Zenodo without a DOI is no marker.
  TempRepo plain;
  auto token = make_token();
  plain.write("README.md", "Uploads to Zenodo.\n");
  plain.commit_file("upload.sh", token_assignment(token), "Upload");
  plain.git({"tag", "v1.0"});
  auto e = exposure_of(scan_report(plain), token);
  CHECK(names(e.at("tags")) == Names{"v1.0"});
  CHECK(names(e.at("zenodo_archived_releases")).empty());
}

TEST_CASE("exposure: two tokens, one in three places, one block each", "[e2e][exposure]")
{
  TempRepo repo;
  auto three = make_token();
  auto one = make_token();
  repo.commit_file("old.sh", token_assignment(three), "Old script");
  repo.git({"rm", "-q", "old.sh"});
  repo.write("a.env", token_assignment(three));
  repo.write("conf/b.yml", "zenodo:\n  token: \"" + three + "\"\n");
  repo.commit_file("c.env", "ZENODO_SANDBOX_TOKEN=" + one + "\n", "New layout");

  auto report = scan_report(repo);
  auto e3 = exposure_of(report, three);
  CHECK(e3.at("in_head") == true);
  CHECK(names(e3.at("branches")) == Names{"main"});
  auto e1 = exposure_of(report, one);
  CHECK(e1.at("in_head") == true);
  // Two findings in the working tree (old.sh has a.env's blob: one of a.env's other locations).
  std::size_t findings = 0;
  for (const auto& f : report.at("findings"))
    if (f.at("secret") == three) {
      ++findings;
      if (f.at("path") == "a.env")
        CHECK(f.at("other_locations") == 1);
    }
  CHECK(findings == 2);

  auto text = scan_text(repo);
  auto block = block_of(text, three);
  CHECK_THAT(block, Catch::Contains("3 places:"));
  // a.env has old.sh's content: that commit is old.sh's place, not "committed in" for a.env.
  CHECK_THAT(block, Catch::Contains("a.env:1:14  zenodo/assignment  error  working tree\n"));
  CHECK_THAT(block,
             Catch::Contains("working tree, committed in " + repo.rev("main").substr(0, 12)));
  CHECK_THAT(block, Catch::Contains("conf/b.yml:2:"));
  CHECK_THAT(block, Catch::Contains("old.sh:1:14  zenodo/assignment  error  commit"));
  CHECK_THAT(block, Catch::Contains("first introduced: commit " + repo.rev("main~1").substr(0, 12) +
                                    " by Ada Author, 2020-01-01, in old.sh"));
  auto other = block_of(text, one);
  CHECK_THAT(other, Catch::Contains("1 place:"));
  CHECK_THAT(other, Catch::Contains("sandbox"));
  CHECK_THAT(text, Catch::Contains("2 leaked tokens (1 sandbox, 1 of unknown instance) in 4 "
                                   "places; 2 still in HEAD\n"));
}

TEST_CASE("exposure: absent when the history was not walked", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("a.env", token_assignment(token), "Add");
  auto report = scan_report(repo, {"--no-history"});
  REQUIRE_FALSE(report.at("findings").empty());
  for (const auto& f : report.at("findings"))
    CHECK_FALSE(f.contains("exposure"));
}

TEST_CASE("exposure: SARIF result properties and GitLab details carry it", "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  repo.commit_file("a.env", token_assignment(token), "Add");
  repo.git({"tag", "v1.0"});
  auto sarif = json::parse(repo.zenolint({"scan", "--format", "sarif"}).out);
  bool seen = false;
  for (const auto& r : sarif.at("runs").at(0).at("results"))
    if (r.at("ruleId") == "zenodo/assignment") {
      const auto& e = r.at("properties").at("exposure");
      CHECK(e.at("in_head") == true);
      CHECK(names(e.at("tags")) == Names{"v1.0"});
      seen = true;
    }
  CHECK(seen);
  auto gitlab = json::parse(repo.zenolint({"scan", "--format", "gitlab"}).out);
  seen = false;
  for (const auto& v : gitlab.at("vulnerabilities"))
    if (v.at("identifiers").at(0).at("value") == "zenodo/assignment") {
      const auto& items = v.at("details").at("exposure").at("items");
      CHECK(items.at("in_head").at("value") == "true");
      CHECK(items.at("tags").at("items").at(0).at("value") == "v1.0");
      auto solution = v.at("solution").get<std::string>();
      CHECK_THAT(solution, Catch::Contains("1. Create a new token"));
      CHECK_THAT(solution, Catch::Contains("Release tags v1.0 hold it"));
      seen = true;
    }
  CHECK(seen);
}

TEST_CASE("remediate: a 0600 replacements file that git filter-repo uses to purge history",
          "[e2e][remediate]")
{
  TempRepo repo;
  auto a = make_token();
  auto b = make_token();
  repo.write("README.md", "# project\n");
  repo.write("a.env", token_assignment(a));
  repo.commit_file("b.py", "zenodo_token = \"" + b + "\"\nother = 'a " + a + "'\n", "Secrets");
  repo.git({"rm", "-q", "a.env", "b.py"});
  repo.commit("Remove them");

  TempDir out_dir;
  std::string file = out_dir / "replacements.txt";
  auto r = repo.zenolint({"remediate", ".", "--replacements", file});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  struct stat st {};
  REQUIRE(::lstat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  std::string expected =
      a < b ? a + "==>REMOVED\n" + b + "==>REMOVED\n" : b + "==>REMOVED\n" + a + "==>REMOVED\n";
  CHECK(read_file(file) == expected); // one line per unique secret, sorted
  CHECK_THAT(r.out, Catch::Contains("Wrote 2 secrets to " + file + " (mode 0600)"));
  CHECK_THAT(r.out, Catch::Contains("holds the raw secrets"));
  CHECK_THAT(r.out, Catch::Contains("git filter-repo --replace-text '" + file + "'"));
  CHECK_THAT(r.out, Catch::Contains("git push --force"));
  CHECK_THAT(r.out, Catch::Contains("re-clone"));
  CHECK(r.out.find(a) == std::string::npos);
  CHECK(r.err.find(a) == std::string::npos);

  // Never overwritten, never through a symlink.
  zenolint::test::write_file(file, "mine\n");
  auto again = repo.zenolint({"remediate", ".", "--replacements", file});
  CHECK(again.status == 2);
  CHECK_THAT(again.err, Catch::Contains("exists"));
  CHECK(read_file(file) == "mine\n");
  std::string target = out_dir / "target";
  std::string link = out_dir / "link";
  fs::create_symlink(target, link);
  auto via_link = repo.zenolint({"remediate", ".", "--replacements", link});
  CHECK(via_link.status == 2);
  CHECK_FALSE(fs::exists(target));

  // The real git filter-repo on a fresh mirror: the secrets are gone from every commit.
  fs::remove(file);
  REQUIRE(repo.zenolint({"remediate", ".", "--replacements", file}).status == 0);
  TempDir mirror_parent;
  std::string mirror = mirror_parent / "mirror.git";
  repo.git({"clone", "-q", "--mirror", repo.path(), mirror});
  auto opts = repo.options();
  opts.cwd = mirror;
  auto fr = zenolint::test::run({"git", "filter-repo", "--replace-text", file}, opts);
  INFO(fr.out << fr.err);
  REQUIRE(fr.status == 0);
  auto log = zenolint::test::must_run({"git", "log", "-p", "--all"}, opts);
  CHECK(log.find(a) == std::string::npos);
  CHECK(log.find(b) == std::string::npos);
  CHECK_THAT(log, Catch::Contains("ZENODO_TOKEN=REMOVED"));
  auto rescan = zenolint::test::run_zenolint(
      {"scan", "--history-only", "--format", "json", "--show-secrets", mirror}, opts);
  CHECK(rescan.status == 0);
  CHECK(json::parse(rescan.out).at("findings").empty());

  // Nothing found: nothing written.
  TempRepo clean;
  clean.commit_file("README.md", "# clean\n", "Clean");
  std::string none = out_dir / "none.txt";
  auto nothing = clean.zenolint({"remediate", ".", "--replacements", none});
  CHECK(nothing.status == 0);
  CHECK_THAT(nothing.out, Catch::Contains("not written"));
  CHECK_FALSE(fs::exists(none));
}

TEST_CASE("exposure: the grouped block never lets an escape sequence reach the terminal",
          "[e2e][exposure]")
{
  TempRepo repo;
  auto token = make_token();
  std::string name = "evil\x1b[2J\x1b]0;owned\x07.env";
  repo.commit_file(name, token_assignment(token), "Add");
  repo.git({"rm", "-q", "--", name});
  repo.commit("Remove");
  auto text = scan_text(repo);
  auto block = block_of(text, token);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK_THAT(block, Catch::Contains("evil\\e[2J"));
}

TEST_CASE("a base64-encoded token: found, decoded, never printed, removed in both forms",
          "[e2e][remediate]")
{
  TempRepo repo;
  auto t = make_token();
  std::string encoded = base64_encode(t + "\n"); // what `echo $TOKEN | base64` writes
  repo.commit_file("k8s/zenodo-secret.yaml",
                   "apiVersion: v1\nkind: Secret\nmetadata:\n  name: zenodo\ndata:\n"
                   "  ZENODO_SANDBOX_TOKEN: " +
                       encoded + "\n",
                   "Deploy");
  auto report = scan_json_in(repo.path(), {"--no-history"}, 1);
  REQUIRE(report["findings"].size() == 1);
  const auto& f = report["findings"][0];
  CHECK(f["rule"] == "zenodo/base64-token");
  CHECK(f["encoding"] == "base64");
  CHECK(f["instance"] == "sandbox");
  CHECK(f["line"] == 6);
  CHECK(f["column"] == 25);
  std::string text = scan_text(repo, {"--no-history"});
  for (const std::string& raw : {t, encoded}) {
    CHECK(report.dump().find(raw) == std::string::npos);
    CHECK(text.find(raw) == std::string::npos);
  }
  CHECK_THAT(text, Catch::Contains(t.substr(0, 4) + "\xe2\x80\xa6")); // the decoded token's prefix

  TempDir out_dir;
  std::string file = out_dir / "replacements.txt";
  auto r = repo.zenolint({"remediate", ".", "--replacements", file});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  std::string expected = encoded < t ? encoded + "==>REMOVED\n" + t + "==>REMOVED\n"
                                     : t + "==>REMOVED\n" + encoded + "==>REMOVED\n";
  CHECK(read_file(file) == expected);
  CHECK_THAT(r.out, Catch::Contains("Wrote 1 secret to"));
}
