// SARIF from real scans (and from the writer for every scan kind) must pass Microsoft's SARIF
// multitool with the GitHub rules and the SARIF 2.1.0 JSON schema.
#include "core/digest.hpp"
#include "report/report.hpp"
#include "sarif_validators.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace zenolint;
using namespace zenolint::test;
using nlohmann::json;

namespace {

void require_valid(const std::string& file)
{
  auto v = validate_sarif(file);
  INFO(read_file(file).substr(0, 4000));
  INFO(v.out << v.err);
  REQUIRE(v.status == 0);
}

json load(const std::string& file)
{
  return json::parse(read_file(file));
}

} // namespace

TEST_CASE("sarif e2e: worktree scan of a repository validates", "[e2e][sarif]")
{
  TempRepo repo;
  std::string prod = make_token(), sandbox = make_token();
  repo.write("deploy.sh", "#!/bin/sh\nexport ZENODO_TOKEN=" + prod + "\n");
  repo.write("my dir/sandbox.env", "ZENODO_SANDBOX_TOKEN=" + sandbox + "\n");
  repo.commit("Add scripts");
  auto r = repo.zenolint({"scan", "--format", "sarif", "-o", "out.sarif", "."});
  INFO(r.err);
  CHECK(r.status == 1);
  require_valid(repo / "out.sarif");
  std::string text = read_file(repo / "out.sarif");
  CHECK(text.find(prod) == std::string::npos);
  CHECK(text.find(sandbox) == std::string::npos);
  auto doc = load(repo / "out.sarif");
  const auto& results = doc["runs"][0]["results"];
  std::set<std::string> uris;
  for (const auto& res : results) {
    uris.insert(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
    CHECK(std::regex_match(res["partialFingerprints"]["primaryLocationLineHash"].get<std::string>(),
                           std::regex("^[0-9a-f]{16}:[0-9]+$")));
    CHECK(res["partialFingerprints"]["zenolint/v1"].get<std::string>().size() == 64);
  }
  CHECK(uris.count("deploy.sh") == 1);
  CHECK(uris.count("my%20dir/sandbox.env") == 1);
  std::string root_uri = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  CHECK(root_uri.rfind("file:///", 0) == 0);
  CHECK(root_uri.back() == '/');
}

TEST_CASE("sarif e2e: an empty result validates", "[e2e][sarif]")
{
  TempRepo repo;
  repo.write("README.md", "Nothing secret here.\n");
  repo.commit("Initial");
  auto r = repo.zenolint({"scan", "--format", "sarif", "-o", "empty.sarif", "."});
  INFO(r.err);
  REQUIRE(r.status == 0);
  require_valid(repo / "empty.sarif");
  auto doc = load(repo / "empty.sarif");
  CHECK(doc["runs"][0]["results"].empty());
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"].size() >= 2); // every active rule is listed
}

TEST_CASE("sarif e2e: the default scan of a repository with history validates", "[e2e][sarif]")
{
  // Whatever `zenolint scan` reads in a repository (working tree, and history once available):
  // a token committed and then removed again lives only in history.
  TempRepo repo;
  std::string old_token = make_token(), live_token = make_token();
  repo.write("config.py", "ZENODO_TOKEN = \"" + old_token + "\"\n");
  repo.commit("Add config");
  repo.write("config.py", "import os\nZENODO_TOKEN = os.environ[\"ZENODO_TOKEN\"]\n");
  repo.write("upload.sh", "zenodo_token=" + live_token + "\n");
  repo.commit("Read the token from the environment");
  auto r = repo.zenolint({"scan", "--format", "sarif", "-o", "h.sarif"});
  INFO(r.err);
  CHECK(r.status == 1);
  require_valid(repo / "h.sarif");
  auto j = repo.zenolint({"scan", "--format", "json"});
  auto kind = json::parse(j.out)["scan"].get<std::string>();
  auto doc = load(repo / "h.sarif");
  CHECK(doc["runs"][0]["automationDetails"]["id"] == "zenolint/" + kind + "/");
  std::string text = read_file(repo / "h.sarif");
  CHECK(text.find(old_token) == std::string::npos);
  CHECK(text.find(live_token) == std::string::npos);
  for (const auto& res : doc["runs"][0]["results"]) {
    if (res["properties"]["source"] != "history")
      continue;
    CHECK(std::regex_match(res["properties"]["commit"].get<std::string>(),
                           std::regex("^[0-9a-f]{40}$")));
    CHECK(res["properties"]["author"] == "Ada Author");
  }
}

TEST_CASE("sarif e2e: a directory outside any repository validates", "[e2e][sarif]")
{
  TempDir dir;
  write_file(dir / "src/settings.ini", "[zenodo]\ntoken = " + make_token() + "\n");
  auto r = test::zenolint({"scan", "--format", "sarif", "-o", dir / "out.sarif", dir / "src"});
  INFO(r.err);
  CHECK(r.status == 1);
  require_valid(dir / "out.sarif");
  auto doc = load(dir / "out.sarif");
  // The token, plus the credential-file check on the (untracked, 0644) file that holds it.
  std::vector<nlohmann::json> tokens;
  for (const auto& res : doc["runs"][0]["results"])
    if (res["ruleId"].get<std::string>().rfind("zenodo/", 0) == 0)
      tokens.push_back(res);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "settings.ini");
}

TEST_CASE("sarif e2e: writer output of every scan kind validates", "[e2e][sarif][slow]")
{
  // Hand-built reports cover what the sources in this build may not produce yet (staged, range,
  // history and full scans; config findings without a line; unreachable objects).
  RuleMeta token_rule;
  token_rule.id = "zenodo/assignment";
  token_rule.name = "ZenodoTokenAssignment";
  token_rule.description =
      "A Zenodo personal access token assigned to a name that mentions Zenodo.";
  token_rule.help = "**Revoke the token** and read it from a secret store.";
  token_rule.references = {"https://developers.zenodo.org/#authentication"};
  token_rule.tags = {"security", "secret", "zenodo"};
  RuleMeta config_rule;
  config_rule.id = "config/world-readable";
  config_rule.name = "CredentialFileWorldReadable";
  config_rule.description = "A credential file that other users can read.";
  config_rule.severity = Severity::warning;
  CommitInfo commit{"89abcdef0123456789abcdef0123456789abcdef", "Ada Author", "ada@example.org",
                    "2020-01-01T00:01:00+00:00", "Add config"};
  TempDir dir;
  for (std::string kind : {"worktree", "staged", "range", "history", "full"}) {
    report::Report rep;
    rep.scan_kind = kind;
    rep.root = dir.path();
    rep.rules = {token_rule, config_rule};
    for (int i = 0; i < 3; ++i) {
      Finding f;
      f.rule_id = token_rule.id;
      f.severity = i == 2 ? Severity::warning : Severity::error;
      f.instance = i == 2 ? Instance::sandbox : Instance::production;
      f.message = "Zenodo access token in plain text (ZenodoTokenAssignment). Revoke it.";
      f.path = i == 1 ? "d\xc3\xa9j\xc3\xa0 vu/#1.env" : "src/app.env";
      f.line = static_cast<std::uint32_t>(3 + i);
      f.column = 14;
      f.end_line = f.line;
      f.end_column = 74;
      f.secret = make_token();
      f.fingerprint = sha256_hex(f.rule_id + ":" + f.secret);
      f.line_hash = sha256_hex("line" + std::to_string(i)).substr(0, 16);
      f.blob = *BlobId::from_hex("0123456789abcdef0123456789abcdef01234567");
      f.provenance.kind =
          kind == "history" || kind == "range" || kind == "full"
              ? Provenance::Kind::history
              : (kind == "staged" ? Provenance::Kind::staged : Provenance::Kind::worktree);
      f.provenance.path = f.path;
      if (f.provenance.kind == Provenance::Kind::history)
        f.provenance.commit = commit;
      else
        f.introduced_by = commit;
      f.provenance.unreachable = kind == "full" && i == 0;
      rep.findings.push_back(f);
    }
    Finding config;
    config.rule_id = config_rule.id;
    config.severity = Severity::warning;
    config.message =
        "Credential file .zenodorc is readable by other users (mode 0644). Run chmod 600.";
    config.path = ".zenodorc";
    config.fingerprint = sha256_hex("config/world-readable:.zenodorc");
    rep.findings.push_back(config);
    rep.diagnostics = {{Severity::warning, "broken.bin", "cannot open: Permission denied"}};
    for (bool truncated : {false, true}) {
      report::ReportOptions opts;
      if (truncated)
        opts.sarif_max_results = 2;
      std::string file = dir / (kind + (truncated ? "-cut" : "") + ".sarif");
      std::ostringstream out;
      report::write_sarif(out, rep, opts);
      write_file(file, out.str());
      INFO(kind << (truncated ? " (truncated)" : ""));
      require_valid(file);
      auto doc = load(file);
      CHECK(doc["runs"][0]["results"].size() == (truncated ? 2u : 4u));
    }
  }
}

TEST_CASE("sarif e2e: the validators reject what GitHub would reject", "[e2e][sarif]")
{
  // Guards the guard: a rule without fullDescription (GitHub's GH2012) and a schema violation.
  TempRepo repo;
  repo.write("a.sh", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.commit("token");
  auto r = repo.zenolint({"scan", "--format", "sarif", "-o", "ok.sarif", "."});
  REQUIRE(r.status == 1);
  auto doc = load(repo / "ok.sarif");
  auto no_description = doc;
  no_description["runs"][0]["tool"]["driver"]["rules"][0].erase("fullDescription");
  write_file(repo / "gh.sarif", no_description.dump());
  auto v = validate_sarif(repo / "gh.sarif");
  CHECK(v.status == 1);
  CHECK(v.out.find("GH2012") != std::string::npos);
  auto bad_level = doc;
  bad_level["runs"][0]["results"][0]["level"] = "fatal";
  write_file(repo / "schema.sarif", bad_level.dump());
  v = validate_sarif(repo / "schema.sarif");
  CHECK(v.status == 1);
  CHECK(v.out.find("ajv") != std::string::npos);
}
