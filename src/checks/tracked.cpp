#include "checks/tracked.hpp"

#include "checks/credential_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <map>

namespace zenolint::checks {

struct GitPaths::Impl {
  git::Repository repo;
  git::Index index; // null for a bare repository
};

namespace {

std::unique_ptr<GitPaths::Impl> with_index(git::Repository repo, bool bare)
{
  auto impl = std::make_unique<GitPaths::Impl>();
  if (!bare) {
    git_index* raw = nullptr;
    git::check(git_repository_index(&raw, repo.get()), "reading the index");
    impl->index.reset(raw);
  }
  impl->repo = std::move(repo);
  return impl;
}

} // namespace

GitPaths::GitPaths(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

GitPaths::GitPaths(const std::string& git_dir, const std::string& workdir, bool bare)
    : m_impl(with_index(git::open(git_dir, workdir), bare))
{}

std::optional<GitPaths> GitPaths::containing(const std::string& dir)
{
  auto repo = git::discover(dir);
  if (!repo || git_repository_is_bare(repo->get()))
    return std::nullopt;
  return GitPaths(with_index(std::move(*repo), false));
}

GitPaths::GitPaths(GitPaths&&) noexcept = default;
GitPaths& GitPaths::operator=(GitPaths&&) noexcept = default;
GitPaths::~GitPaths() = default;

std::string GitPaths::workdir() const
{
  const char* wd = git_repository_workdir(m_impl->repo.get());
  return wd ? wd : "";
}

PathState GitPaths::state(const std::string& rel_path) const
{
  PathState s;
  s.tracked =
      m_impl->index && git_index_get_bypath(m_impl->index.get(), rel_path.c_str(), 0) != nullptr;
  int ignored = 0;
  if (!s.tracked && git_ignore_path_is_ignored(&ignored, m_impl->repo.get(), rel_path.c_str()) == 0)
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
