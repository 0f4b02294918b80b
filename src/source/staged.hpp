#pragma once
// The staged index as a source (`zenolint scan --staged`, the pre-commit hook): every index entry
// whose blob or mode differs from HEAD's at the same path (all entries on an unborn branch). The
// staged blob is read from the object database, never the working-tree file. Honours
// GIT_INDEX_FILE (and GIT_DIR), which git sets while hooks run during `git commit`; a relative
// GIT_INDEX_FILE is taken relative to the current directory, as libgit2 does (hooks run at the top
// of the work tree, where git resolves it too). A missing index file is an empty index.
// Deletions are not in the index, gitlinks (submodules) are skipped, symlinks are scanned as their
// link text, and renames and copies are additions at the new path. Intent-to-add entries
// (`git add -N`) are skipped: nothing is staged for them yet (their id is the empty blob's).
#include "source/source.hpp"

#include <optional>
#include <string>

namespace zenolint::source {

struct StagedResult {
  Batch batch;
  std::string git_dir; // repository whose object database holds the staged blobs
};

// Reads the index file directly (source/index_file.hpp) and compares it with HEAD's tree, skipping
// every directory whose cached tree id equals HEAD's subtree; falls back to
// enumerate_staged_libgit2 whenever the index uses something the reader does not support or holds
// conflicted (unmerged) entries. batch.stats.files is the number of index entries.
// Throws Error when `path` is not inside a non-bare git repository.
StagedResult enumerate_staged(const std::string& path);

// The fast path alone: nullopt (with the reason in `*why_not` when given) where enumerate_staged
// would fall back. Exposed so tests can check it against the libgit2 implementation.
std::optional<StagedResult> enumerate_staged_from_index_file(const std::string& path,
                                                             std::string* why_not = nullptr);

// The reference implementation: libgit2 reads the index (verifying its checksum) and diffs it
// against HEAD's tree. Same results as enumerate_staged, except that intent-to-add entries appear
// as empty blobs.
// Conflicted (unmerged) indexes always take this path; git refuses to commit them anyway.
StagedResult enumerate_staged_libgit2(const std::string& path);

} // namespace zenolint::source
