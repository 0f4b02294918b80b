#include "checks/findings.hpp"
#include "match/self_test.hpp"
#include "rules/embedded.hpp"
#include "rules/loader.hpp"
#include "rules/message.hpp"

#include <catch2/catch.hpp>
#include <tuple>
#include <set>

using namespace zenolint;

TEST_CASE("default rules pass their own examples", "[rules]")
{
  auto set = rules::default_rules();
  auto result = match::self_test(set);
  for (const auto& f : result.failures)
    UNSCOPED_INFO(f);
  CHECK(result.failures.empty());
  CHECK(result.rules == set.rules.size());
}

TEST_CASE("every default rule has at least 5 examples and 5 negative examples", "[rules]")
{
  for (const auto& r : rules::default_rules().rules) {
    INFO(r.id);
    CHECK(r.examples.size() >= 5);
    CHECK(r.negative_examples.size() >= 5);
  }
}

TEST_CASE("default rules keep their documented ids", "[rules]")
{
  auto set = rules::default_rules();
  for (const char* id : {"zenodo/assignment", "zenodo/ini-section", "zenodo/zenodorc",
                         "zenodo/zenodopy-token-file", "zenodo/uploader-toml", "zenodo/client-call",
                         "zenodo/url-access-token", "zenodo/bearer", "zenodo/generic-near"})
    CHECK(set.find(id) != nullptr);
}

TEST_CASE("every check the code emits has its metadata in the embedded rules", "[rules]")
{
  auto set = rules::default_rules();
  for (auto id : checks::rule_ids) {
    INFO(id);
    const rules::Rule* r = set.find(id);
    REQUIRE(r != nullptr);
    CHECK(r->kind == RuleKind::credential_file);
    CHECK(!r->help.empty());
    CHECK(!r->description.empty());
  }
  CHECK(set.checks.size() == checks::rule_ids.size());
  for (const auto& r : set.rules) {
    INFO(r.id);
    CHECK(r.kind == RuleKind::token);
    CHECK(!r.message.empty());
  }
}

TEST_CASE("token messages come from the rule's template", "[rules]")
{
  using rules::MessageFields;
  using rules::render_message;
  const char* tmpl = "Zenodo [{instance} ]access token ({name})[ under '{label}'][; {reason}].";
  MessageFields all{"zenodo/x", "X", "sandbox", "ZENODO_SB", "near a Zenodo call"};
  CHECK(render_message(tmpl, all) ==
        "Zenodo sandbox access token (X) under 'ZENODO_SB'; near a Zenodo call.");
  MessageFields bare{"zenodo/x", "X", "", "", ""};
  CHECK(render_message(tmpl, bare) == "Zenodo access token (X).");
  CHECK(render_message("[[{id}]] {{literal}} [x {label}]", all) ==
        "[zenodo/x] {literal} x ZENODO_SB");
  CHECK(rules::message_template_error(tmpl) == std::nullopt);
  CHECK(rules::message_template_error("").has_value());
  CHECK(rules::message_template_error("a } b").has_value());
  CHECK(rules::message_template_error("{secret}").has_value());

  // The default rules' messages read as before the templates (same words for every rule).
  auto set = rules::default_rules();
  const rules::Rule* r = set.find("zenodo/assignment");
  REQUIRE(r != nullptr);
  MessageFields f{r->id, r->name, "production", "ZENODO_TOKEN", ""};
  CHECK(render_message(r->message, f) ==
        "Zenodo production access token in plain text (ZenodoTokenAssignment) under "
        "'ZENODO_TOKEN'. Revoke it on Zenodo and load it from a secret store or environment "
        "variable.");
}

TEST_CASE("every embedded rule's patterns compile: the loader leaves that to this test", "[rules]")
{
  // default_rules() does not compile the embedded patterns (start-up time of the hook path);
  // parsing each embedded file with the pattern check on must still accept every one.
  const auto& files = rules::embedded_rule_files();
  REQUIRE_FALSE(files.empty());
  for (const auto& f : files) {
    INFO(f.name);
    CHECK_NOTHROW(rules::parse_rule_file(f.content, std::string(f.name), true));
  }
  // And the check is real: a broken pattern is refused when it is on.
  CHECK_THROWS(rules::parse_rule_file(
      R"({"rules": [{"id": "x/y", "name": "n", "description": "d", "severity": "error",
          "pattern": "(?P<secret>[a-z", "keywords": ["k"]}]})",
      "broken.json", true));
}

TEST_CASE("the lean embedded rules are the full ones without examples", "[rules]")
{
  // The build writes each embedded rule file twice (cmake/EmbedRules.cmake): a scan parses the
  // lean text. Every field but the examples must come out the same.
  auto full = zenolint::rules::default_rules(true);
  auto lean = zenolint::rules::default_rules(false);
  auto key = [](const zenolint::rules::Rule& r) {
    const auto& c = r.context;
    return std::make_tuple(
        r.id, static_cast<int>(r.kind), r.name, r.description, static_cast<int>(r.severity),
        r.message, r.label_checks, r.pattern, r.keywords, r.path_pattern, r.path_required,
        std::make_tuple(c.near, c.window, c.whole_file, c.heading, c.repository, c.section),
        static_cast<int>(r.instance), r.default_instance.has_value(), r.token_checks,
        r.min_entropy, r.decode_base64, r.exclude, r.help, r.references, r.source_file, r.tags,
        r.precision);
  };
  for (auto [f, l] : {std::make_pair(&full.rules, &lean.rules),
                      std::make_pair(&full.checks, &lean.checks)}) {
    REQUIRE(f->size() == l->size());
    for (std::size_t i = 0; i < f->size(); ++i) {
      INFO((*f)[i].id);
      CHECK(key((*f)[i]) == key((*l)[i]));
      CHECK((*l)[i].examples.empty());
      CHECK((*l)[i].negative_examples.empty());
      if ((*f)[i].default_instance)
        CHECK(*(*f)[i].default_instance == *(*l)[i].default_instance);
    }
  }
  CHECK_FALSE(full.rules.front().examples.empty());
}
