// .zenolintignore (or --ignore-file): fingerprints of accepted findings and path globs.
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

TEST_CASE("gate: fingerprints in .zenolintignore suppress findings", "[e2e][gate]")
{
  TempRepo repo;
  std::string accepted = make_token(), other = make_token();
  repo.write("docs/example.md", "export ZENODO_TOKEN=" + accepted + "\n");
  repo.write("elsewhere/copy.sh", "export ZENODO_TOKEN=" + accepted + "\n");
  repo.commit("docs");
  auto first = repo.zenolint({"scan", "--format", "json", "."});
  REQUIRE(first.status == 1);
  std::string fp = json::parse(first.out)["findings"][0]["fingerprint"];

  repo.write(".zenolintignore",
             "# accepted: revoked example token\n" + fp + "  # revoked 2020-01-01\n");
  auto r = repo.zenolint({"scan", "--format", "json", "."});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  auto doc = json::parse(r.out);
  CHECK(doc["findings"].empty());
  CHECK(doc["stats"]["suppressed"]["ignore_file"].get<int>() >= 2); // both copies

  repo.write("new.sh", "export ZENODO_TOKEN=" + other + "\n");
  CHECK(repo.zenolint({"scan", "."}).status == 1);
}

TEST_CASE("gate: path globs skip files before they are read", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("rules/examples.json", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("src/rules/keep.txt", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("tests/fixtures/deep/a.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("certs/x.pem", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write(".zenolintignore", "/rules/\nfixtures/\n**/*.pem\n");
  repo.commit("layout");
  auto r = repo.zenolint({"scan", "--format", "json", "."});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  auto doc = json::parse(r.out);
  REQUIRE(doc["findings"].size() == 1);
  CHECK(doc["findings"][0]["path"] == "src/rules/keep.txt");
  CHECK(doc["stats"]["skipped"]["other"].get<int>() >= 3); // never read
}

TEST_CASE("gate: --ignore-file and malformed lines", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("a.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("ci/ignore", "# custom\n!negated\n" + std::string(40, 'a') + "\na.env\n");
  repo.commit("a");
  auto r = repo.zenolint({"scan", "--ignore-file", "ci/ignore", "."});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("ci/ignore:2") != std::string::npos); // diagnostics (stderr) name file and line
  CHECK(r.err.find("ci/ignore:3") != std::string::npos);
  auto missing = repo.zenolint({"scan", "--ignore-file", "nope", "."});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("nope") != std::string::npos);
}
