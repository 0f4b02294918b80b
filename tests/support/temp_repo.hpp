#pragma once
// A real git repository in a fresh temp dir, driven through the git CLI with fixed identities and
// dates (commit N is dated 2020-01-01 + N minutes), isolated from the user's global configuration.
#include "support/process.hpp"
#include "support/temp.hpp"

#include <map>
#include <string>
#include <vector>

namespace zenolint::test {

class TempRepo {
public:
  explicit TempRepo(bool bare = false);
  const std::string& path() const { return m_dir.path(); }
  std::string operator/(const std::string& rel) const { return m_dir / rel; }

  // Environment used for every git and zenolint call on this repository (HOME, identities, dates).
  RunOptions options() const;
  std::string git(const std::vector<std::string>& args) const; // throws on failure
  RunResult try_git(const std::vector<std::string>& args) const;

  void write(const std::string& rel, const std::string& content) const;
  // git add -A and commit; returns the new commit id.
  std::string commit(const std::string& message);
  // write(rel, content), then commit(message): the one-file commit most set-ups are made of.
  std::string commit_file(const std::string& rel, const std::string& content,
                          const std::string& message);
  std::string head() const;
  // Runs zenolint with this repository's environment and cwd.
  RunResult zenolint(const std::vector<std::string>& args) const;

  const std::string& home() const { return m_home.path(); }

  // `git rev-parse <spec>` without the newline.
  std::string rev(const std::string& spec) const;
  // Runs zenolint with this repository's environment plus `env` (a "" value unsets a variable).
  RunResult zenolint(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env) const;
  // This (bare) repository's environment with GIT_DIR set to it and GIT_WORK_TREE to
  // `work_tree`, run in `work_tree`: a bare dotfiles repository whose work tree is a home.
  RunOptions work_tree_options(const std::string& work_tree) const;
  // Path of the loose object file of `id` (it may not exist when the object is packed).
  std::string loose_object_path(const std::string& id) const;
  // The author/committer date the next commit() will get (ISO 8601, as git accepts it).
  std::string next_date() const;

private:
  TempDir m_dir;
  TempDir m_home;
  int m_commits = 0;
};

} // namespace zenolint::test
