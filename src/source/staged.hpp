#pragma once
// The staged index as a source (`zenolint scan --staged`, the pre-commit hook): every index entry
// whose blob or mode differs from HEAD's at the same path (all entries on an unborn branch). The
// staged blob is read from the object database, never the working-tree file. Honours what git's
// environment says (GitEnvironment: GIT_INDEX_FILE, which git sets while hooks run during `git
// commit`, GIT_DIR and GIT_WORK_TREE), passed in by the caller: the source never reads or changes
// the process environment. A relative index file is taken relative to the current directory, as
// git does (hooks run at the top of the work tree). A missing index file is an empty index.
// Deletions are not in the index, gitlinks (submodules) are skipped, symlinks are scanned as their
// link text, and renames and copies are additions at the new path. Intent-to-add entries
// (`git add -N`) are skipped: nothing is staged for them yet (their id is the empty blob's).
#include "source/source.hpp"

#include <optional>
#include <string>

namespace zenolint::source {

// The repository git's environment names, as `git commit` hands it to hooks. Empty fields are
// unset (an empty variable counts as unset).
struct GitEnvironment {
  std::string git_dir;    // GIT_DIR: the repository (no search upwards from the path)
  std::string work_tree;  // GIT_WORK_TREE: its work tree (relative: to the current directory)
  std::string index_file; // GIT_INDEX_FILE: the index to read instead of <git dir>/index
};

struct StagedResult {
  Batch batch;
  std::string git_dir; // repository whose object database holds the staged blobs
};

// Without libgit2: finds the repository (source/git_layout.hpp), reads the index file directly
// (source/index_file.hpp) and compares it with HEAD's tree, read by the own object store
// (source/object_store.hpp), skipping every directory whose cached tree id equals HEAD's subtree.
// Falls back to enumerate_staged_libgit2 whenever the layout, the index, HEAD or an object uses
// something the own readers do not support, or the index holds conflicted (unmerged) entries.
// batch.stats.files is the number of index entries.
// Throws Error when `path` is not inside a non-bare git repository.
StagedResult enumerate_staged(const std::string& path, const GitEnvironment& env = {});

// The fast path alone: nullopt (with the reason in `*why_not` when given) where enumerate_staged
// would fall back. Exposed so tests can check it against the libgit2 implementation.
std::optional<StagedResult> enumerate_staged_from_index_file(const std::string& path,
                                                             const GitEnvironment& env = {},
                                                             std::string* why_not = nullptr);

// The reference implementation: libgit2 reads the index (verifying its checksum) and diffs it
// against HEAD's tree. Same results as enumerate_staged, except that intent-to-add entries appear
// as empty blobs.
// Conflicted (unmerged) indexes always take this path; git refuses to commit them anyway.
StagedResult enumerate_staged_libgit2(const std::string& path, const GitEnvironment& env = {});

} // namespace zenolint::source
