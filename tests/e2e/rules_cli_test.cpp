// `zenolint rules list|test`, --rules DIR, malformed rule files, and the installed binary.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace zenolint::test;

namespace {

std::string custom_rule(const std::string& id, const std::string& example)
{
  return R"({"rules": [{"id": ")" + id + R"(", "name": "Custom", "description": "A custom rule.",
    "severity": "warning", "kind": "token", "message": "Token ({name})[ under {label}]", "pattern": "MYCORP_KEY=(?P<secret>[a-z]{8})\\b", "keywords": ["mycorp"],
    "token_checks": false, "help": "h", "references": [],
    "examples": [")" +
         example + R"("], "negative_examples": ["MYCORP_KEY=short"]}]})";
}

} // namespace

TEST_CASE("rules test passes on the built-in rules", "[e2e][rules]")
{
  auto r = run_zenolint({"rules", "test"});
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains(" 0 failures"));
  auto list = run_zenolint({"rules", "list"});
  CHECK(list.status == 0);
  CHECK_THAT(list.out, Catch::Contains("zenodo/assignment"));
}

TEST_CASE("rule directories given with --rules add rule files that are used by scan",
          "[e2e][rules]")
{
  TempDir dir;
  write_file(dir / "rules/custom.json", custom_rule("mycorp/key", "MYCORP_KEY=abcdefgh"));
  write_file(dir / "tree/app.cfg", "MYCORP_KEY=qwertyui\n");
  auto r = run_zenolint({"scan", "--rules", dir / "rules", dir / "tree"});
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("app.cfg:1:12  mycorp/key  warning"));
  CHECK_THAT(run_zenolint({"rules", "list", "--rules", dir / "rules"}).out,
             Catch::Contains("mycorp/key"));
  CHECK(run_zenolint({"rules", "test", dir / "rules"}).status == 0);
}

TEST_CASE("malformed rule files are fatal and name file and rule", "[e2e][rules]")
{
  TempDir dir;
  SECTION("bad JSON")
  {
    write_file(dir / "r/broken.json", "{ \"rules\": [ ");
    auto r = run_zenolint({"scan", "--rules", dir / "r", dir.path()});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("broken.json"));
  }
  SECTION("example that fails")
  {
    write_file(dir / "r/custom.json", custom_rule("mycorp/failing", "MYCORP_KEY=ABC"));
    auto r = run_zenolint({"scan", "--rules", dir / "r", dir.path()});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("custom.json") && Catch::Contains("mycorp/failing"));
    auto t = run_zenolint({"rules", "test", dir / "r"});
    CHECK(t.status == 1);
    CHECK_THAT(t.err, Catch::Contains("mycorp/failing") && Catch::Contains("does not match"));
  }
  SECTION("duplicate of a built-in id")
  {
    write_file(dir / "r/dup.json", custom_rule("zenodo/assignment", "MYCORP_KEY=abcdefgh"));
    auto r = run_zenolint({"scan", "--rules", dir / "r", dir.path()});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("dup.json") && Catch::Contains("zenodo/assignment"));
  }
  SECTION("pattern RE2 rejects")
  {
    std::string bad = custom_rule("mycorp/re", "MYCORP_KEY=abcdefgh");
    bad.replace(bad.find("(?P<secret>"), 11, "(?P<secret");
    write_file(dir / "r/re.json", bad);
    auto r = run_zenolint({"rules", "test", dir / "r"});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("re.json") && Catch::Contains("mycorp/re"));
  }
  SECTION("not a directory")
  {
    auto r = run_zenolint({"scan", "--rules", dir / "nope", dir.path()});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("nope"));
  }
}

TEST_CASE("cmake --install gives a self-contained binary", "[e2e][install]")
{
  TempDir prefix;
  must_run({"cmake", "--install", ZENOLINT_BUILD_DIR, "--prefix", prefix.path()});
  std::string bin = prefix / "bin/zenolint";
  REQUIRE(std::filesystem::exists(bin));
  // Run it from an empty directory, far from the source tree: rules must be embedded.
  TempDir work;
  write_file(work / "x.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto r = run({bin, "scan", work.path()}, {work.path(), {{"NO_COLOR", "1"}}, ""});
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("x.env:1:14  zenodo/assignment"));
  CHECK(run({bin, "rules", "test"}).status == 0);
}

TEST_CASE("rules list and rules test speak --format json (rules list --json is the same)",
          "[e2e][rules]")
{
  auto text = run_zenolint({"rules", "list"});
  auto j = run_zenolint({"rules", "list", "--format", "json"});
  REQUIRE(j.status == 0);
  auto rules = nlohmann::json::parse(j.out);
  REQUIRE(rules.is_array());
  CHECK_THAT(text.out, Catch::Contains(std::to_string(rules.size()) + " rules\n"));
  bool assignment = false;
  for (const auto& r : rules) {
    CHECK(r.at("id").is_string());
    CHECK(r.at("severity").is_string());
    CHECK(r.at("keywords").is_array());
    assignment = assignment || r.at("id") == "zenodo/assignment";
  }
  CHECK(assignment);
  CHECK(run_zenolint({"rules", "list", "--json"}).out == j.out);
  auto bad = run_zenolint({"rules", "list", "--format", "sarif"});
  CHECK(bad.status == 2);

  auto t = run_zenolint({"rules", "test", "--format", "json"});
  CHECK(t.status == 0);
  auto result = nlohmann::json::parse(t.out);
  CHECK(result.at("rules") == rules.size());
  CHECK(result.at("examples").get<int>() > 0);
  CHECK(result.at("negative_examples").get<int>() > 0);
  CHECK(result.at("failures").empty());

  TempDir dir;
  write_file(dir / "r/custom.json", custom_rule("mycorp/failing", "MYCORP_KEY=ABC"));
  auto failing = run_zenolint({"rules", "test", "--format", "json", dir / "r"});
  CHECK(failing.status == 1);
  auto failures = nlohmann::json::parse(failing.out).at("failures");
  REQUIRE(failures.size() == 1);
  CHECK_THAT(failures[0].get<std::string>(), Catch::Contains("mycorp/failing"));
}
