#pragma once
// Where each leaked secret is exposed in a repository (in HEAD, on which branches and remotes, in
// which release tags, only in the stash, only unreachable, archived on Zenodo), computed from what
// the one history walk kept (HistoryGraph), never from a second walk:
//  - branches and remotes: the refs whose tip has, among its ancestors (itself included), a
//    commit that introduced one of the secret's blobs. One pass over the commits in walk order
//    propagates a bit per secret from parents to children (64 secrets per pass);
//  - tags and HEAD: the tag's (HEAD's) tree holds one of the secret's blobs. Only those trees are
//    read, each distinct subtree once (memoised), and only when there are findings;
//  - Zenodo archiving: HEAD's root has .zenodo.json or CITATION.cff, or a README there names a
//    Zenodo DOI (10.5281/zenodo.) or badge: releases are then probably archived on Zenodo.
#include "core/types.hpp"
#include "source/source.hpp"

#include <string>
#include <vector>

namespace zenolint::source {

// One secret as the scan found it.
struct SecretSighting {
  std::vector<BlobId> blobs;     // every blob it was found in (history and working-tree ids)
  bool in_worktree = false;      // found in a working-tree file or a staged entry
  bool only_unreachable = false; // every finding of it came from unreachable objects only
};

// Exposure of each sighting (same order) in the repository at `git_dir`, from `graph`.
// Trees or blobs that cannot be read become diagnostics (subject: the object id); never throws
// for bad repository data. Throws Error when the repository cannot be opened.
std::vector<Exposure> compute_exposure(const std::string& git_dir, const HistoryGraph& graph,
                                       const std::vector<SecretSighting>& secrets,
                                       std::vector<Diagnostic>& diagnostics);

// True when `readme` (a README's bytes) names a Zenodo DOI or Zenodo badge.
bool mentions_zenodo_doi(std::string_view readme);

} // namespace zenolint::source
