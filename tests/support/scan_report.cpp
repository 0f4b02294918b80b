#include "support/scan_report.hpp"

#include <catch2/catch.hpp>

namespace zenolint::test {

std::string token_assignment(const std::string& token)
{
  return "ZENODO_TOKEN=" + token + "\n";
}

nlohmann::json parse_report(const RunResult& r)
{
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
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
