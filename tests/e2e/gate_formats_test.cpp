// GitLab report from a real scan, and no raw secret in any format unless --show-secrets.
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

using namespace zenolint::test;
using nlohmann::json;

TEST_CASE("gate: GitLab secret-detection report of a real scan", "[e2e][gate]")
{
  TempRepo repo;
  std::string token = make_token();
  repo.write("deploy/.env", "\n\nZENODO_TOKEN=" + token + "\n");
  std::string head = repo.commit("env");
  auto r =
      repo.zenolint({"scan", "--format", "gitlab", "-o", "gl-secret-detection-report.json", "."});
  INFO(r.err);
  CHECK(r.status == 1);
  std::string text = read_file(repo / "gl-secret-detection-report.json");
  CHECK(text.find(token) == std::string::npos);
  auto doc = json::parse(text);
  CHECK(doc["version"].get<std::string>().rfind("15.", 0) == 0);
  std::regex time_re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$)");
  CHECK(std::regex_match(doc["scan"]["start_time"].get<std::string>(), time_re));
  CHECK(std::regex_match(doc["scan"]["end_time"].get<std::string>(), time_re));
  CHECK(doc["scan"]["start_time"].get<std::string>().substr(0, 4) >= "2024");
  CHECK(doc["scan"]["type"] == "secret_detection");
  CHECK(doc["scan"]["status"] == "success");
  CHECK(doc["scan"]["analyzer"]["vendor"]["name"] == "zenolint");
  CHECK(doc["scan"]["scanner"]["version"].is_string());
  REQUIRE(doc["vulnerabilities"].size() >= 1);
  const auto& v = doc["vulnerabilities"][0];
  for (const char* k :
       {"id", "category", "name", "description", "severity", "location", "identifiers"})
    CHECK(v.contains(k));
  CHECK(v["location"]["file"] == "deploy/.env");
  CHECK(v["location"]["start_line"] == 3);
  CHECK(v["location"]["commit"]["sha"].get<std::string>().size() == 40);
  CHECK(v["identifiers"][0]["value"] == "zenodo/assignment");
  (void)head;
}

TEST_CASE("gate: no raw secret in any format unless --show-secrets", "[e2e][gate]")
{
  TempRepo repo;
  std::string token = make_token();
  repo.write("a.py", "zenodo_token = \"" + token + "\"\n");
  repo.commit("token");
  for (std::string format : {"text", "json", "sarif", "gitlab"}) {
    INFO(format);
    auto hidden = repo.zenolint({"scan", "--format", format, "."});
    CHECK(hidden.status == 1);
    CHECK(hidden.out.find(token) == std::string::npos);
    CHECK(hidden.err.find(token) == std::string::npos);
    auto shown = repo.zenolint({"scan", "--format", format, "--show-secrets", "."});
    CHECK(shown.status == 1);
    CHECK(shown.out.find(token) != std::string::npos);
  }
  auto baseline = repo.zenolint({"baseline", "create", "-o", "-", "."});
  CHECK(baseline.status == 0);
  CHECK(baseline.out.find(token) == std::string::npos);
  CHECK(baseline.err.find(token) == std::string::npos);
}
