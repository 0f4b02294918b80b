#include "app/baseline.hpp"
#include "core/error.hpp"
#include "core/digest.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace zenolint;

namespace {
Finding bl_finding(const std::string& rule, const std::string& secret, const std::string& path,
                   std::uint32_t line)
{
  Finding f;
  f.rule_id = rule;
  f.secret = secret;
  f.fingerprint = sha256_hex(rule + ":" + secret);
  f.path = path;
  f.line = line;
  return f;
}
} // namespace

TEST_CASE("baseline: written without secrets or lines, read back, order-independent", "[baseline]")
{
  std::string s1 = test::make_token(), s2 = test::make_token();
  std::vector<Finding> findings{bl_finding("zenodo/assignment", s1, "b.env", 4),
                                bl_finding("zenodo/assignment", s1, "a.env", 9),
                                bl_finding("zenodo/ini-section", s2, "c.ini", 2)};
  std::ostringstream one, two;
  app::write_baseline(one, findings);
  std::reverse(findings.begin(), findings.end());
  app::write_baseline(two, findings);
  CHECK(one.str() == two.str());
  CHECK(one.str().find(s1) == std::string::npos);
  CHECK(one.str().find(s1.substr(0, 8)) == std::string::npos);
  auto doc = nlohmann::json::parse(one.str());
  REQUIRE(doc["findings"].size() == 2);
  CHECK(doc["findings"][0]["path"] == "a.env");
  CHECK(doc["findings"][0]["occurrences"] == 2);
  CHECK_FALSE(doc["findings"][0].contains("line"));

  test::TempDir dir;
  test::write_file(dir / "base.json", one.str());
  std::vector<Diagnostic> diags;
  auto b = app::Baseline::load(dir / "base.json", diags);
  CHECK(diags.empty());
  CHECK(b.size() == 2);
  CHECK(b.contains(bl_finding("zenodo/assignment", s1, "renamed.env", 100)));
  CHECK_FALSE(b.contains(bl_finding("zenodo/ini-section", s1, "a.env", 9))); // other rule
  CHECK_FALSE(b.contains(bl_finding("zenodo/assignment", test::make_token(), "a.env", 9)));
}

TEST_CASE("baseline: bad files are errors naming the file, bad entries diagnostics", "[baseline]")
{
  test::TempDir dir;
  std::vector<Diagnostic> diags;
  CHECK_THROWS_WITH(app::Baseline::load(dir / "missing.json", diags),
                    Catch::Contains("missing.json"));
  test::write_file(dir / "bad.json", "{not json");
  CHECK_THROWS_WITH(app::Baseline::load(dir / "bad.json", diags), Catch::Contains("bad.json"));
  test::write_file(dir / "other.json", R"({"findings": []})");
  CHECK_THROWS_WITH(app::Baseline::load(dir / "other.json", diags),
                    Catch::Contains("not a zenolint baseline"));
  test::write_file(dir / "v9.json", R"({"zenolint_baseline": 9, "findings": []})");
  CHECK_THROWS_WITH(app::Baseline::load(dir / "v9.json", diags), Catch::Contains("version 9"));
  test::write_file(
      dir / "entries.json",
      R"({"zenolint_baseline": 1, "findings": [{"rule": "r"}, {"rule": "r", "fingerprint": "abc"},
                       {"rule": "r", "fingerprint": ")" +
          std::string(64, 'F') + R"("}]})");
  auto b = app::Baseline::load(dir / "entries.json", diags);
  CHECK(b.size() == 1);
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].subject.find("entries.json: findings[0]") != std::string::npos);
  CHECK(diags[1].subject.find("findings[1]") != std::string::npos);
  Finding f;
  f.rule_id = "r";
  f.fingerprint = std::string(64, 'f');
  CHECK(b.contains(f)); // case-insensitive hex
}

TEST_CASE("baseline: version 4294967297 and out-of-range numbers are rejected, naming the file",
          "[baseline][hostile]")
{
  test::TempDir dir;
  auto error_for = [&](const std::string& text) {
    test::write_file(dir / "b.json", text);
    std::vector<Diagnostic> diags;
    try {
      app::Baseline::load(dir / "b.json", diags);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  auto e = error_for(R"({"zenolint_baseline": 4294967297, "findings": []})");
  CHECK_THAT(e, Catch::Contains(dir / "b.json") &&
                    Catch::Contains("unsupported baseline version") &&
                    Catch::Contains("4294967297"));
  e = error_for(R"({"zenolint_baseline": 1, "findings": [1e999]})");
  CHECK_THAT(e, Catch::Contains(dir / "b.json") && Catch::Contains("1e999"));
  CHECK(error_for(R"({"zenolint_baseline": 1, "findings": []})") == "loaded");
}
