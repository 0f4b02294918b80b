#include "support/scan_report.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

namespace zenolint::test {

std::string token_assignment(const std::string& token)
{
  return "ZENODO_TOKEN=" + token + "\n";
}

nlohmann::json parse_report(const RunResult& r)
{
  INFO("status " << r.status << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  return nlohmann::json::parse(r.out);
}

nlohmann::json scan_report(const TempRepo& repo, const std::vector<std::string>& extra,
                           const std::map<std::string, std::string>& env)
{
  std::vector<std::string> args{"scan",           "--format",   "json",
                                "--show-secrets", "--progress", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return parse_report(repo.zenolint(args, env));
}

nlohmann::json scan_json_in(const std::string& cwd, const std::vector<std::string>& args,
                            int expected_status)
{
  std::vector<std::string> argv = {"scan", "--format", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions o;
  o.cwd = cwd;
  auto r = zenolint(argv, o);
  INFO("stdout: " << r.out.substr(0, 4000) << "\nstderr: " << r.err.substr(0, 4000));
  REQUIRE(r.status == expected_status);
  return nlohmann::json::parse(r.out);
}

namespace {

bool token_finding(const nlohmann::json& finding)
{
  return finding.at("rule").get<std::string>().rfind("zenodo/", 0) == 0;
}

} // namespace

std::vector<std::string> token_paths(const nlohmann::json& report)
{
  std::vector<std::string> out;
  for (const auto& f : report.at("findings"))
    if (token_finding(f))
      out.push_back(f.at("path").get<std::string>());
  return out;
}

std::vector<std::string> token_places(const nlohmann::json& report)
{
  std::vector<std::string> out;
  for (const auto& f : report.at("findings"))
    if (token_finding(f))
      out.push_back(f.at("path").get<std::string>() + "@" + f.at("source").get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::string diagnostics_of(const nlohmann::json& report)
{
  std::string out;
  for (const auto& d : report.at("diagnostics"))
    out += d.at("subject").get<std::string>() + ": " + d.at("message").get<std::string>() + "\n";
  return out;
}

std::vector<nlohmann::json> findings_with_secret(const nlohmann::json& report,
                                                 const std::string& secret)
{
  std::vector<nlohmann::json> out;
  for (const auto& f : report.at("findings"))
    if (f.value("secret", "") == secret)
      out.push_back(f);
  return out;
}

} // namespace zenolint::test
