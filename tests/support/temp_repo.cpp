#include "support/temp_repo.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace zenolint::test {

TempRepo::TempRepo(bool bare)
{
  std::vector<std::string> args{"init", "-q", "-b", "main"};
  if (bare)
    args.push_back("--bare");
  args.push_back(".");
  git(args);
}

RunOptions TempRepo::options() const
{
  RunOptions o;
  o.cwd = m_dir.path();
  char date[64];
  std::snprintf(date, sizeof date, "2020-01-01T00:%02d:%02d+0000", (m_commits / 60) % 60,
                m_commits % 60);
  o.env = {{"HOME", m_home.path()},
           {"XDG_CONFIG_HOME", m_home.path() + "/.config"},
           {"GIT_CONFIG_NOSYSTEM", "1"},
           {"GIT_AUTHOR_NAME", "Ada Author"},
           {"GIT_AUTHOR_EMAIL", "ada@example.org"},
           {"GIT_COMMITTER_NAME", "Ada Author"},
           {"GIT_COMMITTER_EMAIL", "ada@example.org"},
           {"GIT_AUTHOR_DATE", date},
           {"GIT_COMMITTER_DATE", date},
           {"GIT_DIR", ""},
           {"GIT_INDEX_FILE", ""},
           {"GIT_WORK_TREE", ""},
           {"NO_COLOR", "1"},
           // zenolint is installed: hooks find it on PATH as they would after apt-get install.
           {"PATH", std::filesystem::path(ZENOLINT_BINARY).parent_path().string() + ":" +
                        (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin")}};
  return o;
}

std::string TempRepo::git(const std::vector<std::string>& args) const
{
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return must_run(argv, options());
}

RunResult TempRepo::try_git(const std::vector<std::string>& args) const
{
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, options());
}

void TempRepo::write(const std::string& rel, const std::string& content) const
{
  write_file(m_dir / rel, content);
}

std::string TempRepo::commit(const std::string& message)
{
  git({"add", "-A"});
  git({"commit", "-q", "--allow-empty", "-m", message});
  ++m_commits;
  return head();
}

std::string TempRepo::commit_file(const std::string& rel, const std::string& content,
                                  const std::string& message)
{
  write(rel, content);
  return commit(message);
}

RunOptions TempRepo::work_tree_options(const std::string& work_tree) const
{
  RunOptions o = options();
  o.env["GIT_DIR"] = path();
  o.env["GIT_WORK_TREE"] = work_tree;
  o.cwd = work_tree;
  return o;
}

std::string TempRepo::head() const
{
  std::string h = git({"rev-parse", "HEAD"});
  while (!h.empty() && (h.back() == '\n' || h.back() == '\r'))
    h.pop_back();
  return h;
}

std::string TempRepo::rev(const std::string& spec) const
{
  std::string h = git({"rev-parse", spec});
  while (!h.empty() && (h.back() == '\n' || h.back() == '\r'))
    h.pop_back();
  return h;
}

RunResult TempRepo::zenolint(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) const
{
  std::vector<std::string> argv{ZENOLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions o = options();
  for (const auto& [k, v] : env)
    o.env[k] = v;
  return run(argv, o);
}

std::string TempRepo::loose_object_path(const std::string& id) const
{
  std::string common = git({"rev-parse", "--git-common-dir"});
  while (!common.empty() && (common.back() == '\n' || common.back() == '\r'))
    common.pop_back();
  if (common.empty() || common[0] != '/')
    common = path() + "/" + common;
  return common + "/objects/" + id.substr(0, 2) + "/" + id.substr(2);
}

std::string TempRepo::next_date() const
{
  return options().env.at("GIT_AUTHOR_DATE");
}

RunResult TempRepo::zenolint(const std::vector<std::string>& args) const
{
  std::vector<std::string> argv{ZENOLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, options());
}

} // namespace zenolint::test
