// The real binary on throwaway directories and git repositories.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace zenolint::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json parse(const RunResult& r)
{
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  return json::parse(r.out);
}

// Token findings only: credential-file checks (config/...) add their own findings to untracked
// files with tokens (permissions, not ignored), which these tests do not look at.
json token_findings(const json& doc)
{
  json out = json::array();
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      out.push_back(f);
  return out;
}

std::vector<std::string> paths_of(const json& doc)
{
  std::vector<std::string> out;
  for (const auto& f : token_findings(doc))
    out.push_back(f["path"].get<std::string>());
  return out;
}

} // namespace

TEST_CASE("a planted token is found, redacted, and makes exit status 1", "[e2e][scan]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("deploy.sh", "#!/bin/sh\nexport ZENODO_TOKEN=" + tok + "\n");
  repo.write("README.md", "nothing here\n");
  repo.commit("initial");
  auto r = repo.zenolint({"scan", "--no-history", "--brief"});
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("deploy.sh:2:21  zenodo/assignment  error  " +
                                    tok.substr(0, 4) + "\u2026"));
  CHECK_THAT(r.out, Catch::Contains("1 finding in 2 files"));
  CHECK(r.out.find(tok) == std::string::npos);
  CHECK(r.err.find(tok) == std::string::npos);
}

TEST_CASE("the raw token appears in no output format unless --show-secrets", "[e2e][redaction]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("config.yml", "zenodo_token: \"" + tok + "\"\n");
  for (std::string format : {"text", "json", "sarif", "gitlab"}) {
    auto r = repo.zenolint({"scan", "--no-history", "--format", format});
    INFO(format);
    CHECK(r.status == 1);
    CHECK(r.out.find(tok) == std::string::npos);
    CHECK(r.err.find(tok) == std::string::npos);
    auto shown = repo.zenolint({"scan", "--no-history", "--format", format, "--show-secrets"});
    CHECK(shown.out.find(tok) != std::string::npos);
  }
  // --output FILE: same rule.
  auto r = repo.zenolint({"scan", "--no-history", "--format", "json", "-o", repo / "out.json"});
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  auto written = read_file(repo / "out.json");
  CHECK(written.find(tok) == std::string::npos);
  CHECK(token_findings(json::parse(written)).size() == 1);
}

TEST_CASE("JSON report carries rule, location, fingerprint and counts", "[e2e][json]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("src/ünïcode.py", "x = 1\n# é\nzenodo_token = \"" + tok + "\"\n");
  auto r = repo.zenolint({"scan", "--no-history", "--format", "json"});
  REQUIRE(r.status == 1);
  auto doc = token_findings(parse(r));
  REQUIRE(doc.size() == 1);
  auto f = doc[0];
  CHECK(f["rule"] == "zenodo/assignment");
  CHECK(f["path"] == "src/ünïcode.py");
  CHECK(f["line"] == 3);
  CHECK(f["column"] == 17);
  CHECK(f["end_column"] == 77);
  CHECK(f["severity"] == "error");
  CHECK(f["fingerprint"].get<std::string>().size() == 64);
  CHECK(f["secret"] == tok.substr(0, 4) + "\u2026");
  auto full = parse(r);
  CHECK(full["stats"]["blobs_scanned"] == 1);
  CHECK(full["diagnostics"].empty());
}

TEST_CASE("columns count characters, not bytes", "[e2e][json]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "notes.txt", "ééé zenodo_token=" + tok + "\n");
  auto r = run_zenolint({"scan", "--format", "json", dir.path()});
  auto doc = token_findings(parse(r));
  REQUIRE(doc.size() == 1);
  CHECK(doc[0]["column"] == 18);
}

TEST_CASE("gitignored files are not scanned; untracked ones are", "[e2e][gitignore]")
{
  TempRepo repo;
  repo.write(".gitignore", "secret.env\nbuild/\n");
  repo.write("secret.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("build/out.txt", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("excluded.txt", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write(".git/info/exclude", "excluded.txt\n");
  repo.write("untracked.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("tracked.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.git({"add", "tracked.env", ".gitignore"});
  repo.git({"commit", "-qm", "add"});
  // A global excludes file through core.excludesFile in the (temporary) home.
  repo.write("global.txt", "ZENODO_TOKEN=" + make_token() + "\n");
  write_file(repo.home() + "/.gitignore_global", "global.txt\n");
  repo.git({"config", "--global", "core.excludesFile", repo.home() + "/.gitignore_global"});
  auto doc = parse(repo.zenolint({"scan", "--no-history", "--format", "json"}));
  CHECK(paths_of(doc) == std::vector<std::string>{"tracked.env", "untracked.env"});

  // --include-ignored: every file, whatever git ignores; paths stay relative to the work tree,
  // from a subdirectory too.
  const std::vector<std::string> all{"build/out.txt", "excluded.txt", "global.txt",
                                     "secret.env",    "tracked.env",  "untracked.env"};
  auto with =
      parse(repo.zenolint({"scan", "--no-history", "--include-ignored", "--format", "json"}));
  CHECK(paths_of(with) == all);
  auto full = parse(repo.zenolint({"scan", "--include-ignored", "--format", "json"}));
  CHECK(paths_of(full) == all); // with history: each place once (tracked.env's blob is the same)
  auto sub = parse(repo.zenolint(
      {"scan", "--no-history", "--include-ignored", "--format", "json", repo.path() + "/build"}));
  CHECK(paths_of(sub) == std::vector<std::string>{"build/out.txt"});
  auto bad = repo.zenolint({"scan", "--staged", "--include-ignored"});
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("--include-ignored"));
}

TEST_CASE("outside a git repository the directory is walked, .git dirs are never content",
          "[e2e][walk]")
{
  TempDir dir;
  write_file(dir / "a/b/c.env", "ZENODO_TOKEN=" + make_token() + "\n");
  write_file(dir / "x/.git/config", "ZENODO_TOKEN=" + make_token() + "\n");
  auto doc = parse(run_zenolint({"scan", "--format", "json", dir.path()}, {dir.path(), {}, ""}));
  CHECK(paths_of(doc) == std::vector<std::string>{"a/b/c.env"});
}

TEST_CASE("symlinks are never followed, inside or out of PATH", "[e2e][symlink]")
{
  TempDir outside;
  write_file(outside / "leak.env", "ZENODO_TOKEN=" + make_token() + "\n");
  TempRepo repo;
  repo.write("inside.env", "ZENODO_TOKEN=" + make_token() + "\n");
  fs::create_symlink(outside / "leak.env", repo / "link-out.env");
  fs::create_directory_symlink(outside.path(), repo / "dir-out");
  fs::create_symlink(repo / "inside.env", repo / "link-in.env");
  fs::create_symlink(repo / "missing", repo / "dangling.env");
  auto r = repo.zenolint({"scan", "--no-history", "--format", "json"});
  auto doc = parse(r);
  CHECK(paths_of(doc) == std::vector<std::string>{"inside.env"});
  CHECK(doc["stats"]["skipped"]["symlink"].get<int>() >= 3);
}

TEST_CASE("binary and oversize files are skipped and counted", "[e2e][skip]")
{
  TempDir dir;
  write_file(dir / "image.bin", std::string("ZENODO_TOKEN=") + make_token() + std::string(3, '\0'));
  write_file(dir / "big.env", std::string(2000, '#') + "\nZENODO_TOKEN=" + make_token() + "\n");
  write_file(dir / "small.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto doc = parse(run_zenolint({"scan", "--format", "json", "--max-file-size", "1K", dir.path()}));
  CHECK(paths_of(doc) == std::vector<std::string>{"small.env"});
  CHECK(doc["stats"]["skipped"]["binary"] == 1);
  CHECK(doc["stats"]["skipped"]["too_large"] == 1);
  auto all = parse(run_zenolint({"scan", "--format", "json", dir.path()}));
  CHECK(paths_of(all) == std::vector<std::string>{"big.env", "small.env"});
  auto text = run_zenolint({"scan", "--max-file-size", "1K", dir.path()});
  CHECK_THAT(text.out, Catch::Contains("binary 1, too large 1"));
}

TEST_CASE("a FIFO is a diagnostic and the scan goes on", "[e2e][unreadable]")
{
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe.env").c_str(), 0600) == 0);
  write_file(dir / "real.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto r = run_zenolint({"scan", "--format", "json", dir.path()});
  CHECK(r.status == 1);
  auto doc = parse(r);
  CHECK(paths_of(doc) == std::vector<std::string>{"real.env"});
  REQUIRE(doc["diagnostics"].size() == 1);
  CHECK(doc["diagnostics"][0]["subject"] == "pipe.env");
  CHECK_THAT(r.err, Catch::Contains("pipe.env"));
  // Text on stdout: the diagnostic goes to stderr, the summary counts it.
  auto text = run_zenolint({"scan", dir.path()});
  CHECK_THAT(text.err, Catch::Contains("pipe.env") && Catch::Contains("not a regular file"));
  CHECK_THAT(text.out, Catch::Contains("1 diagnostics"));
  CHECK(text.out.find("not a regular file") == std::string::npos);
}

TEST_CASE("an untracked FIFO in a repository is a diagnostic too", "[e2e][unreadable]")
{
  TempRepo repo;
  repo.write("a.env", "ZENODO_TOKEN=" + make_token() + "\n");
  REQUIRE(::mkfifo((repo / "pipe.env").c_str(), 0600) == 0);
  auto r = repo.zenolint({"scan", "--no-history", "--format", "json"});
  auto doc = parse(r);
  CHECK(paths_of(doc) == std::vector<std::string>{"a.env"});
}

TEST_CASE("reports are byte-identical for --jobs 1 and --jobs 4 give byte-identical reports",
          "[e2e][determinism]")
{
  TempRepo repo;
  for (int i = 0; i < 60; ++i)
    repo.write("d" + std::to_string(i % 5) + "/f" + std::to_string(i) + ".sh",
               "echo " + std::to_string(i) + "\nexport ZENODO_TOKEN=" + make_token() + "\n");
  for (std::string format : {"text", "json", "sarif"}) {
    auto one = repo.zenolint({"scan", "--no-history", "--format", format, "--jobs", "1"});
    auto four = repo.zenolint({"scan", "--no-history", "--format", format, "--jobs", "4"});
    CHECK(one.status == 1);
    CHECK(one.out == four.out);
  }
}

TEST_CASE("a clean tree exits 0", "[e2e][exit]")
{
  TempRepo repo;
  repo.write("main.py", "print('hello')\nZENODO_TOKEN = os.environ['ZENODO_TOKEN']\n");
  auto r = repo.zenolint({"scan", "--no-history"});
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("0 findings"));
}

TEST_CASE("usage errors and missing paths exit 2", "[e2e][exit]")
{
  CHECK(run_zenolint({"scan", "--format", "xml"}).status == 2);
  CHECK(run_zenolint({"frobnicate"}).status == 2);
  auto r = run_zenolint({"scan", "/nonexistent/zenolint/path"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent/zenolint/path"));
  CHECK(run_zenolint({"scan", "--max-file-size", "ten"}).status == 2);
}

TEST_CASE("colour only when asked or on a terminal; --color always wins over NO_COLOR",
          "[e2e][color]")
{
  TempDir dir;
  write_file(dir / "a.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto plain = run_zenolint({"scan", dir.path()});
  CHECK(plain.out.find("\x1b[") == std::string::npos);
  RunOptions opts;
  opts.env["NO_COLOR"] = "";
  auto forced = run_zenolint({"scan", "--color", "always", dir.path()}, opts);
  CHECK(forced.out.find("\x1b[31m") != std::string::npos);
  opts.env["NO_COLOR"] = "1";
  auto no_color = run_zenolint({"scan", "--color", "always", dir.path()}, opts);
  CHECK(no_color.out.find("\x1b[31m") != std::string::npos); // no-color.org: the user's flag wins
  auto never = run_zenolint({"scan", "--color", "never", dir.path()});
  CHECK(never.out.find("\x1b[") == std::string::npos);
}

TEST_CASE("blob ids match git hash-object for unmodified, modified and untracked files",
          "[e2e][blob-id]")
{
  TempRepo repo;
  repo.write("same.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("changed.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.commit("add");
  // Same size, new content, same second: git must not trust stat data alone (racy git).
  repo.write("changed.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("new.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto doc = parse(repo.zenolint({"scan", "--no-history", "--format", "json"}));
  auto tokens = token_findings(doc);
  REQUIRE(tokens.size() == 3);
  for (const auto& f : tokens) {
    std::string path = f["path"];
    std::string expected = repo.git({"hash-object", path}).substr(0, 40);
    INFO(path);
    CHECK(f["blob"] == expected);
  }
}
