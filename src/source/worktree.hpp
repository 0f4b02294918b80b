#pragma once
// The working tree as a source. Inside a git repository: every file git would not ignore (tracked
// and untracked; .gitignore, .git/info/exclude and core.excludesFile honoured), as `git ls-files
// -co --exclude-standard` lists them, minus deleted files and gitlinks. In a checkout whose layout
// the own readers understand (source/git_layout.hpp, source/index_file.hpp) the list comes from
// the index and one directory walk with git's ignore rules (source/gitignore.hpp); otherwise (see
// WorktreeOptions::lister) from libgit2's status list, as before. Outside a repository: a
// directory walk. Symlinks are never followed (counted as skipped),
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
  // walk finds, inside one each tracked regular file of the index before the walk (or git status)
  // runs, then each untracked regular file the walk keeps (the listing decides; a file it leaves
  // out, deleted or typechanged, is simply not in the batch). Lets a
  // caller start reading early (scan::Prefetch). May be empty.
  std::function<void(const std::string& fs_path, const std::string& path)> on_listed;
  // File names to note while the directories are read anyway (Batch::watched_entries): the
  // credential-file checks then need no lookup per directory. May be empty.
  std::function<bool(std::string_view name)> watch_name;
  // Which listing of a repository's working tree: `automatic` uses the own one where it applies
  // and libgit2's status list otherwise; `libgit2` always the latter; `own` the own one or an
  // Error saying why not (tests compare the two).
  enum class Lister { automatic, libgit2, own };
  Lister lister = Lister::automatic;
  // When set: why the own listing was not used ("" when it was, or outside a repository).
  std::string* why_not_own = nullptr;
  // Walk `root` as a plain directory, whatever repository is around it (one libgit2 cannot
  // open, such as a SHA-256 repository: RootInfo::unopened; `scan --include-ignored`).
  bool plain_directory = false;
  // Report paths of the plain walk start with this ("" or "dir/": the root's place in the work
  // tree around it, RootInfo::prefix), so they read as those of the git listing.
  std::string plain_prefix;
};

// `root` is the directory to scan; `display_root` is the directory report paths are relative to
// (the repository's work directory when `root` is inside one). Files come sorted by report path
// (byte order) in a repository. Tracked regular files carry their index entry
// (FileRef::index_stat) unless racily clean, so that the scanner need not hash unchanged ones.
//
// The own listing is used only when all of these hold; otherwise libgit2's: none of GIT_DIR,
// GIT_WORK_TREE, GIT_INDEX_FILE, GIT_COMMON_DIR, GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM,
// GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT is set; discover_git_layout understands the repository
// (not bare, no config includes, no core.worktree elsewhere, known extensions only); the system,
// XDG, global and repository config files are read without includes, quoting in
// core.excludesFile or a [core] line the reader cannot parse; core.ignoreCase is false; a
// core.excludesFile is absolute or "~/"-relative; the index reads (versions 2-4, no split or
// sparse index, no unknown required extension) and has no unmerged entries; info/exclude and the
// excludes file are missing or regular files that can be read.
Batch enumerate_worktree(const std::string& root, const WorktreeOptions& options);

// Location of a scan root: the repository around it (if any) and the path prefix of `root`
// inside that repository's work directory.
struct RootInfo {
  bool in_repo = false;
  bool bare = false;
  std::string workdir;            // absolute, with trailing '/', empty for bare repositories
  std::string git_dir;            // absolute
  std::string prefix;             // root relative to workdir ("" or "sub/dir/")
  std::string display_root;       // what report paths are relative to
  std::string unopened;           // set (with in_repo false) when the repository around the root
                                  // cannot be opened: why; the root is then a plain directory
  std::string worktree_elsewhere; // set when the repository's core.worktree does not hold the
                                  // root: that directory; `workdir` is then the root itself
};
RootInfo describe_root(const std::string& root);

// describe_root for a directory, found without libgit2 (discover_git_layout) where the own
// listing would apply (none of the environment variables above set, the layout understood);
// describe_root otherwise. A working-tree scan then need not load libgit2 at all.
RootInfo describe_checkout_root(const std::string& root);

} // namespace zenolint::source
