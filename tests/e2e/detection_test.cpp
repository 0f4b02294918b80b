#include "support/corpus.hpp"
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
