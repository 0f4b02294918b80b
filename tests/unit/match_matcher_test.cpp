#include "checks/credential_file.hpp"
#include "match/matcher.hpp"
#include "rules/loader.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

namespace {

const rules::RuleSet& defaults()
{
  static const rules::RuleSet set = rules::default_rules();
  return set;
}

std::vector<match::Match> scan(const std::string& path, const std::string& text,
                               bool inline_allow = true)
{
  static const match::Matcher matcher(defaults());
  match::MatchOptions o;
  o.inline_allow = inline_allow;
  return matcher.match(path, text, o);
}

} // namespace

TEST_CASE("zenolint:allow suppresses the same line only", "[match][inline-allow]")
{
  std::string a = test::make_token(), b = test::make_token();
  std::string text = "ZENODO_TOKEN=" + a + "  # zenolint:allow\nZENODO_TOKEN_2=" + b + "\n";
  auto m = scan("x.env", text);
  REQUIRE(m.size() == 2);
  CHECK(m[0].secret == a);
  CHECK(m[0].suppressed);
  CHECK(m[1].secret == b);
  CHECK_FALSE(m[1].suppressed);
}

TEST_CASE("zenolint:allow-next-line suppresses the next line only", "[match][inline-allow]")
{
  std::string a = test::make_token(), b = test::make_token();
  std::string text =
      "# zenolint:allow-next-line\r\nZENODO_TOKEN=" + a + "\r\nZENODO_TOKEN=" + b + "\r\n";
  auto m = scan("x.env", text);
  REQUIRE(m.size() == 2);
  CHECK(m[0].suppressed);
  CHECK_FALSE(m[1].suppressed);
  // allow-next-line does not suppress its own line.
  auto own = scan("x.env", "ZENODO_TOKEN=" + a + " # zenolint:allow-next-line\n");
  REQUIRE(own.size() == 1);
  CHECK_FALSE(own[0].suppressed);
}

TEST_CASE("inline_allow=false ignores the comments", "[match][inline-allow]")
{
  std::string a = test::make_token();
  auto m =
      scan("x.env", "# zenolint:allow-next-line\nZENODO_TOKEN=" + a + " # zenolint:allow\n", false);
  REQUIRE(m.size() == 1);
  CHECK_FALSE(m[0].suppressed);
}

TEST_CASE("one finding per secret when several rules match", "[match]")
{
  // zenodo/assignment, zenodo/generic-near and zenodo/ini-section all match this line.
  std::string a = test::make_token();
  auto m = scan("setup.cfg", "[zenodo:sandbox]\nzenodo_token = " + a + "\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].instance == Instance::sandbox);
  CHECK(m[0].severity == Severity::warning);
}

TEST_CASE("instance inference", "[match][instance]")
{
  auto instance_of = [](const std::string& path, const std::string& text) {
    auto m = scan(path, text);
    REQUIRE(m.size() == 1);
    return m[0].instance;
  };
  std::string t = test::make_token();
  CHECK(instance_of("a.env", "ZENODO_TOKEN=" + t) == Instance::unknown);
  CHECK(instance_of("a.env", "ZENODO_TOKEN_SB=" + t) == Instance::sandbox);
  CHECK(instance_of("a.js", "zenodoTokenSb: '" + t + "'") == Instance::sandbox);
  CHECK(instance_of("a.env", "ZENODO_PROD_TOKEN=" + t) == Instance::production);
  CHECK(instance_of("a.env", "URL=https://sandbox.zenodo.org\nZENODO_TOKEN=" + t) ==
        Instance::sandbox);
  CHECK(instance_of("a.env", "URL=https://zenodo.org\nZENODO_TOKEN=" + t) == Instance::production);
  CHECK(instance_of("a.py", "zenodo = dict(use_sandbox=True)\nZENODO_TOKEN = '" + t + "'") ==
        Instance::sandbox);
  CHECK(instance_of(".zenodo_token", "ACCESS_TOKEN-sandbox: " + t) == Instance::sandbox);
  CHECK(instance_of(".zenodo_token", "ACCESS_TOKEN: " + t) == Instance::production);
  CHECK(instance_of("z.ini", "[zenodo]\nsandbox_token = " + t) == Instance::sandbox);
  CHECK(instance_of("z.ini", "[zenodo]\ntoken = " + t) == Instance::production);
}

TEST_CASE("generic names need a Zenodo mention within the rule's window", "[match]")
{
  std::string t = test::make_token();
  const auto* rule = defaults().find("zenodo/generic-near");
  REQUIRE(rule);
  std::string gap;
  for (int i = 1; i < rule->context.window; ++i) // the token `window` lines below the mention
    gap += "x\n";
  auto rules_of = [](const std::vector<match::Match>& ms) {
    std::vector<std::string> ids;
    for (const auto& m : ms)
      ids.push_back(m.rule->id);
    return ids;
  };
  using ids = std::vector<std::string>;
  CHECK(rules_of(scan("a.py", "# zenodo\n" + gap + "token = " + t + "\n")) ==
        ids{"zenodo/generic-near"});
  CHECK(scan("a.py", "# zenodo\nx\n" + gap + "token = " + t + "\n").empty());
  // Quoted, the literal is a token literal in a file that names Zenodo, at any distance.
  CHECK(rules_of(scan("a.py", "# zenodo\nx\n" + gap + "token = '" + t + "'\n")) ==
        ids{"zenodo/literal-in-zenodo-file"});
}

TEST_CASE("locations on CRLF and non-ASCII lines", "[match]")
{
  std::string t = test::make_token();
  auto m = scan("é.env", "# Zénodo ключ\r\nZÉNODO=1\r\nzenodo_token=\"" + t + "\"\r\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].line == 3);
  CHECK(m[0].column == 15);
  CHECK(m[0].end_column == 75);
  auto m2 = scan("a.txt", "é zenodo_token=" + t);
  REQUIRE(m2.size() == 1);
  CHECK(m2[0].column == 16); // code points, not bytes
}

TEST_CASE("blobs without keywords are not matched", "[match]")
{
  std::string t = test::make_token();
  CHECK(scan("a.env", "TOKEN=" + t + "\nAuthorization: Bearer " + t + "\n").empty());
}

TEST_CASE("a finding with a known instance wins over an unknown one for the same secret", "[match]")
{
  std::string t = test::make_token();
  auto rule = [&](const std::string& id, const std::string& instance) {
    return R"j({"id": ")j" + id +
           R"j(", "name": "X", "description": "d", "severity": "error", "kind": "token", "message": "Token ({name})[ under {label}]",
      "pattern": "KEY=(?P<secret>[A-Za-z0-9]{60})", "keywords": ["key"], "help": "h",
      "references": [], "instance": ")j" +
           instance + R"j(", "examples": ["KEY=)j" + t + R"j("], "negative_examples": []})j";
  };
  rules::RuleSet set;
  rules::merge(set, rules::parse_rule_file(R"({"rules": [)" + rule("t/first", "infer") + "," +
                                               rule("t/second", "sandbox") + "," +
                                               rule("t/third", "production") + "]}",
                                           "t.json"));
  match::Matcher matcher(set);
  auto m = matcher.match("a.txt", "KEY=" + t + "\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].rule->id == "t/second"); // known beats unknown; then rule order
  CHECK(m[0].instance == Instance::sandbox);
}

// Regression (issue 14): every match used to walk back to the start of the file for its INI
// section and rescan its whole line for the column, hash and allow comments, so 40,000 matches
// took 73 s and 10,000 on one 810 KB line more than 120 s. The work must stay a small multiple
// of the content size however many matches there are: each rule with a context window looks at
// the window of lines around each matched line (2 * 5 + 1 lines for zenodo/generic-near), the
// rest is a few passes over the content.
TEST_CASE("many matches on many lines: work linear in the content", "[match][dos]")
{
  constexpr std::size_t n = 40000;
  std::vector<std::string> tokens;
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    tokens.push_back(test::make_token());
    text += "export ZENODO_TOKEN=" + tokens.back() + "\n";
  }
  match::MatchStats stats;
  match::MatchOptions o;
  o.stats = &stats;
  static const match::Matcher matcher(defaults());
  auto m = matcher.match("env.sh", text, o);
  REQUIRE(m.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(m[i].secret == tokens[i]);
    REQUIRE(m[i].line == i + 1);
    REQUIRE(m[i].column == 21);
    REQUIRE(m[i].end_column == 81);
  }
  CHECK(m[0].line_hash != m[1].line_hash);
  INFO("context bytes " << stats.context_bytes << " for " << text.size() << " bytes");
  CHECK(stats.context_bytes <= 64 * text.size());
}

TEST_CASE("many matches on one 810 KB line: work linear in the content", "[match][dos]")
{
  constexpr std::size_t n = 10000;
  std::vector<std::string> tokens;
  std::string text = "# zenolint:allow-next-line\n";
  for (std::size_t i = 0; i < n; ++i) {
    tokens.push_back(test::make_token());
    text += "export ZENODO_TOKEN=" + tokens.back() + " ";
  }
  text += "\n";
  match::MatchStats stats;
  match::MatchOptions o;
  o.stats = &stats;
  static const match::Matcher matcher(defaults());
  auto m = matcher.match("env.sh", text, o);
  REQUIRE(m.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(m[i].secret == tokens[i]);
    REQUIRE(m[i].line == 2);
    REQUIRE(m[i].column == 21 + 81 * i);
    REQUIRE(m[i].end_column == 81 + 81 * i);
    REQUIRE(m[i].suppressed);
    REQUIRE(m[i].line_hash == m[0].line_hash);
  }
  INFO("context bytes " << stats.context_bytes << " for " << text.size() << " bytes");
  CHECK(stats.context_bytes <= 64 * text.size());
}

TEST_CASE("INI sections of many blocks are found once and right", "[match][dos]")
{
  constexpr std::size_t n = 6000;
  std::vector<std::string> tokens;
  std::string text = "token_before_any_section = 1\n";
  for (std::size_t i = 0; i < n; ++i) {
    tokens.push_back(test::make_token());
    text += i % 2 == 0 ? "[zenodo]\n" : "[ zenodo:sandbox ]\r\n";
    text += "# comment\ntoken = " + tokens.back() + "\n\n";
  }
  match::MatchStats stats;
  match::MatchOptions o;
  o.stats = &stats;
  static const match::Matcher matcher(defaults());
  auto m = matcher.match("z.ini", text, o);
  REQUIRE(m.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(m[i].secret == tokens[i]);
    REQUIRE(m[i].section == (i % 2 == 0 ? "zenodo" : "zenodo:sandbox"));
    REQUIRE(m[i].instance == (i % 2 == 0 ? Instance::production : Instance::sandbox));
    REQUIRE(m[i].section == match::enclosing_section(text, m[i].offset));
  }
  INFO("context bytes " << stats.context_bytes << " for " << text.size() << " bytes");
  CHECK(stats.context_bytes <= 64 * text.size());
}

TEST_CASE("a token is found wherever it sits against the one-in-60 probe that skips RE2",
          "[match][token-run]")
{
  // The matcher runs a token rule's RE2 search only when the content holds a run of exactly 60
  // letters and digits, found by probing one byte in 60: every alignment of the token against
  // the probes, at the start and at the very end of the content, after shorter runs, must still
  // be found; a 61-character run never is.
  const std::string t = test::make_token();
  for (std::size_t pad = 0; pad <= 125; ++pad) {
    INFO("pad " << pad);
    std::string lead = std::string(pad, 'a').substr(0, pad > 3 ? pad - 3 : 0);
    lead += std::string(pad - lead.size(), ' ');
    auto at_end = scan("x.env", lead + "\nZENODO_TOKEN=" + t);
    REQUIRE(at_end.size() == 1);
    CHECK(at_end[0].secret == t);
    auto in_line = scan("x.env", "ZENODO_TOKEN=" + t + "\n" + lead);
    REQUIRE(in_line.size() == 1);
    CHECK(in_line[0].secret == t);
    CHECK(scan("x.env", lead + "\nZENODO_TOKEN=" + t + "x\n").empty());
    CHECK(scan("x.env", lead + "\nZENODO_TOKEN=x" + t + "\n").empty());
  }
}

TEST_CASE("token file names: zenodo/token-file's path_pattern and is_token_file_name agree",
          "[match][checks]")
{
  // The rule finds the token and the permission check treats the file as a credential file
  // for exactly the same names.
  const std::string token = test::make_token();
  for (const char* name :
       {".zenodo_token", ".ZenodoToken", "ZenodoSandboxToken.txt", "zenodotoken", "ZENODO_TOKEN",
        "zenodo.api.token", "zenodo_prodtoken", "zenodo-production-token.secret",
        "zenodo_access_sb_token", "zenodo_tokens", "zenodo_xtoken", "myzenodo_token",
        "zenodo_token.md", "zenodo_.._token", "zenodo", "token", ".zenodo_personal-token.txt"}) {
    CAPTURE(name);
    bool by_rule = false;
    for (const auto& m : scan(std::string("dir/") + name, token + "\n"))
      by_rule |= m.rule->id == "zenodo/token-file";
    CHECK(by_rule == zenolint::checks::is_token_file_name(name));
  }
  CHECK(zenolint::checks::is_token_file_name(".ZenodoToken"));
  CHECK(zenolint::checks::is_token_file_name("zenodo-production-token.secret"));
  CHECK_FALSE(zenolint::checks::is_token_file_name("zenodo_xtoken"));
  CHECK_FALSE(zenolint::checks::is_token_file_name("zenodo_tokens"));
}
