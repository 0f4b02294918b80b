#pragma once
// A real git repository in a fresh temp dir, driven through the git CLI with fixed identities and
// dates (commit N is dated 2020-01-01 + N minutes), isolated from the user's global configuration.
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp.hpp"

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
  std::string head() const;
  // Runs zenolint with this repository's environment and cwd.
  RunResult zenolint(const std::vector<std::string>& args) const;

  const std::string& home() const { return m_home.path(); }

private:
  TempDir m_dir;
  TempDir m_home;
  int m_commits = 0;
};

} // namespace zenolint::test
