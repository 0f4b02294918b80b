#include "core/error.hpp"
#include "match/self_test.hpp"
#include "rules/loader.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

namespace {

std::string rule_file(const std::string& extra, const std::string& example = "\"ZENODO_X=abc\"")
{
  return R"({"rules": [{"id": "t/x", "name": "X", "description": "d", "severity": "error", "kind": "token", "message": "Token ({name})[ under {label}]",
    "pattern": "ZENODO_X=(?P<secret>[A-Za-z0-9]+)\\b", "keywords": ["zenodo"], "help": "h",
    "references": [], "token_checks": false, "examples": [)" +
         example + R"(], "negative_examples": [])" + extra + "}]}";
}

std::string error_of(const std::string& text)
{
  try {
    rules::parse_rule_file(text, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("loader accepts the schema extensions", "[rules][loader]")
{
  auto r =
      rules::parse_rule_file(rule_file(R"(, "default_instance": "production", "min_entropy": 3.5,
    "exclude": "secrets\\.", "context": {"near": "zenodo", "scope": "file"})"),
                             "t.json");
  REQUIRE(r.size() == 1);
  CHECK(r[0].default_instance == Instance::production);
  CHECK(r[0].min_entropy == Approx(3.5));
  CHECK(r[0].exclude == "secrets\\.");
  CHECK(r[0].context.whole_file);
}

TEST_CASE("loader rejects bad schema extensions with the file and rule", "[rules][loader]")
{
  CHECK_THAT(error_of(rule_file(R"(, "default_instance": "staging")")),
             Catch::Contains("t.json: rule t/x: default_instance must be"));
  CHECK_THAT(error_of(rule_file(R"(, "instance": "sandbox", "default_instance": "production")")),
             Catch::Contains("default_instance needs"));
  CHECK_THAT(error_of(rule_file(R"(, "min_entropy": 9)")), Catch::Contains("min_entropy must be"));
  CHECK_THAT(error_of(rule_file(R"(, "min_entropy": "high")")),
             Catch::Contains("min_entropy must be"));
  CHECK_THAT(error_of(rule_file(R"(, "exclude": "(")")), Catch::Contains("rule t/x: exclude:"));
  CHECK_THAT(error_of(rule_file(R"(, "context": {"scope": "repo"})")),
             Catch::Contains("context.scope must be"));
  CHECK_THAT(error_of(rule_file(R"(, "context": {"nearby": "x"})")),
             Catch::Contains("unknown field 'context.nearby'"));
}

TEST_CASE("exclude and default_instance take effect in the matcher", "[rules][match]")
{
  std::string t = test::make_token();
  rules::RuleSet set;
  rules::merge(
      set,
      rules::parse_rule_file(
          R"({"rules": [{"id": "t/x", "name": "X", "description": "d", "severity": "error", "kind": "token", "message": "Token ({name})[ under {label}]",
    "pattern": "ZENODO_X=(?P<secret>[A-Za-z0-9]{60})\\b", "keywords": ["zenodo"], "help": "h",
    "references": [], "default_instance": "production", "exclude": "\\bvault:",
    "examples": [{"text": "ZENODO_X=)" +
              t + R"(", "instance": "production"}],
    "negative_examples": ["ZENODO_X=)" +
              t + R"( # vault:kv/zenodo"]}]})",
          "t.json"));
  auto result = match::self_test(set);
  CHECK(result.failures.empty());
  CHECK(result.examples == 1);
  CHECK(result.negative_examples == 1);
}

TEST_CASE("self_test reports a wrong instance and a matching negative example", "[rules][match]")
{
  std::string t = test::make_token();
  rules::RuleSet set;
  rules::merge(
      set,
      rules::parse_rule_file(
          R"({"rules": [{"id": "t/x", "name": "X", "description": "d", "severity": "error", "kind": "token", "message": "Token ({name})[ under {label}]",
    "pattern": "ZENODO_X=(?P<secret>[A-Za-z0-9]{60})\\b", "keywords": ["zenodo"], "help": "h",
    "references": [], "examples": [{"text": "ZENODO_X=)" +
              t + R"(", "instance": "sandbox"}],
    "negative_examples": ["ZENODO_X=)" +
              t + R"("]}]})",
          "t.json"));
  auto result = match::self_test(set);
  REQUIRE(result.failures.size() == 2);
  CHECK_THAT(result.failures[0], Catch::Contains("has instance unknown, expected sandbox"));
  CHECK_THAT(result.failures[1], Catch::Contains("negative example 1"));
  // Failure messages never carry the secret.
  for (const auto& f : result.failures)
    CHECK(f.find(t) == std::string::npos);
}
