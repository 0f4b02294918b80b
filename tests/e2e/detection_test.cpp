#include "support/corpus.hpp"
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>

using namespace zenolint;
using nlohmann::json;

namespace {

json scan_json(const std::string& dir, std::vector<std::string> extra = {})
{
  std::vector<std::string> args = {"scan", "--no-history", "--format", "json", "--show-secrets"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(dir);
  auto r = test::zenolint(args);
  INFO(r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  auto doc = json::parse(r.out);
  // Token findings only; credential-file checks (config/...) are tested on their own.
  json tokens = json::array();
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      tokens.push_back(f);
  doc["findings"] = tokens;
  return doc;
}

} // namespace

TEST_CASE("inline allow comments are counted, and --no-inline-allow ignores them",
          "[e2e][inline-allow]")
{
  test::TempDir dir;
  std::string a = test::make_token(), b = test::make_token(), c = test::make_token();
  test::write_file(dir / "deploy.env", "ZENODO_TOKEN=" + a +
                                           " # zenolint:allow\n"
                                           "# zenolint:allow-next-line\n"
                                           "ZENODO_SANDBOX_TOKEN=" +
                                           b +
                                           "\n"
                                           "ZENODO_TOKEN_2=" +
                                           c + "\n");
  auto with = scan_json(dir.path());
  REQUIRE(with["findings"].size() == 1);
  CHECK(with["findings"][0]["secret"] == c);
  CHECK(with["stats"]["suppressed"]["inline"] == 2);

  auto without = scan_json(dir.path(), {"--no-inline-allow"});
  REQUIRE(without["findings"].size() == 3);
  CHECK(without["stats"]["suppressed"]["inline"] == 0);
  bool sandbox_seen = false;
  for (const auto& f : without["findings"])
    if (f["secret"] == b) {
      sandbox_seen = true;
      CHECK(f["instance"] == "sandbox");
      CHECK(f["severity"] == "warning");
    }
  CHECK(sandbox_seen);

  // All suppressed: exit 0; not suppressed: exit 1.
  test::write_file(dir / "deploy.env", "ZENODO_TOKEN=" + a + " # zenolint:allow\n");
  CHECK(test::zenolint({"scan", "--no-history", dir.path()}).status == 0);
  CHECK(test::zenolint({"scan", "--no-history", "--no-inline-allow", dir.path()}).status == 1);
}

TEST_CASE("labelled corpus through the real binary: every planted token, nothing else",
          "[e2e][corpus]")
{
  test::TempDir dir;
  auto corpus = test::make_corpus();
  test::write_corpus(dir.path(), corpus);
  for (const auto& repo : test::corpus_repos(corpus)) {
    auto rep = scan_json(dir.path() + "/" + repo);
    std::size_t planted = 0;
    for (const auto& f : corpus)
      if (f.repo == repo)
        planted += f.planted.size();
    std::size_t token_findings = 0;
    for (const auto& f : rep["findings"])
      token_findings += f["rule"].get<std::string>().rfind("zenodo/", 0) == 0;
    INFO("repository " << repo);
    CHECK(token_findings == planted);
    for (const auto& file : corpus) {
      if (file.repo != repo)
        continue;
      for (const auto& p : file.planted) {
        bool found = false;
        for (const auto& f : rep["findings"])
          if (f["secret"] == p.token && f["path"] == file.path) {
            found = true;
            CHECK(f["instance"] == std::string(to_string(p.instance)));
          }
        INFO(file.form << " " << file.path);
        CHECK(found);
      }
    }
  }
  // Secrets are redacted without --show-secrets.
  auto r = test::zenolint({"scan", "--no-history", "--format", "json", dir.path() + "/main"});
  CHECK(r.status == 1);
  for (const auto& f : corpus)
    for (const auto& p : f.planted)
      CHECK(r.out.find(p.token) == std::string::npos);
}

TEST_CASE("the same secret elsewhere: a copy in the working tree of a token only history names",
          "[e2e][context]")
{
  test::TempRepo repo;
  std::string t = test::make_token();
  repo.write("zenodo.env", "ZENODO_SANDBOX_TOKEN=" + t + "\n");
  repo.commit("add token");
  repo.git({"rm", "-q", "zenodo.env"});
  repo.write("data/dump.csv", "id,value\n1," + t + "\n");
  repo.commit("remove it, keep a dump");
  auto r = repo.zenolint({"scan", "--format", "json", "--show-secrets", "."});
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  json original, copy;
  for (const auto& f : doc["findings"]) {
    if (f["path"] == "zenodo.env")
      original = f;
    if (f["path"] == "data/dump.csv")
      copy = f;
  }
  REQUIRE(original.is_object());
  REQUIRE(copy.is_object());
  CHECK(copy["secret"] == t);
  CHECK(copy["fingerprint"] == original["fingerprint"]);
  CHECK(copy["rule"] == original["rule"]);
  CHECK(copy["instance"] == "sandbox");
  CHECK(copy["line"] == 2);
  CHECK(copy["message"].get<std::string>().find("same token is a Zenodo token at zenodo.env:1") !=
        std::string::npos);
}

TEST_CASE("repository context: the finding says which file makes it count", "[e2e][context]")
{
  test::TempDir dir;
  std::string t = test::make_token();
  test::write_file(
      dir / "src/upload.py",
      "import requests\nrequests.post('https://zenodo.org/api/deposit/depositions')\n");
  test::write_file(dir / "config.py", "ACCESS_TOKEN = \"" + t + "\"\n");
  auto rep = scan_json(dir.path());
  REQUIRE(rep["findings"].size() == 1);
  CHECK(rep["findings"][0]["rule"] == "zenodo/repository-assignment");
  CHECK(rep["findings"][0]["instance"] == "production");
  CHECK(rep["findings"][0]["message"].get<std::string>().find(
            "repository uploads to zenodo.org: src/upload.py") != std::string::npos);
  // Without that file the same config is not a finding.
  std::filesystem::remove(dir / "src/upload.py");
  CHECK(scan_json(dir.path())["findings"].empty());
}

TEST_CASE("loose permissions only for configuration files, not for source files", "[e2e][context]")
{
  test::TempDir dir;
  test::write_file(dir / "upload.py", "ZENODO_TOKEN = \"" + test::make_token() + "\"\n");
  test::write_file(dir / ".env", "ZENODO_TOKEN=" + test::make_token() + "\n");
  REQUIRE(::chmod((dir / "upload.py").c_str(), 0644) == 0);
  REQUIRE(::chmod((dir / ".env").c_str(), 0644) == 0);
  auto r = test::zenolint({"scan", "--no-history", "--format", "json", dir.path()});
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  std::set<std::string> loose;
  std::size_t tokens = 0;
  for (const auto& f : doc["findings"]) {
    if (f["rule"] == "config/loose-permissions")
      loose.insert(f["path"].get<std::string>());
    tokens += f["rule"].get<std::string>().rfind("zenodo/", 0) == 0;
  }
  CHECK(tokens == 2);
  CHECK(loose == std::set<std::string>{".env"});
}
