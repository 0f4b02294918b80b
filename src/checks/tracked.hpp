#pragma once
// config/tracked-credential-file: credential files that git tracks, that any commit reachable
// from a ref contains, or that sit in the working tree without a .gitignore rule covering them.
#include "checks/findings.hpp"
#include "source/source.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zenolint::checks {

// Git state of one working-tree path (repository-relative, '/'-separated).
struct PathState {
  bool tracked = false; // in the index
  bool ignored = false; // covered by .gitignore, .git/info/exclude or core.excludesFile
};

// The git state of working-tree paths: a repository and its index, opened once and owned here
// (libgit2 stays behind this class). Move-only.
class GitPaths {
public:
  // The repository at `git_dir` with the work tree discovery found (`workdir`, may be empty for
  // a bare repository, which has no index: nothing in it is tracked). Throws Error when the
  // repository or its index cannot be read.
  GitPaths(const std::string& git_dir, const std::string& workdir, bool bare);
  // The non-bare repository whose work tree holds directory `dir` (searching upwards), or nullopt
  // when there is none. Throws Error when it exists but cannot be read.
  static std::optional<GitPaths> containing(const std::string& dir);
  GitPaths(GitPaths&&) noexcept;
  GitPaths& operator=(GitPaths&&) noexcept;
  ~GitPaths();

  // The work tree, as libgit2 reports it (with a trailing '/'); empty for a bare repository.
  std::string workdir() const;
  // State of `rel_path` (repository-relative, '/'-separated).
  PathState state(const std::string& rel_path) const;

  struct Impl; // opaque: defined in tracked.cpp

private:
  explicit GitPaths(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

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
