// report/json and the findings of report/jsonl records, which are built on the JSON report's.
#include "report/jsonl.hpp"
#include "report/report.hpp"
#include "support/findings.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace zenolint;
using nlohmann::json;

namespace {

Finding finding_with(const std::string& secret)
{
  Finding f = test::token_finding(secret, "upload.sh", 3);
  // A message or label can quote the matched text; neither may print the secret.
  f.message = "Zenodo token " + secret + " in plain text.";
  f.label = "ZENODO_TOKEN=" + secret;
  f.provenance.kind = Provenance::Kind::history;
  f.provenance.path = "upload.sh";
  f.provenance.commit = CommitInfo{"c1", "Ada", "a@b", "2020-01-01T00:00:00+00:00", "s"};
  f.introduced_by = CommitInfo{"c0", "B", "b@c", "d", "t"};
  f.other_locations = 2;
  f.exposure = Exposure{true, {"main"}, {}, {"v1"}, false, false, {}};
  f.verified = Liveness::active;
  return f;
}

json json_report_finding(const Finding& f, bool show_secrets)
{
  report::Report r;
  r.findings.push_back(f);
  report::ReportOptions options;
  options.show_secrets = show_secrets;
  std::ostringstream out;
  report::write_json(out, r, options);
  return json::parse(out.str()).at("findings").at(0);
}

json record_finding(const Finding& f, bool show_secrets)
{
  report::RepoRecord r;
  r.repository = "org/x";
  r.ok = true;
  r.report.findings.push_back(f);
  return json::parse(report::record_line(r, show_secrets)).at("findings").at(0);
}

} // namespace

TEST_CASE("json: the secret is redacted in message and label unless --show-secrets",
          "[unit][report][json]")
{
  std::string secret = test::make_token();
  Finding f = finding_with(secret);
  json redacted = json_report_finding(f, false);
  CHECK(redacted.dump().find(secret) == std::string::npos);
  CHECK(redacted.at("message").get<std::string>() ==
        "Zenodo token " + redacted.at("secret").get<std::string>() + " in plain text.");
  CHECK(redacted.at("label").get<std::string>().rfind("ZENODO_TOKEN=", 0) == 0);
  json shown = json_report_finding(f, true);
  CHECK(shown.at("message") == f.message);
  CHECK(shown.at("label") == f.label);
  CHECK(shown.at("secret") == secret);
}

TEST_CASE("jsonl: a record's finding has the JSON report's fields, provenance as one object",
          "[unit][report][json]")
{
  std::string secret = test::make_token();
  Finding f = finding_with(secret);
  for (bool show : {false, true}) {
    INFO("show_secrets " << show);
    json report_finding = json_report_finding(f, show);
    json record = record_finding(f, show);
    CHECK((record.dump().find(secret) != std::string::npos) == show);
    // The report flattens the provenance (source, commit fields); the record keeps it whole.
    for (const char* flattened : {"source", "commit", "author", "email", "date", "summary"})
      CHECK_FALSE(record.contains(flattened));
    CHECK(record.at("provenance").at("commit").at("commit") == "c1");
    for (const auto& [key, value] : report_finding.items()) {
      INFO(key);
      if (record.contains(key))
        CHECK(record.at(key) == value);
      else
        CHECK((key == "source" || key == "commit" || key == "author" || key == "email" ||
               key == "date" || key == "summary"));
    }
    CHECK(record.at("line_hash") == f.line_hash);
    CHECK(record.contains("secret_id"));
  }
  // Without a secret (a credential-file finding) the record has no secret fields.
  f.secret.clear();
  json record = record_finding(f, false);
  CHECK_FALSE(record.contains("secret"));
  CHECK_FALSE(record.contains("secret_id"));
}
