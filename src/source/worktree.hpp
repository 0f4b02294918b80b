#pragma once
// The working tree as a source. Inside a git repository: every file git would not ignore (tracked
// and untracked; .gitignore, .git/info/exclude and core.excludesFile honoured), from libgit2's
// status list. Outside one: a directory walk. Symlinks are never followed (counted as skipped),
// .git is never content, non-regular files become diagnostics. Regular files are listed without
// a stat of their own (readdir's type, or the stat libgit2's status made): the scanner checks type
// and size on the descriptor it reads and counts files over max_file_size.
#include "source/source.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace zenolint::source {

struct WorktreeOptions {
  std::uint64_t max_file_size = 10ull << 20;
  // Files named like archives (archive::has_archive_extension) may be this large (0: no
  // exception); the scanner opens them only when their content is an archive.
  std::uint64_t max_archive_size = 0;
  // Called on the listing thread, while the listing goes on, with (file system path, report
  // path) of each file the batch is likely to hold: outside a repository each regular file the
  // walk finds, inside one each tracked regular file of the index before git status runs (status
  // decides; a file it leaves out, deleted or typechanged, is simply not in the batch). Lets a
  // caller start reading early (scan::Prefetch). May be empty.
  std::function<void(const std::string& fs_path, const std::string& path)> on_listed;
};

// `root` is the directory to scan; `display_root` is the directory report paths are relative to
// (the repository's work directory when `root` is inside one).
Batch enumerate_worktree(const std::string& root, const WorktreeOptions& options);

// Location of a scan root: the repository around it (if any) and the path prefix of `root`
// inside that repository's work directory.
struct RootInfo {
  bool in_repo = false;
  bool bare = false;
  std::string workdir;      // absolute, with trailing '/', empty for bare repositories
  std::string git_dir;      // absolute
  std::string prefix;       // root relative to workdir ("" or "sub/dir/")
  std::string display_root; // what report paths are relative to
};
RootInfo describe_root(const std::string& root);

} // namespace zenolint::source
