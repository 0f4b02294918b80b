#include "app/config_check.hpp"

#include "app/rules_setup.hpp"
#include "checks/checks.hpp"
#include "checks/tracked.hpp"
#include "core/error.hpp"
#include "git/git.hpp"
#include "match/instance.hpp"
#include "match/matcher.hpp"
#include "scan/scanner.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
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
    auto git = checks::GitPaths::containing(dir.string());
    if (!git)
      return;
    fs::path workdir = fs::weakly_canonical(git->workdir(), ec);
    fs::path rel = (dir / abs.filename()).lexically_relative(workdir);
    if (rel.empty() || *rel.begin() == "..")
      return;
    auto state = git->state(rel.generic_string());
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
  files.push_back(xdg + "/" + std::string(match::client_file_name(match::ClientFile::client_ini)));
  for (const char* name :
       {".zenodo_sandbox_token", ".zenodo-token", "zenodo.token", "zenodo_token.txt", ".Renviron",
        ".Rprofile", ".profile", ".bashrc", ".bash_profile", ".bash_login", ".zshrc", ".zprofile",
        ".zshenv", ".netrc"})
    files.push_back(home + "/" + name);
  files.push_back(xdg + "/fish/config.fish");
  return files;
}

std::string client_files_in_home()
{
  std::string out;
  for (const auto& name : checks::client_file_names())
    out += (out.empty() ? "~/" : ", ~/") + name;
  return out;
}

namespace {

// How `config check` reads a file, by its name.
enum class HomeKind {
  client,      // a client credential file: parsed, labels and permissions
  client_ini,  // zenodo-client's zenodo.ini: parsed as INI and matched, permissions always
  token_file,  // a file named for a token: matched, permissions always
  environment, // a profile, .Renviron, .netrc: matched, permissions when it holds a token
  other,       // a named file of any other name: parsed by content (as before)
};

HomeKind home_kind(const std::string& path)
{
  std::string name = fs::path(path).filename().string();
  if (checks::kind_from_name(name))
    return HomeKind::client;
  if (match::client_file_kind(name) == match::ClientFile::client_ini)
    return HomeKind::client_ini;
  if (checks::is_token_file_name(name))
    return HomeKind::token_file;
  if (checks::is_config_file_name(name) || name == "config.fish")
    return HomeKind::environment;
  return HomeKind::other;
}

std::string_view describe(HomeKind k, const std::string& path)
{
  switch (k) {
  case HomeKind::client:
    return checks::to_string(*checks::kind_from_name(fs::path(path).filename().string()));
  case HomeKind::client_ini:
    return "zenodo-client zenodo.ini";
  case HomeKind::token_file:
    return "token file";
  case HomeKind::environment:
    return "environment file";
  case HomeKind::other:
    return "credential file";
  }
  return "file";
}

} // namespace

ConfigCheckResult config_check(const ConfigCheckCommand& cmd)
{
  ConfigCheckResult result;
  auto& rep = result.report;
  rep.scan_kind = "config";
  bool named = !cmd.files.empty();
  std::vector<std::string> files = named ? cmd.files : default_config_files();
  std::string home;
  if (const char* h = std::getenv("HOME"); h && *h)
    home = h;
  rep.root = named ? "" : home;

  // Files other than client files go through the token rules, read once by the scanner.
  rules::RuleSet rules = load_active_rules({});
  match::Matcher matcher(rules);
  rep.rules = rule_metas(rules);
  source::Batch batch;
  struct Pending {
    std::string file;
    HomeKind kind;
    checks::FileTarget target;
  };
  std::vector<Pending> matched_files;
  std::vector<std::size_t> looked_at_index; // per matched file: its line in result.looked_at

  checks::Result res;
  for (const auto& file : files) {
    struct stat st {};
    HomeKind kind = home_kind(file);
    if (::lstat(file.c_str(), &st) != 0) {
      result.looked_at.push_back(file + ": missing");
      if (named) {
        result.missing_named_file = true;
        res.diagnostics.push_back({Severity::error, file, std::strerror(errno)});
      }
      continue;
    }
    result.looked_at.push_back(file + ": " + std::string(describe(kind, file)));
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
    if (kind == HomeKind::client || kind == HomeKind::other) {
      checks::check_file(t, res);
      check_git_state(file, file, res);
      continue;
    }
    // The scanner opens files without following links: hand it the link's target (a dotfile
    // manager's symlink into its repository), reported under the path looked at.
    std::error_code canon_ec;
    auto target = fs::canonical(file, canon_ec);
    if (!canon_ec && fs::is_regular_file(target, canon_ec)) {
      source::FileRef ref;
      ref.fs_path = target.string();
      ref.provenance.path = file;
      batch.files.push_back(std::move(ref));
    }
    if (kind == HomeKind::client_ini)
      t.kind = checks::FileKind::ini;
    t.labels = kind == HomeKind::client_ini;
    matched_files.push_back({file, kind, t});
    looked_at_index.push_back(result.looked_at.size() - 1);
  }
  scan::ScanOptions sopts;
  sopts.jobs = 1;
  auto scanned = scan::run(batch, matcher, sopts);
  rep.stats.blobs_scanned += scanned.stats.blobs_scanned;
  rep.stats.bytes_scanned += scanned.stats.bytes_scanned;
  std::map<std::string, std::size_t> tokens_in;
  for (auto& f : scanned.findings) {
    ++tokens_in[f.path];
    rep.findings.push_back(std::move(f));
  }
  for (auto& d : scanned.diagnostics)
    res.diagnostics.push_back(std::move(d));
  for (std::size_t i = 0; i < matched_files.size(); ++i) {
    auto& [file, kind, t] = matched_files[i];
    std::size_t n = tokens_in[file];
    if (n > 0)
      result.looked_at[looked_at_index[i]] +=
          ", " + std::to_string(n) + (n == 1 ? " token" : " tokens");
    // Profiles are world-readable by convention: a permission finding only when one holds a
    // token. Token files and zenodo.ini are credential files whatever they hold.
    t.permissions = kind != HomeKind::environment || n > 0;
    if (t.labels || t.permissions) {
      checks::check_file(t, res);
      check_git_state(file, file, res);
    }
  }
  checks::normalise(res);
  for (auto& f : res.findings)
    rep.findings.push_back(std::move(f));
  rep.diagnostics = std::move(res.diagnostics);
  result.fixes = std::move(res.fixes);
  scan::sort_findings(rep.findings);
  return result;
}

} // namespace zenolint::app
