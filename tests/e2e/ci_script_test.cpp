// scripts/ci.sh, the shell steps of action.yml and ci/zenolint.gitlab-ci.yml, run locally against
// real repositories (its `install` step is exercised by tests/package/install_test.sh's package).
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;

namespace {

const std::string ci_script = std::string(ZENOLINT_SOURCE_DIR) + "/scripts/ci.sh";

struct Ci {
  TempDir repo;
  TempDir state;
  Ci()
  {
    must_run({"git", "init", "-q", "-b", "main", repo.path()});
    must_run({"git", "-C", repo.path(), "config", "user.name", "CI Test"});
    must_run({"git", "-C", repo.path(), "config", "user.email", "ci@example.org"});
  }
  void commit(const std::string& file, const std::string& content)
  {
    write_file(repo / file, content);
    must_run({"git", "-C", repo.path(), "add", file});
    must_run({"git", "-C", repo.path(), "commit", "-q", "-m", "add " + file});
  }
  RunResult step(const std::string& name, std::map<std::string, std::string> env = {})
  {
    env["ZENOLINT"] = ZENOLINT_BINARY;
    env["ZENOLINT_STATE"] = state / "status";
    env["GITHUB_OUTPUT"] = state / "github_output";
    return run({"bash", ci_script, name}, {repo.path(), env, ""});
  }
};

} // namespace

TEST_CASE("ci.sh scan writes SARIF and records findings; gate then fails the job", "[e2e][ci]")
{
  Ci ci;
  ci.commit("upload.sh", "export ZENODO_TOKEN=" + make_token() + "\n");
  auto scan = ci.step("scan");
  CHECK(scan.status == 0); // findings do not fail the scan step: the upload comes first
  CHECK_THAT(scan.err, Catch::Contains("findings at or above warning"));
  auto sarif = nlohmann::json::parse(read_file(ci.repo / "zenolint.sarif"));
  REQUIRE(sarif["runs"][0]["results"].size() == 1);
  CHECK(sarif["runs"][0]["results"][0]["ruleId"] == "zenodo/assignment");
  std::string outputs = read_file(ci.state / "github_output");
  CHECK_THAT(outputs, Catch::Contains("exit-code=1\n"));
  CHECK_THAT(outputs, Catch::Contains("report=zenolint.sarif\n"));

  auto gate = ci.step("gate");
  CHECK(gate.status == 1);
  CHECK_THAT(gate.err, Catch::Contains("gate failed"));
}

TEST_CASE("ci.sh gate passes a clean repository and honours fail-on", "[e2e][ci]")
{
  Ci ci;
  ci.commit("README", "nothing here\n");
  CHECK(ci.step("scan").status == 0);
  CHECK(ci.step("gate").status == 0);

  // A sandbox token is a warning: --fail-on error lets it through, the report still has it.
  Ci sandbox;
  sandbox.commit("upload.py",
                 "# sandbox.zenodo.org\nZENODO_SANDBOX_TOKEN = \"" + make_token() + "\"\n");
  CHECK(sandbox.step("scan", {{"ZENOLINT_FAIL_ON", "error"}}).status == 0);
  auto sarif = nlohmann::json::parse(read_file(sandbox.repo / "zenolint.sarif"));
  CHECK(sarif["runs"][0]["results"].size() >= 1);
  CHECK(sandbox.step("gate", {{"ZENOLINT_FAIL_ON", "error"}}).status == 0);
  CHECK(sandbox.step("scan").status == 0);
  CHECK(sandbox.step("gate").status == 1);
}

TEST_CASE("ci.sh scan: GitLab format, range, and a failing zenolint", "[e2e][ci]")
{
  Ci ci;
  ci.commit("a.txt", "first\n");
  auto base = must_run({"git", "-C", ci.repo.path(), "rev-parse", "HEAD"});
  base.pop_back();
  ci.commit("deploy.env", "ZENODO_TOKEN=" + make_token() + "\n");
  auto scan = ci.step("scan", {{"ZENOLINT_FORMAT", "gitlab"}, {"ZENOLINT_RANGE", base + "..HEAD"}});
  CHECK(scan.status == 0);
  auto report = nlohmann::json::parse(read_file(ci.repo / "gl-secret-detection-report.json"));
  REQUIRE(report["vulnerabilities"].size() == 1);
  CHECK(report["vulnerabilities"][0]["location"]["file"] == "deploy.env");
  CHECK(ci.step("gate").status == 1);
  // The range before the token adds nothing.
  CHECK(ci.step("scan", {{"ZENOLINT_FORMAT", "gitlab"}, {"ZENOLINT_RANGE", base + "~0.." + base}})
            .status == 0);
  CHECK(ci.step("gate").status == 0);

  auto broken = ci.step("scan", {{"ZENOLINT_BASELINE", ci.repo / "missing-baseline.json"}});
  CHECK(broken.status == 2);
  CHECK_THAT(broken.err, Catch::Contains("the scan failed"));
  CHECK(ci.step("gate").status == 2);
}

TEST_CASE("action.yml and the GitLab template run the steps of ci.sh", "[e2e][ci]")
{
  std::string action = read_file(std::string(ZENOLINT_SOURCE_DIR) + "/action.yml");
  CHECK_THAT(action, Catch::Contains("using: composite"));
  for (const char* step : {"ci.sh\" install", "ci.sh\" scan", "ci.sh\" gate"})
    CHECK_THAT(action, Catch::Contains(step));
  CHECK_THAT(action, Catch::Contains("uses: github/codeql-action/upload-sarif@"));
  std::string gitlab = read_file(std::string(ZENOLINT_SOURCE_DIR) + "/ci/zenolint.gitlab-ci.yml");
  for (const char* step : {"ci.sh install", "ci.sh scan", "ci.sh gate", "secret_detection:"})
    CHECK_THAT(gitlab, Catch::Contains(step));
}
