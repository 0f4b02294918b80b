#include "checks/tracked.hpp"

#include "checks/credential_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <map>

namespace zenolint::checks {
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
