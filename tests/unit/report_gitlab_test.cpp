#include "report/gitlab_support.hpp"
#include "report/report.hpp"
#include "support/findings.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace zenolint;
using nlohmann::json;

TEST_CASE("gitlab: timestamps in the schema's format", "[report][gitlab]")
{
  using namespace std::chrono;
  CHECK(report::gitlab_time(system_clock::time_point{}) == "1970-01-01T00:00:00");
  CHECK(report::gitlab_time(system_clock::time_point{seconds{1700000000}}) ==
        "2023-11-14T22:13:20");
}

TEST_CASE("gitlab: report has the 15.x required fields and real times", "[report][gitlab]")
{
  std::string secret = test::make_token();
  report::Report rep;
  RuleMeta r;
  r.id = "zenodo/assignment";
  r.name = "ZenodoTokenAssignment";
  r.help = "Revoke the token.";
  rep.rules = {r};
  rep.started = std::chrono::system_clock::now() - std::chrono::seconds(3);
  rep.finished = std::chrono::system_clock::now();
  Finding worktree = test::token_finding(secret, "a.env", 3);
  Finding history = test::token_finding(secret, "old/a.env", 9);
  history.provenance.kind = Provenance::Kind::history;
  history.provenance.commit = CommitInfo{"89abcdef0123456789abcdef0123456789abcdef", "Ada",
                                         "ada@example.org", "2020-01-01T00:00:00+00:00", "Add"};
  Finding sandbox = test::token_finding(test::make_token(), "b.env", 1);
  sandbox.severity = Severity::warning;
  rep.findings = {worktree, history, sandbox};
  std::ostringstream out;
  report::write_gitlab(out, rep, {});
  CHECK(out.str().find(secret) == std::string::npos);
  auto doc = json::parse(out.str());
  CHECK(doc["version"].get<std::string>().rfind("15.", 0) == 0);
  const auto& scan = doc["scan"];
  for (const char* k : {"analyzer", "scanner"}) {
    CHECK(scan[k]["id"] == "zenolint");
    CHECK(!scan[k]["name"].get<std::string>().empty());
    CHECK(!scan[k]["version"].get<std::string>().empty());
    CHECK(scan[k]["vendor"]["name"] == "zenolint");
  }
  CHECK(scan["type"] == "secret_detection");
  CHECK(scan["status"] == "success");
  std::regex time_re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$)");
  CHECK(std::regex_match(scan["start_time"].get<std::string>(), time_re));
  CHECK(std::regex_match(scan["end_time"].get<std::string>(), time_re));
  CHECK(scan["start_time"] != "1970-01-01T00:00:00");
  CHECK(scan["start_time"].get<std::string>() <= scan["end_time"].get<std::string>());
  const auto& v = doc["vulnerabilities"];
  REQUIRE(v.size() == 3);
  std::set<std::string> ids;
  std::regex uuid_re("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (const auto& x : v) {
    CHECK(std::regex_match(x["id"].get<std::string>(), uuid_re));
    ids.insert(x["id"]);
    CHECK(x["category"] == "secret_detection");
    CHECK(x["name"] == "ZenodoTokenAssignment");
    CHECK(!x["description"].get<std::string>().empty());
    CHECK(x["location"]["file"].is_string());
    CHECK(x["location"]["start_line"].is_number_integer());
    CHECK(x["location"]["commit"]["sha"].get<std::string>().size() == 40);
    REQUIRE(x["identifiers"].size() >= 1);
    CHECK(x["identifiers"][0]["type"] == "zenolint_rule_id");
    CHECK(x["identifiers"][0]["value"] == "zenodo/assignment");
    CHECK(!x["identifiers"][0]["name"].get<std::string>().empty());
  }
  CHECK(ids.size() == 3); // same secret twice still gives distinct ids
  CHECK(v[0]["severity"] == "Critical");
  CHECK(v[0]["location"]["commit"]["sha"] == "0000000000000000000000000000000000000000");
  CHECK(v[1]["location"]["commit"]["sha"] == "89abcdef0123456789abcdef0123456789abcdef");
  CHECK(v[1]["location"]["commit"]["author"] == "Ada");
  CHECK(v[2]["severity"] == "Medium");
  CHECK(v[0]["raw_source_code_extract"].get<std::string>().size() < secret.size());
}

TEST_CASE("gitlab: severity by the kind of the finding's rule, not its id", "[report][gitlab]")
{
  Finding f = test::token_finding(test::make_token(), "a.env", 1);
  CHECK(report::gitlab_severity(f, RuleKind::token) == "Critical");
  CHECK(report::gitlab_severity(f, RuleKind::credential_file) == "High");
  f.severity = Severity::warning;
  CHECK(report::gitlab_severity(f, RuleKind::credential_file) == "Medium");

  // In a report: the kind comes from report.rules.
  report::Report rep;
  RuleMeta check;
  check.id = "zenodo/a-check";
  check.kind = RuleKind::credential_file;
  rep.rules = {check};
  Finding c = test::token_finding(test::make_token(), "b.env", 2);
  c.rule_id = check.id;
  rep.findings = {c};
  std::ostringstream out;
  report::write_gitlab(out, rep, {});
  auto doc = json::parse(out.str());
  REQUIRE(doc["vulnerabilities"].size() == 1);
  CHECK(doc["vulnerabilities"][0]["severity"] == "High");
}
