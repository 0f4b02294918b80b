#pragma once
// Running `zenolint scan` on a TempRepo and reading its JSON report: the set-up the e2e tests of
// history, exposure and friends share.
#include "support/process.hpp"
#include "support/temp_repo.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zenolint::test {

// "ZENODO_TOKEN=<token>\n": a line every default rule set finds.
std::string token_assignment(const std::string& token);

// The JSON report on r.out; fails the test (showing stdout and stderr) unless the exit status is
// 0 or 1.
nlohmann::json parse_report(const RunResult& r);

// `zenolint scan --format json --show-secrets --progress never EXTRA...` in `repo`, with `env`
// added to the repository's environment; the parsed report (parse_report).
nlohmann::json scan_report(const TempRepo& repo, const std::vector<std::string>& extra = {},
                           const std::map<std::string, std::string>& env = {});

// `zenolint scan --format json ARGS...` run in `cwd`; fails the test (showing stdout and stderr)
// unless the exit status is `expected_status`; the parsed report.
nlohmann::json scan_json_in(const std::string& cwd, const std::vector<std::string>& args,
                            int expected_status);

// The paths of the token findings (rule ids zenodo/...) of `report`, in report order.
std::vector<std::string> token_paths(const nlohmann::json& report);

// The token findings of `report` as "path@source" ("side.env@worktree"), sorted.
std::vector<std::string> token_places(const nlohmann::json& report);

// The diagnostics of `report` as "subject: message" lines.
std::string diagnostics_of(const nlohmann::json& report);

// The findings of `report` whose (shown) secret is `secret`.
std::vector<nlohmann::json> findings_with_secret(const nlohmann::json& report,
                                                 const std::string& secret);

} // namespace zenolint::test
