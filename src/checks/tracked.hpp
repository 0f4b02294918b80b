#pragma once
// config/tracked-credential-file: credential files that git tracks, that any commit reachable
// from a ref contains, or that sit in the working tree without a .gitignore rule covering them.
#include "checks/findings.hpp"
#include "source/source.hpp"

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

// Findings for credential files seen in history (the history source's sightings of client
// credential file names), skipping paths in `tracked_now` (they already have one).
std::vector<Finding> history_findings(const std::vector<source::PathSighting>& sightings,
                                      const std::vector<std::string>& tracked_now);

} // namespace zenolint::checks
