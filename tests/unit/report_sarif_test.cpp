// SARIF writer, on hand-built reports (history provenance included). Real validators run on the
// same kind of reports in tests/e2e/sarif_*.cpp.
#include "core/digest.hpp"
#include "report/remediation.hpp"
#include "report/report.hpp"
#include "report/sarif_support.hpp"
#include "support/findings.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <zlib.h>

using namespace zenolint;
using nlohmann::json;

namespace {

RuleMeta token_rule()
{
  RuleMeta r;
  r.id = "zenodo/assignment";
  r.name = "ZenodoTokenAssignment";
  r.description = "A Zenodo token assigned to a name. Second sentence.";
  r.help = "**Revoke** the token and use `ZENODO_TOKEN` from a secret store.";
  r.references = {"https://developers.zenodo.org/#authentication"};
  r.tags = {"security", "secret", "zenodo"};
  r.precision = "very-high";
  return r;
}

Finding finding(const std::string& secret, const std::string& path, std::uint32_t line,
                std::string line_hash = "00112233aabbccdd")
{
  Finding f = test::token_finding(secret, path, line);
  f.line_hash = std::move(line_hash);
  return f;
}

CommitInfo commit_info()
{
  CommitInfo c;
  c.id = "89abcdef0123456789abcdef0123456789abcdef";
  c.author = "Ada Author";
  c.email = "ada@example.org";
  c.date = "2020-01-01T00:01:00+00:00";
  c.summary = "Add config";
  return c;
}

json sarif_of(const report::Report& rep, report::ReportOptions opts = {})
{
  std::ostringstream out;
  report::write_sarif(out, rep, opts);
  return json::parse(out.str());
}

} // namespace

TEST_CASE("sarif: rules are complete and unique, security-severity is a string", "[report][sarif]")
{
  report::Report rep;
  rep.rules = {token_rule(), token_rule()};
  RuleMeta config;
  config.id = "config/world-readable";
  config.kind = RuleKind::credential_file;
  config.severity = Severity::warning;
  rep.rules.push_back(config); // sparse metadata still yields a complete descriptor
  auto doc = sarif_of(rep);
  CHECK(doc["version"] == "2.1.0");
  CHECK(doc["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  REQUIRE(doc["runs"].size() == 1);
  const auto& driver = doc["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "zenolint");
  CHECK(!driver["semanticVersion"].get<std::string>().empty());
  CHECK(driver["informationUri"].get<std::string>().rfind("https://", 0) == 0);
  REQUIRE(driver["rules"].size() == 2);
  const auto& r0 = driver["rules"][0];
  CHECK(r0["id"] == "zenodo/assignment");
  CHECK(r0["shortDescription"]["text"] == "A Zenodo token assigned to a name.");
  CHECK(r0["fullDescription"]["text"] == "A Zenodo token assigned to a name. Second sentence.");
  // Token rules: the rule's own help, then what to do about a leaked token (remediation).
  CHECK(r0["help"]["markdown"] == token_rule().help + "\n\n" + report::remediation_markdown());
  auto help_text = r0["help"]["text"].get<std::string>();
  CHECK(help_text.rfind("Revoke the token and use ZENODO_TOKEN from a secret store.\n\n", 0) == 0);
  CHECK(help_text.find("https://sandbox.zenodo.org/account/settings/applications/") !=
        std::string::npos);
  CHECK(help_text.find("zenolint remediate --replacements FILE") != std::string::npos);
  CHECK(r0["helpUri"] == "https://developers.zenodo.org/#authentication");
  CHECK(r0["defaultConfiguration"]["level"] == "error");
  CHECK(r0["properties"]["precision"] == "very-high");
  REQUIRE(r0["properties"]["security-severity"].is_string());
  CHECK(std::stod(r0["properties"]["security-severity"].get<std::string>()) >= 9.0);
  auto tags = r0["properties"]["tags"].get<std::vector<std::string>>();
  CHECK(std::count(tags.begin(), tags.end(), "security") == 1);
  CHECK(std::count(tags.begin(), tags.end(), "secret") == 1);
  const auto& r1 = driver["rules"][1];
  CHECK(r1["name"] == "ConfigWorldReadable");
  CHECK(!r1["fullDescription"]["text"].get<std::string>().empty());
  CHECK(!r1["help"]["text"].get<std::string>().empty());
  CHECK(r1["properties"]["security-severity"] == "5.0");
  auto tags1 = r1["properties"]["tags"].get<std::vector<std::string>>();
  CHECK(std::count(tags1.begin(), tags1.end(), "security") == 1);
}

TEST_CASE("sarif: security-severity by rule kind and severity", "[report][sarif]")
{
  RuleMeta r = token_rule();
  CHECK(report::security_severity(r) == "9.1");
  r.severity = Severity::warning;
  CHECK(report::security_severity(r) == "5.0");
  r.severity = Severity::note;
  CHECK(report::security_severity(r) == "2.0");
  r.kind = RuleKind::credential_file;
  r.severity = Severity::error;
  CHECK(report::security_severity(r) == "7.5");
  // The kind decides, never the id: a token rule named like a check is still a token rule.
  r.id = "config/tracked-credential-file";
  r.kind = RuleKind::token;
  CHECK(report::security_severity(r) == "9.1");
}

TEST_CASE("sarif: remediation in the help of token rules only, by kind", "[report][sarif]")
{
  report::Report rep;
  RuleMeta check = token_rule();
  check.id = "zenodo/looks-like-a-token-rule";
  check.kind = RuleKind::credential_file;
  RuleMeta token = token_rule();
  token.id = "config/looks-like-a-check";
  rep.rules = {check, token};
  auto doc = sarif_of(rep);
  const auto& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 2);
  CHECK(rules[0]["help"]["markdown"] == check.help);
  CHECK(rules[1]["help"]["markdown"] == token.help + "\n\n" + report::remediation_markdown());
}

TEST_CASE("sarif: a history result carries location, fingerprints and provenance",
          "[report][sarif]")
{
  std::string secret = test::make_token();
  report::Report rep;
  rep.scan_kind = "history";
  rep.rules = {token_rule()};
  Finding f = finding(secret, "dir/my file.env", 7);
  f.provenance.kind = Provenance::Kind::history;
  f.provenance.path = f.path;
  f.provenance.commit = commit_info();
  rep.findings = {f};
  auto doc = sarif_of(rep);
  const auto& run = doc["runs"][0];
  CHECK(run["automationDetails"]["id"] == "zenolint/history/");
  REQUIRE(run["results"].size() == 1);
  const auto& res = run["results"][0];
  CHECK(res["ruleId"] == "zenodo/assignment");
  CHECK(res["ruleIndex"] == 0);
  CHECK(res["level"] == "error");
  std::string text = res["message"]["text"];
  CHECK(text.rfind("Zenodo production access token in plain text", 0) == 0);
  CHECK(text.find("commit 89abcdef0123") != std::string::npos);
  REQUIRE(res["locations"].size() == 1);
  const auto& loc = res["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "dir/my%20file.env");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc["region"] ==
        json{{"startLine", 7}, {"startColumn", 5}, {"endLine", 7}, {"endColumn", 65}});
  CHECK(res["partialFingerprints"]["primaryLocationLineHash"] == "00112233aabbccdd:1");
  CHECK(res["partialFingerprints"]["zenolint/v1"] == f.fingerprint);
  CHECK(res["properties"]["commit"] == "89abcdef0123456789abcdef0123456789abcdef");
  CHECK(res["properties"]["author"] == "Ada Author");
  CHECK(res["properties"]["date"] == "2020-01-01T00:01:00+00:00");
  CHECK(res["properties"]["instance"] == "production");
  CHECK(run.contains("originalUriBaseIds"));
  CHECK(run["originalUriBaseIds"].contains("%SRCROOT%"));
}

TEST_CASE("sarif: the secret appears only with show_secrets", "[report][sarif]")
{
  std::string secret = test::make_token();
  report::Report rep;
  rep.rules = {token_rule()};
  Finding f = finding(secret, "a.env", 1);
  f.message = "Token " + secret + " found. Revoke it."; // a careless message is still redacted
  f.label = "ZENODO_TOKEN";
  rep.findings = {f};
  std::ostringstream hidden, shown;
  report::write_sarif(hidden, rep, {});
  report::ReportOptions opts;
  opts.show_secrets = true;
  report::write_sarif(shown, rep, opts);
  CHECK(hidden.str().find(secret) == std::string::npos);
  CHECK(hidden.str().find(secret.substr(0, 4)) != std::string::npos); // redacted prefix
  CHECK(shown.str().find(secret) != std::string::npos);
}

TEST_CASE("sarif: primaryLocationLineHash numbers identical lines per file", "[report][sarif]")
{
  report::Report rep;
  rep.rules = {token_rule()};
  std::string a = test::make_token(), b = test::make_token(), c = test::make_token();
  rep.findings = {
      finding(a, "x.env", 3, "aaaaaaaaaaaaaaaa"), finding(b, "x.env", 9, "aaaaaaaaaaaaaaaa"),
      finding(c, "y.env", 9, "aaaaaaaaaaaaaaaa"), finding(c, "x.env", 4, "bbbbbbbbbbbbbbbb")};
  auto hashes = report::primary_line_hashes(rep.findings);
  CHECK(hashes == std::vector<std::string>{"aaaaaaaaaaaaaaaa:1", "aaaaaaaaaaaaaaaa:2",
                                           "aaaaaaaaaaaaaaaa:1", "bbbbbbbbbbbbbbbb:1"});
  Finding file_level = finding(a, "z.cfg", 0, "");
  auto h = report::primary_line_hashes({file_level});
  CHECK(h[0].size() == 18);
  CHECK(h[0].substr(16) == ":1");
}

TEST_CASE("sarif: automationDetails.id names the scan kind", "[report][sarif]")
{
  for (std::string kind : {"worktree", "staged", "range", "history", "full"}) {
    report::Report rep;
    rep.scan_kind = kind;
    CHECK(sarif_of(rep)["runs"][0]["automationDetails"]["id"] == "zenolint/" + kind + "/");
  }
}

TEST_CASE("sarif: diagnostics become tool execution notifications", "[report][sarif]")
{
  report::Report rep;
  rep.diagnostics = {{Severity::warning, "secret.env", "cannot open: Permission denied"}};
  auto inv = sarif_of(rep)["runs"][0]["invocations"][0];
  CHECK(inv["executionSuccessful"] == true);
  REQUIRE(inv["toolExecutionNotifications"].size() == 1);
  CHECK(inv["toolExecutionNotifications"][0]["message"]["text"] ==
        "secret.env: cannot open: Permission denied");
}

TEST_CASE("sarif: more results than GitHub accepts keeps the most severe and says so",
          "[report][sarif]")
{
  report::Report rep;
  rep.rules = {token_rule()};
  for (int i = 0; i < 6; ++i) {
    Finding f = finding(test::make_token(), "f" + std::to_string(i) + ".env", 1);
    f.severity = i % 2 ? Severity::error : Severity::warning;
    rep.findings.push_back(f);
  }
  report::ReportOptions opts;
  opts.sarif_max_results = 3;
  std::ostringstream warnings;
  opts.warnings = &warnings;
  auto doc = sarif_of(rep, opts);
  const auto& results = doc["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  std::vector<std::string> uris;
  for (const auto& r : results) {
    CHECK(r["level"] == "error");
    uris.push_back(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  }
  CHECK(uris == std::vector<std::string>{"f1.env", "f3.env", "f5.env"}); // canonical order kept
  auto notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["message"]["text"].get<std::string>().find("6 results") != std::string::npos);
  CHECK(warnings.str().find("keeps the 3 most severe") != std::string::npos);
}

TEST_CASE("sarif: a report over the gzipped size limit is cut to fit", "[report][sarif]")
{
  report::Report rep;
  rep.rules = {token_rule()};
  // Long random paths make results incompressible enough to exceed a small limit.
  for (int i = 0; i < 200; ++i) {
    std::string path;
    for (int k = 0; k < 8; ++k)
      path += test::make_token() + "/";
    rep.findings.push_back(finding(test::make_token(), path + "x.env", 1));
  }
  report::ReportOptions opts;
  opts.sarif_max_gzip_bytes = 40'000;
  std::ostringstream warnings;
  opts.warnings = &warnings;
  std::ostringstream out;
  report::write_sarif(out, rep, opts);
  auto doc = json::parse(out.str());
  auto n = doc["runs"][0]["results"].size();
  CHECK(n > 0);
  CHECK(n < 200);
  CHECK(report::gzip_size(out.str()) <= opts.sarif_max_gzip_bytes);
  CHECK(warnings.str().find("gzipped") != std::string::npos);
  // Cut no more than needed: the last cut keeps 90% of what fitted by the size it measured, so
  // the report is not far below the limit.
  CHECK(report::gzip_size(out.str()) > opts.sarif_max_gzip_bytes / 2);
}

TEST_CASE("sarif: URI helpers", "[report][sarif]")
{
  CHECK(report::percent_encode_path("a b/c:d%e#f?g.txt") == "a%20b/c%3Ad%25e%23f%3Fg.txt");
  CHECK(report::percent_encode_path("dir/\xc3\xa9.txt") == "dir/%C3%A9.txt");
  // Dot and empty segments (hostile tree entries) never leave %SRCROOT%.
  CHECK(report::sarif_relative_uri("../x") == "%2E%2E/x");
  CHECK(report::sarif_relative_uri("a/./b/..") == "a/%2E/b/%2E%2E");
  CHECK(report::sarif_relative_uri("") == "%00");
  CHECK(report::sarif_relative_uri("/etc/passwd") == "%00/etc/passwd");
  CHECK(report::sarif_relative_uri("a//b/") == "a/%00/b/%00");
  CHECK(report::sarif_relative_uri("..a/b..") == "..a/b..");
  CHECK(report::sarif_relative_uri("caf\xe9.env") == "caf%E9.env");
  test::TempDir dir;
  std::string uri = report::root_file_uri(dir.path());
  CHECK(uri.rfind("file:///", 0) == 0);
  CHECK(uri.back() == '/');
  CHECK(report::root_file_uri("").empty());
}

TEST_CASE("sarif: gzip_size is the size of the gzip stream zlib writes", "[report][sarif]")
{
  // Reference: the same deflate parameters into a real buffer, which must inflate back.
  auto gzip = [](const std::string& data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
            Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  };
  auto gunzip = [](const std::string& gz, std::size_t size) {
    z_stream z{};
    REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
    std::string out(size + 1, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
  };

  // A typical report (3,000 history findings) and content that does not compress at all.
  report::Report rep;
  rep.rules = {token_rule()};
  for (int i = 0; i < 3000; ++i) {
    Finding f = finding(
        test::make_token(),
        "src/module" + std::to_string(i % 50) + "/config" + std::to_string(i) + ".env",
        static_cast<std::uint32_t>(i % 300 + 1), sha256_hex(std::to_string(i)).substr(0, 16));
    f.provenance.kind = Provenance::Kind::history;
    f.provenance.commit = commit_info();
    f.provenance.commit->id = sha256_hex("c" + std::to_string(i % 40)).substr(0, 40);
    rep.findings.push_back(f);
  }
  std::ostringstream out;
  report::write_sarif(out, rep, {});
  std::string noise;
  std::uint64_t x = 88172645463325252u;
  for (int i = 0; i < 300000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    noise.push_back(static_cast<char>(x));
  }
  for (const std::string& data : {std::string(), std::string("a"), out.str(), noise}) {
    std::string gz = gzip(data);
    INFO("uncompressed " << data.size() << ", gzip " << gz.size());
    CHECK(gunzip(gz, data.size()) == data);
    CHECK(report::gzip_size(data) == gz.size());
  }
  CHECK(report::gzip_size("") == 20); // 10-byte header, an empty final block, 8-byte trailer
  CHECK(report::gzip_size(out.str()) * 5 < out.str().size()); // SARIF compresses well
  CHECK(report::gzip_size(noise) > noise.size());             // noise does not
}
