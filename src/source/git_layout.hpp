#pragma once
// Where a repository's parts are, found without libgit2: its git directory, common directory
// (linked worktrees), work tree and index file, and what HEAD names. For the pre-commit path
// (`scan --staged`), where opening the repository through libgit2 (and initialising libgit2,
// which parses the system's CA bundle) cost more than the rest of the scan.
//
// Only the common layouts are understood: a `.git` directory, a `.git` file (`gitdir: ...`:
// `--separate-git-dir`, submodules), a linked worktree (`commondir`), and GIT_DIR / GIT_WORK_TREE
// / GIT_INDEX_FILE as passed in. Anything else is refused (nullopt with the reason) and the caller
// uses libgit2, as before: a bare repository, a `.git` that is a symbolic link, a search that
// would cross a file system, repository format version > 1, an extension other than the few
// known harmless ones (reftable, SHA-256, worktreeConfig, ... are refused), core.worktree naming
// another directory, config includes, replace refs and grafts. Reads no environment variable.
// Never throws for bad repository data (std::bad_alloc aside).
#include "core/types.hpp"

#include <optional>
#include <string>

namespace zenolint::source {

struct GitEnvironment; // source/staged.hpp

struct GitLayout {
  std::string git_dir;    // absolute, with a trailing '/' (as libgit2's git_repository_path)
  std::string common_dir; // absolute, trailing '/': objects, refs, config (== git_dir unless a
                          // linked worktree)
  std::string work_tree;  // absolute, trailing '/'
  std::string index_path; // GIT_INDEX_FILE as given, or <git_dir>index
  std::string objects_dir() const { return common_dir + "objects"; }
};

// The repository containing `path` (searching upwards from it, up to the root of its file
// system), or the one `env` names.
std::optional<GitLayout> discover_git_layout(const std::string& path, const GitEnvironment& env,
                                             std::string* why_not = nullptr);

// True when the search upwards from `path` that libgit2's discovery makes (not across a file
// system, GIT_DIR, GIT_WORK_TREE and GIT_COMMON_DIR unset) meets nothing that could be a
// repository: no `.git` of any kind and no directory that looks like a git directory. A scan
// may then treat `path` as a plain directory without loading libgit2 (whose initialisation
// parses the system's CA bundle: most of a small scan's time). False whenever unsure.
bool outside_any_repository(const std::string& path);

// What one config file sets for the ignore rules (the last setting in the file wins):
// core.excludesFile as written (not expanded) and core.ignoreCase. A missing file sets nothing.
// nullopt, with the reason, when the file cannot be read or holds what this reader does not
// interpret the way git would: includes, quoting or escapes in these values, a line in [core] it
// cannot parse.
struct IgnoreConfig {
  std::optional<std::string> excludes_file;
  std::optional<bool> ignore_case;
};
std::optional<IgnoreConfig> read_ignore_config(const std::string& path,
                                               std::string* why_not = nullptr);

// The objects directory of the repository whose git directory is `git_dir`: in the common
// directory a linked worktree's `commondir` file names, else in `git_dir`.
std::string objects_dir_of(const std::string& git_dir);

struct HeadState {
  bool unborn = false; // HEAD names a branch that does not exist yet
  BlobId commit;       // when not unborn
};

// Resolves HEAD: a detached id, or a symbolic ref to refs/heads/... as a loose ref (which may
// itself be symbolic, a few levels) or in packed-refs. nullopt, with the reason, for anything
// else (garbage, a malformed packed-refs line, a ref name git would refuse).
std::optional<HeadState> read_head(const GitLayout& layout, std::string* why_not = nullptr);

} // namespace zenolint::source
