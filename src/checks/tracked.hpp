#pragma once
// config/tracked-credential-file: credential files that git tracks, that any commit reachable
// from a ref contains, or that sit in the working tree without a .gitignore rule covering them.
#include "checks/findings.hpp"

#include <cstdint>
#include <git2.h>
#include <optional>
#include <string>
#include <vector>

namespace zenolint::checks {

// Git state of one working-tree path (repository-relative, '/'-separated).
struct PathState {
  bool tracked = false; // in the index
  bool ignored = false; // covered by .gitignore, .git/info/exclude or core.excludesFile
};
PathState path_state(git_repository* repo, git_index* index, const std::string& rel_path);

// Finding for a credential file that is tracked (error) or untracked and not ignored (warning).
// `holds_token` words the message for files that are credential files because a rule found a
// token in them. Returns nullopt for an ignored, untracked file.
std::optional<Finding> tracked_finding(const std::string& rel_path, const PathState& state,
                                       bool holds_token);

struct HistoryHit {
  std::string path;  // repository-relative path in the commit's tree
  CommitInfo commit; // the oldest commit found with that path (reverse topological walk)
};

struct HistoryWalk {
  std::vector<HistoryHit> hits; // sorted by path
  std::uint64_t commits = 0;
  std::uint64_t trees = 0; // unique trees read
  bool truncated = false;  // stopped after max_trees unique trees
};

// Walks every commit reachable from any reference (and HEAD) oldest first, reading each unique
// tree once, and returns the paths whose last component is a client credential file name.
// Bounded by `max_trees` unique trees. Throws Error on libgit2 failures.
HistoryWalk find_credential_files_in_history(git_repository* repo, std::uint64_t max_trees);

// Findings for history hits, skipping paths in `tracked_now` (they already have one).
std::vector<Finding> history_findings(const HistoryWalk& walk,
                                      const std::vector<std::string>& tracked_now);

// "YYYY-MM-DDTHH:MM:SS+HH:MM" for a git time.
std::string iso_date(git_time_t time, int offset_minutes);

} // namespace zenolint::checks
