// Inputs other than one directory: standard input (`scan -`, --stdin-name) and several path
// arguments mixing a repository, a directory and an archive.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

namespace {

std::vector<std::string> rule_paths(const json& doc, const std::string& rule_prefix)
{
  std::vector<std::string> out;
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind(rule_prefix, 0) == 0)
      out.push_back(f["path"].get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("scan - reads standard input as one file", "[e2e][stdin]")
{
  std::string tok = make_token();
  RunOptions o;
  o.stdin_data = "diff --git a/x b/x\n+export ZENODO_TOKEN=" + tok + "\n";
  auto r = run_zenolint({"scan", "-"}, o);
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("-:2:22  zenodo/assignment  error"));
  CHECK(r.out.find(tok) == std::string::npos);

  auto clean = run_zenolint({"scan", "-"}, RunOptions{"", {}, "nothing to see\n"});
  CHECK(clean.status == 0);
  auto empty = run_zenolint({"scan", "-"});
  CHECK(empty.status == 0);

  // History options make no sense for a stream.
  auto bad = run_zenolint({"scan", "--history-only", "-"}, o);
  CHECK(bad.status == 2);
}

TEST_CASE("stdin: --stdin-name names standard input and picks its file kind", "[e2e][stdin]")
{
  std::string tok = make_token();
  RunOptions o;
  o.stdin_data = "[ZENODO]\ntoken = " + tok + "\n";
  auto r = run_zenolint({"scan", "--format", "json", "--stdin-name", "conf/.zenodorc", "-"}, o);
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  REQUIRE(doc["findings"].size() >= 1);
  CHECK(doc["findings"][0]["path"] == "conf/.zenodorc");
  CHECK(doc["findings"][0]["source"] == "stdin");
  CHECK(doc["findings"][0]["instance"] == "production");
  CHECK(doc["scan"] == "stdin");

  // A .zenodorc from stdin gets the credential-file checks too: a placeholder is reported only
  // because the name says it is zenopy's file.
  RunOptions placeholder;
  placeholder.stdin_data = "[ZENODO]\ntoken = CHANGEME\n";
  auto named =
      run_zenolint({"scan", "--format", "json", "--stdin-name", ".zenodorc", "-"}, placeholder);
  auto unnamed = run_zenolint({"scan", "--format", "json", "-"}, placeholder);
  INFO(named.out << unnamed.out);
  CHECK(rule_paths(json::parse(named.out), "config/placeholder-token") ==
        std::vector<std::string>{".zenodorc"});
  CHECK(rule_paths(json::parse(unnamed.out), "config/").empty());
}

TEST_CASE("standard input may be an archive", "[e2e][stdin][archive]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "src/deploy.sh", "export ZENODO_TOKEN=" + tok + "\n");
  must_run({"bsdtar", "-czf", dir / "upload.tar.gz", "-C", dir / "src", "deploy.sh"});
  RunOptions o;
  o.stdin_data = read_file(dir / "upload.tar.gz");
  auto r = run_zenolint({"scan", "--stdin-name", "upload.tar.gz", "-"}, o);
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("upload.tar.gz!deploy.sh:1:21  zenodo/assignment"));
  CHECK_THAT(r.out, Catch::Contains("1 member of 1 archive"));
}

TEST_CASE("standard input longer than --max-file-size: what fits is scanned, with a warning",
          "[e2e][stdin]")
{
  std::string tok = make_token();
  RunOptions o;
  o.stdin_data = "export ZENODO_TOKEN=" + tok + "\n" + std::string(3000, 'x') + "\n";
  auto r = run_zenolint({"scan", "--max-file-size", "1K", "-"}, o);
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("standard input is longer than 1024 bytes (--max-file-size); "
                                    "only the first 81 bytes were scanned"));
}

TEST_CASE("several paths: a repository, a directory and an archive, one exit status",
          "[e2e][paths]")
{
  TempDir top;
  std::string tok1 = make_token(), tok2 = make_token();
  TempRepo repo;
  repo.write("src/app.py", "ZENODO_TOKEN = '" + tok1 + "'\n");
  repo.commit("app");
  write_file(top / "deposit/data/readme.txt", "plain\n");
  write_file(top / "deposit/upload.sh", "export ZENODO_TOKEN=" + tok2 + "\n");
  write_file(top / "pkg/notes.txt", "zenodo_token: " + tok2 + "\n");
  must_run({"bsdtar", "-czf", top / "release.tar.gz", "-C", top / "pkg", "notes.txt"});
  write_file(top / "clean/readme.txt", "nothing\n");

  RunOptions o;
  o.cwd = top.path();
  auto r = run_zenolint(
      {"scan", "--format", "json", repo.path(), "deposit", "release.tar.gz", "clean/"}, o);
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  std::vector<std::string> expected = {"deposit/upload.sh", "release.tar.gz!notes.txt",
                                       repo.path() + "/src/app.py"};
  std::sort(expected.begin(), expected.end());
  CHECK(rule_paths(doc, "zenodo/") == expected);
  // Stats add up over the roots (1 commit from the repository's history).
  CHECK(doc["stats"]["commits"] == 1);
  CHECK(doc["stats"]["archives"] == 1);

  // The exit status covers every root: only the last one has findings.
  auto last_only = run_zenolint({"scan", "clean", "release.tar.gz"}, o);
  CHECK(last_only.status == 1);
  auto none = run_zenolint({"scan", "clean", "deposit/data"}, o);
  CHECK(none.status == 0);
  // A missing root is fatal, as for one path.
  auto missing = run_zenolint({"scan", "clean", "nope"}, o);
  CHECK(missing.status == 2);
}

TEST_CASE("several paths: a subdirectory of a repository keeps repository-relative paths",
          "[e2e][paths]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("sub/dir/x.env", "ZENODO_TOKEN=" + tok + "\n");
  repo.write("other/y.env", "nothing\n");
  repo.commit("add");
  TempDir other;
  write_file(other / "z.env", "ZENODO_TOKEN=" + tok + "\n");
  auto r = run_zenolint({"scan", "--no-history", "--format", "json", repo / "sub", other.path()});
  INFO(r.out << r.err);
  auto doc = json::parse(r.out);
  std::vector<std::string> expected = {other.path() + "/z.env", repo.path() + "/sub/dir/x.env"};
  std::sort(expected.begin(), expected.end());
  CHECK(rule_paths(doc, "zenodo/") == expected);
}
