#include "app/progress.hpp"
#include "app/scan_stages.hpp"
#include "archive/archive.hpp"
#include "checks/credential_file.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "source/git_layout.hpp"
#include "source/history.hpp"
#include "source/release.hpp"
#include "source/staged.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace zenolint::app {
namespace {

void append(source::Batch& into, source::Batch&& from)
{
  into.files.insert(into.files.end(), std::make_move_iterator(from.files.begin()),
                    std::make_move_iterator(from.files.end()));
  into.objects.insert(into.objects.end(), std::make_move_iterator(from.objects.begin()),
                      std::make_move_iterator(from.objects.end()));
  into.diagnostics.insert(into.diagnostics.end(), from.diagnostics.begin(), from.diagnostics.end());
  auto& a = into.stats;
  const auto& b = from.stats;
  a.files += b.files;
  a.history_blobs += b.history_blobs;
  a.skipped_binary += b.skipped_binary;
  a.skipped_too_large += b.skipped_too_large;
  a.skipped_symlink += b.skipped_symlink;
  a.skipped_other += b.skipped_other;
  a.commits += b.commits;
  into.watched.insert(into.watched.end(), std::make_move_iterator(from.watched.begin()),
                      std::make_move_iterator(from.watched.end()));
  into.history_walked = into.history_walked || from.history_walked;
  if (from.graph)
    into.graph = std::move(from.graph);
  if (from.positions)
    into.positions = std::move(from.positions);
}

void check_combination(const ScanCommand& cmd)
{
  int modes =
      int(cmd.no_history) + int(cmd.history_only) + int(cmd.staged) + int(!cmd.range.empty());
  if (modes > 1)
    throw Error("--no-history, --history-only, --staged and --range cannot be combined");
  if (cmd.all_objects && (cmd.no_history || cmd.staged || !cmd.range.empty()))
    throw Error("--all-objects cannot be combined with --no-history, --staged or --range");
  if (cmd.include_ignored && (cmd.history_only || cmd.staged || !cmd.range.empty()))
    throw Error("--include-ignored is about the working tree: it cannot be combined with "
                "--history-only, --staged or --range");
}

// Standard input as one unit. At most max_file_size bytes, or max_archive_bytes when it starts
// like an archive; a longer input is cut there (at the last line break) with a warning, and what
// fits is scanned: a hook or pipe gets an answer for what it could check.
source::Batch read_stdin(const ScanCommand& cmd)
{
  source::Batch batch;
  auto data = std::make_shared<std::string>();
  std::uint64_t limit = cmd.max_file_size;
  bool archive_checked = false, truncated = false;
  std::vector<char> chunk(1 << 16);
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw Error(std::string("reading standard input: ") + std::strerror(errno));
    if (n == 0)
      break;
    data->append(chunk.data(), static_cast<std::size_t>(n));
    if (!archive_checked && data->size() >= 512) {
      archive_checked = true;
      if (cmd.max_archive_depth > 0 && archive::looks_like_archive(*data))
        limit = std::max(limit, cmd.max_archive_bytes);
    }
    if (data->size() > limit) {
      truncated = true;
      break;
    }
  }
  if (!archive_checked && cmd.max_archive_depth > 0 && archive::looks_like_archive(*data))
    limit = std::max(limit, cmd.max_archive_bytes);
  source::BufferRef ref;
  ref.provenance.kind = Provenance::Kind::stdin_;
  ref.provenance.path = cmd.stdin_name.empty() ? std::string(stdin_path) : cmd.stdin_name;
  ++batch.stats.files;
  if (truncated) {
    data->resize(limit);
    if (auto nl = data->rfind('\n'); nl != std::string::npos && !archive::looks_like_archive(*data))
      data->resize(nl + 1);
    batch.diagnostics.push_back({Severity::warning, ref.provenance.path,
                                 "standard input is longer than " + std::to_string(limit) +
                                     " bytes (--max-file-size); only the first " +
                                     std::to_string(data->size()) + " bytes were scanned"});
  }
  ref.data = std::move(data);
  batch.buffers.push_back(std::move(ref));
  return batch;
}

// The working tree of a repository. When git's view of it cannot be had (an index libgit2
// refuses: a bad checksum, a truncated entry), the files are still there: they are walked as a
// plain directory, and an error diagnostic (exit status 3 without findings) says why.
source::Batch worktree_or_plain(const ScanCommand& cmd, source::WorktreeOptions wopts)
{
  try {
    return source::enumerate_worktree(cmd.path, wopts);
  } catch (const Error& e) {
    wopts.plain_directory = true;
    wopts.on_listed = nullptr; // what the failed listing handed on stays as it was
    source::Batch batch = source::enumerate_worktree(cmd.path, wopts);
    batch.diagnostics.push_back(
        {Severity::error, cmd.path,
         std::string(e.what()) +
             "; the working tree was scanned as a plain directory (.gitignore not applied)",
         DiagnosticCause::none});
    return batch;
  }
}

source::Batch history(const ScanCommand& cmd, const source::RootInfo& root)
{
  source::HistoryOptions hopts;
  hopts.range = cmd.range;
  hopts.all_objects = cmd.all_objects;
  // Exposure needs the whole history; ZENOLINT_NO_EXPOSURE (undocumented, for bench/history)
  // turns it off to measure what it costs.
  const char* no_exposure = std::getenv("ZENOLINT_NO_EXPOSURE");
  hopts.keep_graph = cmd.range.empty() && !(no_exposure && *no_exposure);
  hopts.jobs = effective_jobs(cmd.jobs);
  // The credential-file checks need every path with a client credential file name (any name
  // of checks::file_formats()).
  hopts.watch_name = [](std::string_view name) { return checks::kind_from_name(name).has_value(); };
  Progress progress(cmd.progress, "walking history");
  hopts.on_commits = [&](std::uint64_t commits) { progress.update_commits(commits); };
  auto batch = source::enumerate_history(root.git_dir, hopts);
  progress.finish();
  return batch;
}

} // namespace

source::GitEnvironment git_environment()
{
  source::GitEnvironment env;
  auto get = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  env.git_dir = get("GIT_DIR");
  env.work_tree = get("GIT_WORK_TREE");
  env.index_file = get("GIT_INDEX_FILE");
  return env;
}

source::RootInfo describe_staged_root(const std::string& path)
{
  auto layout = source::discover_git_layout(path, git_environment());
  if (!layout)
    return source::describe_root(path);
  // As describe_root says it, from what the own discovery found.
  source::RootInfo info;
  info.in_repo = true;
  info.git_dir = layout->git_dir;
  info.workdir = layout->work_tree;
  std::error_code ec;
  namespace fs = std::filesystem;
  auto canon_root = fs::weakly_canonical(fs::absolute(path, ec), ec).generic_string();
  const std::string& canon_wd = info.workdir;
  if (canon_root.size() + 1 >= canon_wd.size() && (canon_root + "/").rfind(canon_wd, 0) == 0)
    info.prefix = (canon_root + "/").substr(canon_wd.size());
  info.display_root = info.workdir;
  return info;
}

source::Batch collect_release(const ScanCommand& cmd, const source::RootInfo& root,
                              report::Report& rep)
{
  if (cmd.staged || cmd.history_only || cmd.no_history || !cmd.range.empty() || cmd.all_objects)
    throw Error("--release cannot be combined with --staged, --history-only, --no-history, "
                "--range or --all-objects");
  if (!root.in_repo)
    throw Error(cmd.path + ": not a git repository (--release needs one)");
  source::ReleaseOptions ropts;
  ropts.max_file_size = cmd.max_file_size;
  ropts.max_archive_bytes = cmd.max_archive_bytes;
  auto release = source::enumerate_release(root.git_dir, cmd.release, ropts);
  rep.scan_kind = "release";
  report::ReleaseInfo info;
  info.rev = release.rev;
  info.commit = release.commit;
  info.published = std::move(release.published);
  info.excluded = std::move(release.excluded);
  rep.release = std::move(info);
  return std::move(release.batch);
}

source::Batch collect_sources(
    const ScanCommand& cmd, const source::RootInfo& root, std::string& scan_kind,
    const std::function<void(const std::string& fs_path, const std::string& path)>& on_listed)
{
  check_combination(cmd);
  source::WorktreeOptions wopts;
  wopts.on_listed = on_listed;
  wopts.watch_name = [](std::string_view name) { return checks::kind_from_name(name).has_value(); };
  wopts.max_file_size = cmd.max_file_size;
  if (cmd.max_archive_depth > 0)
    wopts.max_archive_size = cmd.max_archive_bytes;
  wopts.plain_directory = cmd.include_ignored;
  if (cmd.include_ignored && root.in_repo)
    wopts.plain_prefix = root.prefix;

  if (cmd.path == stdin_path) {
    if (cmd.staged || cmd.history_only || !cmd.range.empty() || cmd.all_objects)
      throw Error("standard input ('-') cannot be combined with history or staged options");
    scan_kind = "stdin";
    return read_stdin(cmd);
  }
  if (cmd.staged) {
    scan_kind = "staged";
    return source::enumerate_staged(cmd.path, git_environment()).batch;
  }
  bool wants_history = cmd.history_only || !cmd.range.empty() || cmd.all_objects;
  if (!root.in_repo) {
    if (wants_history && !root.unopened.empty())
      throw Error(cmd.path + ": " + root.unopened + " (history options need the repository)");
    if (wants_history)
      throw Error(cmd.path + ": not a git repository (history options need one)");
    wopts.plain_directory = wopts.plain_directory || !root.unopened.empty();
    scan_kind = "worktree";
    return source::enumerate_worktree(cmd.path, wopts);
  }
  if (cmd.no_history) {
    scan_kind = "worktree";
    return worktree_or_plain(cmd, wopts);
  }
  if (!cmd.range.empty()) {
    scan_kind = "range";
    return history(cmd, root);
  }
  if (cmd.history_only || root.bare) {
    scan_kind = "history";
    return history(cmd, root);
  }
  scan_kind = "full";
  source::Batch batch = worktree_or_plain(cmd, wopts);
  append(batch, history(cmd, root));
  return batch;
}

} // namespace zenolint::app
