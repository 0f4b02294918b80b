#include "app/config_check.hpp"

#include "checks/checks.hpp"
#include "checks/tracked.hpp"
#include "core/error.hpp"
#include "git/git.hpp"
#include "scan/scanner.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>

namespace zenolint::app {
namespace fs = std::filesystem;
namespace {

std::string home_dir()
{
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error("HOME is not set; name the files to check: zenolint config check FILE...");
  std::string h = home;
  while (h.size() > 1 && h.back() == '/')
    h.pop_back();
  return h;
}

// Tracked / not-ignored findings for a file that sits in a git working tree (a dotfiles
// repository in $HOME, a project directory...).
void check_git_state(const std::string& fs_path, const std::string& shown, checks::Result& res)
{
  std::error_code ec;
  fs::path abs = fs::absolute(fs_path, ec);
  if (ec)
    return;
  fs::path dir = fs::weakly_canonical(abs.parent_path(), ec);
  if (ec)
    return;
  try {
    auto repo = git::discover(dir.string());
    if (!repo || git_repository_is_bare(repo->get()))
      return;
    fs::path workdir = fs::weakly_canonical(git_repository_workdir(repo->get()), ec);
    fs::path rel = (dir / abs.filename()).lexically_relative(workdir);
    if (rel.empty() || *rel.begin() == "..")
      return;
    git_index* raw = nullptr;
    git::check(git_repository_index(&raw, repo->get()), "reading the index");
    git::Index index(raw);
    auto state = checks::path_state(repo->get(), index.get(), rel.generic_string());
    if (auto f = checks::tracked_finding(rel.generic_string(), state, false)) {
      f->message =
          shown + " is inside the git working tree " + workdir.string() + ": " + f->message;
      f->path = shown;
      f->provenance.path = shown;
      res.findings.push_back(std::move(*f));
    }
  } catch (const Error& e) {
    res.diagnostics.push_back({Severity::warning, shown, e.what()});
  }
}

} // namespace

std::vector<std::string> default_config_files()
{
  std::string home = home_dir();
  std::string xdg;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x == '/') // relative: ignored (spec)
    xdg = x;
  else
    xdg = home + "/.config";
  while (xdg.size() > 1 && xdg.back() == '/')
    xdg.pop_back();
  std::vector<std::string> files;
  for (const auto& dir : {home, xdg, xdg + "/zenodo"})
    for (const auto& name : checks::client_file_names())
      files.push_back(dir + "/" + name);
  return files;
}

ConfigCheckResult config_check(const ConfigCheckCommand& cmd)
{
  ConfigCheckResult result;
  auto& rep = result.report;
  rep.scan_kind = "config";
  rep.rules = checks::rule_metas();
  bool named = !cmd.files.empty();
  std::vector<std::string> files = named ? cmd.files : default_config_files();
  std::string home;
  if (const char* h = std::getenv("HOME"); h && *h)
    home = h;
  rep.root = named ? "" : home;

  checks::Result res;
  for (const auto& file : files) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
      if (named) {
        result.missing_named_file = true;
        res.diagnostics.push_back({Severity::error, file, std::strerror(errno)});
      }
      continue;
    }
    ++rep.stats.files;
    checks::FileTarget t;
    t.fs_path = file;
    t.display_path = file;
    t.permission_options.fix = cmd.fix;
    t.permission_options.fix_root = home; // --fix changes files in the home directory only
    std::error_code ec;
    if (!home.empty()) {
      fs::path abs_dir = fs::weakly_canonical(fs::absolute(file, ec).parent_path(), ec);
      fs::path canon_home = fs::weakly_canonical(home, ec);
      auto rel = abs_dir.lexically_relative(canon_home);
      if (!rel.empty() && *rel.begin() != "..")
        t.permission_options.stop_dir = canon_home.string();
    }
    checks::check_file(t, res);
    check_git_state(file, file, res);
  }
  checks::normalise(res);
  rep.findings = std::move(res.findings);
  rep.diagnostics = std::move(res.diagnostics);
  result.fixes = std::move(res.fixes);
  scan::sort_findings(rep.findings);
  return result;
}

} // namespace zenolint::app
