#include "app/scan_stages.hpp"
#include "checks/checks.hpp"
#include "checks/labels.hpp"
#include "checks/tracked.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "git/git.hpp"

#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sys/stat.h>

namespace zenolint::app {
namespace fs = std::filesystem;
namespace {

bool exists_no_follow(const std::string& path)
{
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Client credential files on disk (display path -> fs path): the well-known names in the scan
// root and in every directory that holds a file of the batch, as the listing noted them
// (Batch::watched_entries) or else looked up. This also finds ignored and symlinked ones, which
// the working-tree source leaves out.
std::map<std::string, std::string>
find_client_files(const ScanCommand& cmd, const source::RootInfo& root, const source::Batch& batch)
{
  std::map<std::string, std::string> found;
  std::error_code ec;
  if (!fs::is_directory(cmd.path, ec)) {
    std::string name = fs::path(cmd.path).filename().string();
    if (checks::kind_from_name(name))
      found.emplace(root.in_repo && !root.bare ? root.prefix + name : name, cmd.path);
    return found;
  }
  std::map<std::string, std::string> dirs; // display dir ("" or "a/b/") -> fs dir
  dirs.emplace(root.in_repo ? root.prefix : "", cmd.path);
  // Files of one directory come together in the batch: each directory is added once per run of
  // its files (string prefixes instead of a std::filesystem::path per file).
  std::string_view last_rel, last_fs;
  for (const auto& f : batch.files) {
    if (f.provenance.kind != Provenance::Kind::worktree)
      continue;
    const std::string& rel = f.provenance.path;
    std::string_view rel_dir(rel.data(),
                             rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    std::string_view fs_dir(f.fs_path.data(),
                            f.fs_path.rfind('/') == std::string::npos ? 0 : f.fs_path.rfind('/'));
    if (rel_dir == last_rel && fs_dir == last_fs && !last_fs.empty())
      continue;
    last_rel = rel_dir;
    last_fs = fs_dir;
    // parent_path() of "/x" is "/"; of "x" is "".
    std::string fs_parent = fs_dir.empty() && !f.fs_path.empty() && f.fs_path[0] == '/'
                                ? std::string("/")
                                : std::string(fs_dir);
    dirs.try_emplace(std::string(rel_dir), std::move(fs_parent));
  }
  // The listing noted the names as it read the directories: no lookup needed.
  if (batch.watched_entries) {
    for (const auto& rel : *batch.watched_entries) {
      const std::size_t slash = rel.rfind('/');
      const std::string rel_dir = slash == std::string::npos ? "" : rel.substr(0, slash + 1);
      auto d = dirs.find(rel_dir);
      if (d == dirs.end())
        continue; // a directory without a file of the batch, as below
      const std::string dir = d->second.empty() ? std::string(".") : d->second;
      found.emplace(rel, dir + "/" + rel.substr(rel_dir.size()));
    }
    return found;
  }
  // One directory descriptor per directory and an fstatat per name (a full-path lstat walked
  // every component of the path again for each name), directories shared out among --jobs
  // threads; `found` is a map, so the order they finish in does not matter.
  const auto names = checks::client_file_names();
  std::vector<const std::pair<const std::string, std::string>*> todo;
  todo.reserve(dirs.size());
  for (const auto& d : dirs)
    todo.push_back(&d);
  std::vector<std::vector<std::pair<std::string, std::string>>> hits(todo.size());
  parallel_for(
      todo.size(), effective_jobs(cmd.jobs),
      [&](std::size_t i, unsigned) {
        const auto& [rel_dir, fs_dir] = *todo[i];
        const std::string dir = fs_dir.empty() ? std::string(".") : fs_dir;
        Fd dfd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        for (const auto& name : names) {
          struct stat st {};
          bool exists = dfd ? ::fstatat(dfd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0
                            : exists_no_follow(dir + "/" + name);
          if (exists)
            hits[i].emplace_back(rel_dir + name, dir + "/" + name);
        }
      },
      64);
  for (auto& list : hits)
    for (auto& [rel, fs_path] : list)
      found.emplace(std::move(rel), std::move(fs_path));
  return found;
}

} // namespace

void run_checks(const ScanCommand& cmd, const source::RootInfo& root, const source::Batch& batch,
                report::Report& rep)
{
  checks::Result res;
  if (cmd.path == stdin_path || !cmd.release.empty()) {
    // Standard input named like a client credential file (--stdin-name .zenodorc), or such a file
    // in a release, is parsed and checked as one; there is no file on disk, so no permission or
    // git checks.
    for (const auto& b : batch.buffers) {
      auto kind = checks::kind_from_name(fs::path(b.provenance.path).filename().string());
      if (!kind || b.data->size() > checks::max_credential_file_size)
        continue;
      auto parsed = checks::parse(*kind, *b.data, b.provenance.path);
      for (auto& d : parsed.diagnostics)
        res.diagnostics.push_back(std::move(d));
      checks::check_labels(parsed, b.provenance.path, git::blob_hash(*b.data), res);
    }
    for (auto& f : res.findings) {
      f.provenance.kind =
          cmd.release.empty() ? Provenance::Kind::stdin_ : Provenance::Kind::release;
      if (!cmd.release.empty() && rep.release)
        f.provenance.commit = rep.release->commit;
    }
    checks::normalise(res);
    for (auto& f : res.findings)
      rep.findings.push_back(std::move(f));
    for (auto& d : res.diagnostics)
      rep.diagnostics.push_back(std::move(d));
    return;
  }
  if (cmd.staged) {
    // What is being committed: a staged client credential file is blocked whatever its content.
    // Permissions and ignore rules concern files on disk, not the commit, and are left to `scan`.
    for (const auto& o : batch.objects) {
      std::string name = fs::path(o.provenance.path).filename().string();
      if (!checks::kind_from_name(name))
        continue;
      checks::PathState staged_state;
      staged_state.tracked = true;
      if (auto f = checks::tracked_finding(o.provenance.path, staged_state, false))
        res.findings.push_back(std::move(*f));
    }
    checks::normalise(res);
    for (auto& f : res.findings)
      rep.findings.push_back(std::move(f));
    return;
  }
  std::error_code ec;
  std::string stop_dir =
      fs::is_directory(cmd.path, ec) ? cmd.path : fs::path(cmd.path).parent_path().string();
  checks::PermissionOptions perm;
  perm.stop_dir = stop_dir.empty() ? "." : stop_dir;
  perm.fix = cmd.fix;
  perm.fix_root = perm.stop_dir;

  // Opened on first use: a scan without credential files or token findings never needs libgit2.
  std::optional<checks::GitPaths> repo_storage;
  bool repo_failed = false;
  auto repo = [&]() -> checks::GitPaths* {
    if (!root.in_repo)
      return nullptr;
    if (!repo_storage && !repo_failed) {
      try {
        repo_storage.emplace(root.git_dir, root.workdir, root.bare);
      } catch (const Error& e) {
        repo_failed = true; // an index libgit2 refuses: no tracked-file checks, and it says so
        res.diagnostics.push_back(
            {Severity::error, root.git_dir + "index",
             std::string(e.what()) + "; whether credential files are tracked was not checked",
             DiagnosticCause::none});
      }
    }
    return repo_storage ? &*repo_storage : nullptr;
  };

  // Working-tree files, unless only history is scanned.
  std::vector<std::string> tracked_now;
  if (!root.bare && !cmd.history_only) {
    auto client_files = find_client_files(cmd, root, batch);
    for (const auto& [rel, fs_path] : client_files) {
      if (auto* git_paths = repo()) {
        auto state = git_paths->state(rel);
        if (state.tracked)
          tracked_now.push_back(rel);
        if (auto f = checks::tracked_finding(rel, state, false))
          res.findings.push_back(std::move(*f));
      }
      checks::FileTarget t;
      t.fs_path = fs_path;
      t.display_path = rel;
      t.permission_options = perm;
      checks::check_file(t, res);
    }

    // Other files in which the Zenodo rules found a token (the map only when there are findings).
    std::map<std::string, std::string> fs_of;
    if (!rep.findings.empty())
      for (const auto& f : batch.files)
        fs_of.emplace(f.provenance.path, f.fs_path);
    std::map<std::string, bool> token_files; // path -> a rule with label_checks found a token
    for (const auto& f : rep.findings) {
      const RuleMeta* rule = find_rule(rep.rules, f.rule_id);
      if (!rule || rule->kind != RuleKind::token ||
          f.provenance.kind != Provenance::Kind::worktree || client_files.count(f.path) ||
          !fs_of.count(f.path))
        continue;
      token_files[f.path] |= rule->label_checks;
    }
    for (const auto& [rel, ini] : token_files) {
      checks::FileTarget t;
      t.fs_path = fs_of[rel];
      t.display_path = rel;
      t.kind = checks::FileKind::ini;
      t.labels = ini;
      t.permission_options = perm;
      // Only configuration and credential files get permission findings: a world-readable
      // upload.py with a token has its token finding, and chmod 600 would not be the fix.
      t.permissions = checks::is_config_file_name(fs::path(rel).filename().string());
      if (auto* git_paths = repo()) {
        auto state = git_paths->state(rel);
        // A tracked source file already has its token finding: no permission finding on top.
        t.permissions = t.permissions && !state.tracked;
        if (!state.tracked)
          if (auto f = checks::tracked_finding(rel, state, true))
            res.findings.push_back(std::move(*f));
      }
      if (t.labels || t.permissions)
        checks::check_file(t, res);
    }
  }

  // Credential files anywhere in history: the history source watched for their names.
  if (batch.history_walked)
    for (auto& f : checks::history_findings(batch.watched, tracked_now))
      res.findings.push_back(std::move(f));

  checks::normalise(res);
  for (const auto& line : res.fixes)
    std::cerr << "zenolint: fixed: " << terminal_safe(line) << '\n';
  for (auto& f : res.findings)
    rep.findings.push_back(std::move(f));
  for (auto& d : res.diagnostics)
    rep.diagnostics.push_back(std::move(d));
}

} // namespace zenolint::app
