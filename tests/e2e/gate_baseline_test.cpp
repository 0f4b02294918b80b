// `zenolint baseline create` and `zenolint scan --baseline`: adopt the gate without fixing old
// findings first; the baseline survives moved lines and renamed files.
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

TEST_CASE("gate: a baseline survives moved lines and renames, a new token fails", "[e2e][gate]")
{
  TempRepo repo;
  std::string old_token = make_token();
  repo.write("scripts/upload.sh", "#!/bin/sh\nexport ZENODO_TOKEN=" + old_token + "\ncurl ...\n");
  repo.commit("Upload script");
  REQUIRE(repo.zenolint({"scan", "."}).status == 1);

  auto created = repo.zenolint({"baseline", "create", ".", "--output", "zenolint-baseline.json"});
  INFO(created.err);
  REQUIRE(created.status == 0);
  CHECK(created.err.find("1 finding") != std::string::npos);
  std::string baseline = read_file(repo / "zenolint-baseline.json");
  CHECK(baseline.find(old_token) == std::string::npos);
  CHECK(baseline.find(old_token.substr(0, 8)) == std::string::npos);
  auto doc = json::parse(baseline);
  REQUIRE(doc["findings"].size() == 1);
  CHECK(doc["findings"][0]["rule"] == "zenodo/assignment");
  CHECK(doc["findings"][0]["path"] == "scripts/upload.sh");
  CHECK_FALSE(doc["findings"][0].contains("line"));
  repo.commit("Add baseline");

  auto clean = repo.zenolint({"scan", "--baseline", "zenolint-baseline.json", "."});
  INFO(clean.out << clean.err);
  CHECK(clean.status == 0);
  CHECK(clean.out.find("baseline 1") != std::string::npos);

  // Lines inserted above the secret, file renamed: still the same finding.
  repo.write("scripts/upload.sh",
             "#!/bin/sh\n# Upload to Zenodo\nset -e\n\nexport ZENODO_TOKEN=" + old_token + "\n");
  repo.git({"mv", "scripts/upload.sh", "scripts/publish.sh"});
  repo.commit("Rename and document");
  auto moved =
      repo.zenolint({"scan", "--baseline", "zenolint-baseline.json", "--format", "json", "."});
  INFO(moved.out << moved.err);
  CHECK(moved.status == 0);
  auto moved_doc = json::parse(moved.out);
  CHECK(moved_doc["findings"].empty());
  CHECK(moved_doc["stats"]["suppressed"]["baseline"].get<int>() >= 1);

  // A new token is reported, alone.
  std::string new_token = make_token();
  repo.write("notebook.py", "zenodo_key = '" + new_token + "'\n");
  auto fresh =
      repo.zenolint({"scan", "--baseline", "zenolint-baseline.json", "--format", "json", "."});
  INFO(fresh.out << fresh.err);
  CHECK(fresh.status == 1);
  auto fresh_doc = json::parse(fresh.out);
  REQUIRE(fresh_doc["findings"].size() >= 1);
  for (const auto& f : fresh_doc["findings"])
    CHECK(f["path"] == "notebook.py");
}

TEST_CASE("gate: baselines are reproducible", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("a.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.write("b/c.env", "zenodo_token: " + make_token() + "\n");
  repo.commit("tokens");
  REQUIRE(repo.zenolint({"baseline", "create", "-o", "one.json", "-j", "1"}).status == 0);
  REQUIRE(repo.zenolint({"baseline", "create", "-o", "two.json", "-j", "4"}).status == 0);
  CHECK(read_file(repo / "one.json") == read_file(repo / "two.json"));
  auto to_stdout = repo.zenolint({"baseline", "create", "-o", "-"});
  REQUIRE(to_stdout.status == 0);
  CHECK(to_stdout.out == read_file(repo / "one.json"));
}

TEST_CASE("gate: a bad baseline is a clear error", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("a.txt", "hello\n");
  repo.commit("a");
  auto missing = repo.zenolint({"scan", "--baseline", "nope.json", "."});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("nope.json") != std::string::npos);
  repo.write("broken.json", "[1, 2");
  auto broken = repo.zenolint({"scan", "--baseline", "broken.json", "."});
  CHECK(broken.status == 2);
  CHECK(broken.err.find("broken.json") != std::string::npos);
  auto no_output = repo.zenolint({"baseline", "create", "."});
  CHECK(no_output.status == 2);
  CHECK(no_output.err.find("--output") != std::string::npos);
}

TEST_CASE("gate: baseline create --format json prints its summary as JSON", "[e2e][gate]")
{
  TempRepo repo;
  auto token = make_token();
  repo.write("a.env", "ZENODO_TOKEN=" + token + "\n");
  repo.write("b.env", "ZENODO_TOKEN=" + token + "\n");
  repo.commit("Two copies");
  auto r = repo.zenolint({"baseline", "create", "-o", "base.json", "--format", "json"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  auto summary = json::parse(r.out);
  CHECK(summary.at("baseline") == "base.json");
  CHECK(summary.at("findings") == 2);
  CHECK(summary.at("entries") == 1);
  CHECK(summary.at("rules") == json{{"zenodo/assignment", 1}});
  CHECK(summary.at("diagnostics").empty());
  CHECK(r.out.find(token) == std::string::npos);
  // What it says is what it wrote.
  auto written = json::parse(read_file(repo / "base.json"));
  CHECK(written.at("findings").size() == summary.at("entries"));
  CHECK(written.at("findings")[0].at("occurrences") == 2);

  // The baseline itself on stdout leaves no room for a JSON summary there.
  auto both = repo.zenolint({"baseline", "create", "-o", "-", "--format", "json"});
  CHECK(both.status == 2);
  CHECK_THAT(both.err, Catch::Contains("-o FILE"));
}
