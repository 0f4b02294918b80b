// Rule-file validation: every malformed input is an Error naming the file and the rule id.
#include "core/error.hpp"
#include "rules/loader.hpp"
#include "rules/message.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

namespace {

std::string rule_json(const std::string& id, const std::string& pattern,
                      const std::string& extra = "")
{
  return R"({"id": ")" + id +
         R"(", "name": "N", "description": "D", "severity": "error", "kind": "token", "message": "Token ({name})[ under {label}]",
    "pattern": ")" +
         pattern + R"(", "keywords": ["zenodo"], "help": "h", "references": [],
    "examples": ["x"], "negative_examples": [])" +
         extra + "}";
}

std::string file_of(const std::vector<std::string>& rules)
{
  std::string s = R"({"rules": [)";
  for (std::size_t i = 0; i < rules.size(); ++i)
    s += (i ? "," : "") + rules[i];
  return s + "]}";
}

std::string error_of(const std::string& text)
{
  try {
    rules::parse_rule_file(text, "rules/bad.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("a valid rule file loads", "[rules][loader]")
{
  auto rules = rules::parse_rule_file(file_of({rule_json("t/one", "(?P<secret>a)")}), "f.json");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].id == "t/one");
  CHECK(rules[0].source_file == "f.json");
  CHECK(rules[0].keywords == std::vector<std::string>{"zenodo"});
}

TEST_CASE("malformed rule files name the file and the rule", "[rules][loader]")
{
  SECTION("bad JSON")
  {
    auto e = error_of("{\"rules\": [");
    CHECK_THAT(e, Catch::Contains("rules/bad.json") && Catch::Contains("invalid JSON"));
  }
  SECTION("missing field")
  {
    std::string r = rule_json("t/missing", "(?P<secret>a)");
    r.replace(r.find("\"help\": \"h\","), 12, "");
    auto e = error_of(file_of({r}));
    CHECK_THAT(e, Catch::Contains("rules/bad.json") && Catch::Contains("t/missing") &&
                      Catch::Contains("'help'"));
  }
  SECTION("pattern RE2 rejects")
  {
    auto e = error_of(file_of({rule_json("t/re", "(?P<secret>a")}));
    CHECK_THAT(e, Catch::Contains("t/re") && Catch::Contains("pattern"));
  }
  SECTION("pattern without a secret group")
  {
    auto e = error_of(file_of({rule_json("t/nogroup", "abc")}));
    CHECK_THAT(e, Catch::Contains("t/nogroup") && Catch::Contains("secret"));
  }
  SECTION("duplicate id")
  {
    auto e = error_of(
        file_of({rule_json("t/dup", "(?P<secret>a)"), rule_json("t/dup", "(?P<secret>b)")}));
    CHECK_THAT(e, Catch::Contains("t/dup") && Catch::Contains("duplicate"));
  }
  SECTION("bad severity")
  {
    std::string r = rule_json("t/sev", "(?P<secret>a)");
    r.replace(r.find("\"error\""), 7, "\"fatal\"");
    CHECK_THAT(error_of(file_of({r})), Catch::Contains("t/sev") && Catch::Contains("severity"));
  }
  SECTION("unknown field")
  {
    auto e = error_of(file_of({rule_json("t/unk", "(?P<secret>a)", R"(, "patern": "x")")}));
    CHECK_THAT(e, Catch::Contains("t/unk") && Catch::Contains("patern"));
  }
  SECTION("not a rules object")
  {
    CHECK_THAT(error_of("[1,2]"), Catch::Contains("rules/bad.json"));
  }
}

TEST_CASE("duplicate ids across files name both files", "[rules][loader]")
{
  rules::RuleSet set;
  rules::merge(set, rules::parse_rule_file(file_of({rule_json("t/x", "(?P<secret>a)")}), "a.json"));
  try {
    rules::merge(set,
                 rules::parse_rule_file(file_of({rule_json("t/x", "(?P<secret>a)")}), "b.json"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("a.json") && Catch::Contains("b.json"));
  }
}

TEST_CASE("the embedded default rules load", "[rules][loader]")
{
  auto set = rules::default_rules();
  CHECK(set.rules.size() >= 2);
  CHECK(set.find("zenodo/assignment") != nullptr);
  for (const auto& r : set.rules) {
    CHECK(r.source_file.rfind("rules/", 0) == 0);
    CHECK(!r.examples.empty());
  }
}

TEST_CASE("out-of-range numbers name the file, rule and field, not 'internal error'",
          "[rules][loader][hostile]")
{
  // 1e999 does not fit a double: the JSON library throws out_of_range while parsing.
  auto e = error_of(file_of({rule_json("ok/one", "x(?P<secret>y)"),
                             rule_json("bad/two", "x(?P<secret>y)", R"(, "min_entropy": 1e999)")}));
  CHECK_THAT(e, Catch::Contains("rules/bad.json") && Catch::Contains("rule bad/two") &&
                    Catch::Contains("field 'min_entropy'") && Catch::Contains("1e999"));
  // Before the id is seen, the rule is named by its position.
  e = error_of(R"({"rules": [{"context": {"window": -1e400}, "id": "late/id"}]})");
  CHECK_THAT(e, Catch::Contains("rules/bad.json: rule #1: field 'window'"));
  // 4294967297 = 2^32 + 1 must not wrap to 1.
  e = error_of(file_of(
      {rule_json("big/window", "x(?P<secret>y)", R"(, "context": {"window": 4294967297})")}));
  CHECK_THAT(e, Catch::Contains("rule big/window") && Catch::Contains("context.window"));
  // Wrong types name the field.
  e = error_of(file_of({rule_json("typed/one", "x(?P<secret>y)", R"(, "min_entropy": "high")")}));
  CHECK_THAT(e, Catch::Contains("rule typed/one") && Catch::Contains("min_entropy"));
  e = error_of(file_of({rule_json("typed/two", "x(?P<secret>y)", R"(, "token_checks": 1)")}));
  CHECK_THAT(e, Catch::Contains("rule typed/two") && Catch::Contains("token_checks"));
}

TEST_CASE("kind and message template are validated, naming the file and rule", "[rules][loader]")
{
  auto with = [](const std::string& id, const std::string& from, const std::string& to) {
    std::string r = rule_json(id, "(?P<secret>a)");
    r.replace(r.find(from), from.size(), to);
    return error_of(file_of({r}));
  };
  auto e = with("t/kind", R"("kind": "token", )", R"("kind": "password", )");
  CHECK_THAT(e, Catch::Contains("rules/bad.json") && Catch::Contains("t/kind") &&
                    Catch::Contains("kind must be token or credential-file"));
  e = with("t/kindnum", R"("kind": "token", )", R"("kind": 3, )");
  CHECK_THAT(e, Catch::Contains("t/kindnum") && Catch::Contains("'kind' must be a string"));
  e = with("t/msgnum", R"("message": "Token ({name})[ under {label}]",)", R"("message": [],)");
  CHECK_THAT(e, Catch::Contains("t/msgnum") && Catch::Contains("'message' must be a string"));
  e = with("t/placeholder", "{label}]", "{secret}]");
  CHECK_THAT(e, Catch::Contains("t/placeholder") && Catch::Contains("message: unknown placeholder "
                                                                    "{secret}"));
  e = with("t/nested", "[ under {label}]", "[ under [{label}]]");
  CHECK_THAT(e, Catch::Contains("t/nested") && Catch::Contains("nested"));
  e = with("t/open", "[ under {label}]", "[ under {label}");
  CHECK_THAT(e, Catch::Contains("t/open") && Catch::Contains("'[' without ']'"));
  e = with("t/brace", "({name})", "({name)");
  CHECK_THAT(e, Catch::Contains("t/brace") && Catch::Contains("placeholder"));
  e = error_of(file_of({rule_json("t/lc", "(?P<secret>a)", R"(, "label_checks": "yes")")}));
  CHECK_THAT(e, Catch::Contains("t/lc") && Catch::Contains("label_checks"));
}

TEST_CASE("credential-file rules carry metadata only and come only from the embedded files",
          "[rules][loader]")
{
  std::string check = R"({"id": "c/one", "kind": "credential-file", "name": "C", "description":
    "D.", "severity": "warning", "help": "h", "references": []})";
  auto loaded = rules::parse_rule_file(file_of({check}), "checks.json");
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].kind == RuleKind::credential_file);
  rules::RuleSet set;
  rules::merge(set, loaded);
  CHECK(set.rules.empty()); // the matcher never sees it
  REQUIRE(set.checks.size() == 1);
  CHECK(set.find("c/one") == &set.checks[0]);
  CHECK(rules::to_meta(set.checks[0]).kind == RuleKind::credential_file);

  std::string with_pattern = check;
  with_pattern.insert(with_pattern.size() - 1, R"x(, "pattern": "(?P<secret>a)")x");
  CHECK_THAT(error_of(file_of({with_pattern})),
             Catch::Contains("c/one") && Catch::Contains("'pattern' is not allowed"));

  // A --rules directory may not define one: nothing would run it.
  zenolint::test::TempDir dir;
  zenolint::test::write_file(dir / "checks.json", file_of({check}));
  CHECK_THROWS_WITH(rules::load_rule_dir(dir.path()), Catch::Contains("checks.json") &&
                                                          Catch::Contains("c/one") &&
                                                          Catch::Contains("reserved"));
}

TEST_CASE("a rule file written before kind and message loads as token rules with the default "
          "message",
          "[rules][loader]")
{
  std::string r = rule_json("t/old", "(?P<secret>a)");
  for (std::string field :
       {R"("kind": "token", )", R"("message": "Token ({name})[ under {label}]",)"})
    r.erase(r.find(field), field.size());
  REQUIRE(r.find("kind") == std::string::npos);
  REQUIRE(r.find("message") == std::string::npos);
  auto rules = rules::parse_rule_file(file_of({r}), "rules/old.json");
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].kind == RuleKind::token);
  CHECK(rules[0].message == rules::default_message_template);
}
