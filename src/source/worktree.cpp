#include "source/worktree.hpp"

#include "archive/archive.hpp"
#include "core/error.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <memory>
#include <optional>
#include <sys/stat.h>

namespace zenolint::source {
namespace fs = std::filesystem;
namespace {

// Classifies one candidate path by lstat and adds it to the batch or to the skip counters.
void consider(Batch& batch, const std::string& fs_path, const std::string& display_path,
              const WorktreeOptions& options)
{
  ++batch.stats.files;
  struct stat st {};
  if (::lstat(fs_path.c_str(), &st) != 0) {
    ++batch.stats.skipped_other;
    batch.diagnostics.push_back(
        {Severity::warning, display_path, std::string("cannot stat: ") + std::strerror(errno)});
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    ++batch.stats.skipped_symlink;
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    ++batch.stats.skipped_other;
    const char* kind = S_ISFIFO(st.st_mode)   ? "a FIFO"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                       : S_ISDIR(st.st_mode)  ? "a directory"
                                              : "a device";
    batch.diagnostics.push_back({Severity::warning, display_path,
                                 std::string("not a regular file (") + kind + "), not read"});
    return;
  }
  if (static_cast<std::uint64_t>(st.st_size) > options.max_file_size &&
      !(static_cast<std::uint64_t>(st.st_size) <= options.max_archive_size &&
        archive::has_archive_extension(display_path))) {
    ++batch.stats.skipped_too_large;
    return;
  }
  FileRef ref;
  ref.fs_path = fs_path;
  ref.provenance.kind = Provenance::Kind::worktree;
  ref.provenance.path = display_path;
  batch.files.push_back(std::move(ref));
}

// A file the walk's directory entry says is regular: no lstat here. The scanner opens it without
// following a final link and checks type and size on the descriptor it reads (a file swapped
// for a link or a FIFO meanwhile is refused there), so a second stat per file would only repeat
// that; files over the limit are counted by the scanner.
void add_regular(Batch& batch, std::string fs_path, std::string display_path)
{
  ++batch.stats.files;
  FileRef ref;
  ref.fs_path = std::move(fs_path);
  ref.provenance.kind = Provenance::Kind::worktree;
  ref.provenance.path = std::move(display_path);
  batch.files.push_back(std::move(ref));
}

// Outside a repository: every entry under `root`, depth first, with an explicit stack (no
// recursion depth decided by the tree). readdir's d_type decides the kind without a stat; only
// file systems that do not fill it in (DT_UNKNOWN) get an lstat. Report paths are `root`-relative
// by construction (std::filesystem::relative canonicalised both sides, a readlink per path
// component: most of the listing's cost).
void walk_directory(Batch& batch, const std::string& root, const WorktreeOptions& options)
{
  std::string top = root;
  while (top.size() > 1 && top.back() == '/')
    top.pop_back();
  struct Dir {
    std::string fs;  // with trailing '/'
    std::string rel; // "" or with trailing '/'
  };
  std::vector<Dir> stack{{top == "/" ? top : top + "/", ""}};
  bool first = true;
  while (!stack.empty()) {
    Dir dir = std::move(stack.back());
    stack.pop_back();
    std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.fs.c_str()), &::closedir);
    if (!handle) {
      if (first)
        throw Error(root + ": " + std::strerror(errno));
      if (errno != EACCES) // permission denied is skipped silently, as by find -readable
        batch.diagnostics.push_back({Severity::warning,
                                     dir.rel.empty() ? root : dir.rel.substr(0, dir.rel.size() - 1),
                                     std::strerror(errno)});
      continue;
    }
    first = false;
    while (const dirent* e = ::readdir(handle.get())) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..")
        continue;
      if (name == ".git") // the repository's own directory, or the gitfile of a worktree
        continue;
      unsigned char type = e->d_type;
      std::string fs_path = dir.fs;
      fs_path += name;
      if (type == DT_UNKNOWN) {
        struct stat st {};
        if (::lstat(fs_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
          type = DT_DIR;
      }
      std::string rel = dir.rel;
      rel += name;
      if (type == DT_DIR) {
        stack.push_back({fs_path + "/", rel + "/"});
      } else if (type == DT_REG) {
        if (options.on_listed)
          options.on_listed(fs_path, rel);
        add_regular(batch, std::move(fs_path), std::move(rel));
      } else if (type == DT_LNK) {
        ++batch.stats.files;
        ++batch.stats.skipped_symlink;
      } else {
        consider(batch, fs_path, rel, options); // DT_UNKNOWN, FIFO, socket, device: say what
      }
    }
  }
}

bool inside(const std::string& path, const std::string& dir)
{
  std::error_code ec;
  auto p = fs::weakly_canonical(fs::absolute(path), ec).generic_string() + "/";
  auto d = fs::weakly_canonical(fs::absolute(dir), ec).generic_string();
  if (d.empty() || d.back() != '/')
    d += '/';
  return p.rfind(d, 0) == 0;
}

// The repository `root` belongs to. As for git, GIT_DIR (with GIT_WORK_TREE or core.worktree)
// names it when set and its work tree contains `root` (a bare "dotfiles" repository whose work
// tree is the home directory, a hook's environment); otherwise the search upwards from `root`
// finds it, `.git` files (`--separate-git-dir`, `git worktree add`, submodules) included.
std::optional<git::Repository> repository_of(const std::string& root)
{
  if (const char* env = std::getenv("GIT_DIR"); env && *env) {
    try {
      auto repo = git::open(env);
      std::string wd;
      if (const char* tree = std::getenv("GIT_WORK_TREE"); tree && *tree)
        wd = fs::absolute(tree).lexically_normal().string();
      else if (const char* current = git_repository_workdir(repo.get()))
        wd = current;
      if (!wd.empty() && wd.back() != '/')
        wd += '/';
      if (!wd.empty() && inside(root, wd)) {
        const char* current = git_repository_workdir(repo.get());
        if (!current || wd != current)
          repo = git::open(env, wd);
        return repo;
      }
    } catch (const Error&) {
      // GIT_DIR names no readable repository: git would fail; the path still tells us one.
    }
  }
  return git::discover(root);
}

} // namespace

RootInfo describe_root(const std::string& root)
{
  std::error_code ec;
  if (!fs::exists(root, ec))
    throw Error(root + ": no such file or directory");
  RootInfo info;
  info.display_root = root;
  auto repo = repository_of(root);
  if (!repo)
    return info;
  info.in_repo = true;
  info.git_dir = git_repository_path(repo->get());
  info.bare = git_repository_is_bare(repo->get()) != 0;
  if (!info.bare) {
    info.workdir = git_repository_workdir(repo->get());
    auto canon_root = fs::weakly_canonical(fs::absolute(root)).generic_string();
    auto canon_wd = fs::weakly_canonical(info.workdir).generic_string();
    if (!canon_wd.empty() && canon_wd.back() != '/')
      canon_wd += '/';
    if (canon_root.size() + 1 >= canon_wd.size() && (canon_root + "/").rfind(canon_wd, 0) == 0) {
      info.prefix = (canon_root + "/").substr(canon_wd.size());
    }
    info.display_root = info.workdir;
  }
  return info;
}

Batch enumerate_worktree(const std::string& root, const WorktreeOptions& options)
{
  Batch batch;
  std::error_code ec;
  if (fs::is_regular_file(root, ec) || fs::is_symlink(root, ec)) {
    consider(batch, root, fs::path(root).filename().generic_string(), options);
    return batch;
  }
  RootInfo info = describe_root(root);
  if (!info.in_repo) {
    walk_directory(batch, root, options);
    return batch;
  }
  if (info.bare)
    return batch;
  auto repo = git::open(info.git_dir, info.workdir);
  git_status_options opts;
  git::check(git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION), "status options");
  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_INCLUDE_UNMODIFIED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
               GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
  std::string spec = info.prefix;
  char* spec_ptr = spec.data();
  if (!spec.empty()) {
    opts.pathspec.strings = &spec_ptr;
    opts.pathspec.count = 1;
    opts.flags &= ~static_cast<unsigned>(GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH);
  }
  // The repository's index: loaded here, status reuses it (it re-reads it only when the file
  // changed meanwhile).
  git::Index index;
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo.get()) == 0)
    index.reset(raw_index);
  if (options.on_listed && index) {
    // Tracked regular files, for reading while status stats and compares the tree (most of a
    // clean checkout's listing time).
    std::string fs_path = info.workdir;
    const std::size_t n = git_index_entrycount(index.get());
    for (std::size_t i = 0; i < n; ++i) {
      const git_index_entry* e = git_index_get_byindex(index.get(), i);
      if (!e || git_index_entry_stage(e) != 0 ||
          (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
          (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0 ||
          std::strncmp(e->path, info.prefix.c_str(), info.prefix.size()) != 0)
        continue;
      fs_path.resize(info.workdir.size());
      fs_path += e->path;
      options.on_listed(fs_path, e->path);
    }
  }
  git_status_list* raw = nullptr;
  git::check(git_status_list_new(&raw, repo.get(), &opts), "listing working tree of " + root);
  git::StatusList list(raw);
  std::size_t n = git_status_list_entrycount(list.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_status_entry* e = git_status_byindex(list.get(), i);
    if (!e || !e->index_to_workdir)
      continue;
    if (e->status & (GIT_STATUS_WT_DELETED | GIT_STATUS_IGNORED))
      continue;
    const git_diff_delta* d = e->index_to_workdir;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT)
      continue; // submodule gitlink: not content
    const char* path = d->new_file.path ? d->new_file.path : d->old_file.path;
    if (!path)
      continue;
    // Status has stat'ed the file: a regular one needs no second lstat (see add_regular).
    if (d->new_file.mode == GIT_FILEMODE_BLOB || d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE)
      add_regular(batch, info.workdir + path, path);
    else
      consider(batch, info.workdir + path, path, options);
    // Unmodified tracked file: status has checked it against the index, whose entry holds its
    // blob id, so the scanner need not hash it.
    if (e->status == GIT_STATUS_CURRENT && index && !batch.files.empty() &&
        batch.files.back().provenance.path == path)
      if (const git_index_entry* ie = git_index_get_bypath(index.get(), path, 0))
        batch.files.back().known_id = git::to_blob_id(ie->id);
  }
  return batch;
}

} // namespace zenolint::source
