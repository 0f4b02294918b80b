#pragma once
// The read-only half of the history walk: what a tree adds to a base tree (the commit's first
// parent's tree, or nothing), as `git diff-tree` would list it, without any state shared with the
// walk. That is what lets several threads compare the trees of different commits at once while the
// walk applies their results in commit order (history.cpp).
#include "core/types.hpp"
#include "git/git.hpp"
#include "source/pack_reader.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::source {

// What one comparison met, in walk order (a directory's entries before its subdirectories').
struct TreeChanges {
  struct Blob {
    BlobId id;
    std::string path;
    bool watched = false; // its file name is one HistoryOptions::watch_name asks for
  };
  std::vector<BlobId> trees; // every tree entered, root included
  std::vector<Blob> blobs;   // blob entries not identical in the base at the same path
  std::vector<Diagnostic> diagnostics;
};

class TreeDiffer {
public:
  // Opens its own repository handle and pack reader (one differ per thread). Throws Error when
  // the repository cannot be opened.
  // `packs` (built with offsets) may be shared with other differs.
  TreeDiffer(const std::string& git_dir, std::shared_ptr<const PackPositions> packs,
             std::function<bool(std::string_view)> watch_name);

  // Appends to `out` what `root` adds to `base` (zero id: everything in `root`). Entries whose name
  // and id are unchanged from the base are skipped with everything below them; a subtree is
  // entered only when `enter(id)` (if given) says so. Unreadable or corrupt trees become
  // diagnostics naming them; never throws for bad repository data.
  void diff(const BlobId& root, const BlobId& base, TreeChanges& out,
            const std::function<bool(const BlobId&)>& enter = {});

private:
  SharedPacked read_tree(const BlobId& id, const std::string& prefix, TreeChanges* report);

  git::Repository m_repo;
  git::Odb m_odb;
  PackReader m_packs;
  std::function<bool(std::string_view)> m_watch_name;
};

} // namespace zenolint::source
