#pragma once
// The staged index as a source (`zenolint scan --staged`, the pre-commit hook): every index entry
// whose blob differs from HEAD's at the same path (all entries on an unborn branch). The staged
// blob is read from the object database, never the working-tree file. Honours GIT_INDEX_FILE (and
// GIT_DIR), which git sets while hooks run during `git commit -a` and `git commit <path>`.
// Deletions are not in the index and gitlinks (submodules) are skipped; symlinks are scanned as
// their link text. Conflicted paths contribute every stage present.
#include "source/source.hpp"

#include <string>

namespace zenolint::source {

struct StagedResult {
  Batch batch;
  std::string git_dir; // repository whose object database holds the staged blobs
};

// Throws Error when `path` is not inside a non-bare git repository.
StagedResult enumerate_staged(const std::string& path);

} // namespace zenolint::source
