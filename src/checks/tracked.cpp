#include "checks/tracked.hpp"

#include "checks/credential_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <unordered_set>

namespace zenolint::checks {
namespace {} // namespace

std::string iso_date(git_time_t time, int offset_minutes)
{
  std::time_t t = static_cast<std::time_t>(time + static_cast<git_time_t>(offset_minutes) * 60);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

PathState path_state(git_repository* repo, git_index* index, const std::string& rel_path)
{
  PathState s;
  s.tracked = index && git_index_get_bypath(index, rel_path.c_str(), 0) != nullptr;
  int ignored = 0;
  if (!s.tracked && git_ignore_path_is_ignored(&ignored, repo, rel_path.c_str()) == 0)
    s.ignored = ignored != 0;
  return s;
}

std::optional<Finding> tracked_finding(const std::string& rel_path, const PathState& state,
                                       bool holds_token)
{
  std::string what = holds_token ? "holds a Zenodo token" : "is a Zenodo client credential file";
  if (state.tracked) {
    std::string msg = rel_path + " " + what +
                      " and is tracked by git; remove it from the repository (git rm --cached " +
                      rel_path + "), add it to .gitignore, and revoke any token it ever held";
    return make_finding(rule_tracked_file, Severity::error, rel_path, "tracked", std::move(msg));
  }
  if (state.ignored)
    return std::nullopt;
  std::string msg = rel_path + " " + what +
                    " and .gitignore does not cover it, so 'git add -A' would commit it; add " +
                    rel_path + " to .gitignore";
  return make_finding(rule_tracked_file, Severity::warning, rel_path, "not-ignored",
                      std::move(msg));
}

std::vector<Finding> history_findings(const std::vector<source::PathSighting>& sightings,
                                      const std::vector<std::string>& tracked_now)
{
  std::vector<Finding> out;
  for (const auto& hit : sightings) {
    if (std::find(tracked_now.begin(), tracked_now.end(), hit.path) != tracked_now.end())
      continue;
    std::string msg = hit.path +
                      " is a Zenodo client credential file present in git history "
                      "(added by commit " +
                      hit.commit.id.substr(0, 12) + " \"" + hit.commit.summary +
                      "\"); whatever it held is public to anyone with a "
                      "clone: revoke its tokens and rewrite history (git filter-repo --path " +
                      hit.path + " --invert-paths)";
    Finding f =
        make_finding(rule_tracked_file, Severity::error, hit.path, "history", std::move(msg));
    f.provenance.kind = Provenance::Kind::history;
    f.provenance.commit = hit.commit;
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace zenolint::checks
