#pragma once
// Git history as a source: every blob reachable from the repository's refs (or from a revision
// range), each listed ONCE with the earliest commit that introduced it at a path.
//
// Attribution reads commits and trees only, never diffs blobs: commits are visited parents-first
// (a deterministic topological order, ties broken by committer time then id), each commit's tree is
// compared with its first parent's (unchanged entries skipped, as git diff-tree does; with several
// jobs, threads compare trees ahead of the walk), and the first (commit, path) that names a new
// blob id is its provenance. A renamed file keeps its original commit (same blob id).
//
// Bad input never stops the walk: a missing or corrupt commit/tree becomes a Diagnostic naming the
// object id; a shallow clone adds one warning and the walk stops at the shallow boundary.
#include "source/source.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace zenolint::source {

struct HistoryOptions {
  // Empty: every ref (branches, remotes, tags peeled to their target, refs/stash, notes, any
  // refs/*) plus HEAD. Otherwise a revision range ("A..B", "A...B", "^X Y", "B"): only blobs new in
  // the range's commits relative to the range's boundary (the excluded commits) are listed.
  std::string range;
  // Also every blob in the object database, packed and loose, reachable or not. Blobs only found
  // this way have provenance.kind = object and unreachable = true; when an unreachable commit (or
  // tree) names them, they carry that commit and path, else the path is the blob id.
  bool all_objects = false;
  // File names (last path component) to watch for: every path with such a name that the walk
  // meets is listed once in Batch::watched with the first commit that had it. Used by the
  // credential-file checks so they need no second history walk. May be empty.
  std::function<bool(std::string_view file_name)> watch_name;
  // Threads comparing trees ahead of the walk (1: none); the output is the same for any value.
  // watch_name is then called from those threads.
  unsigned jobs = 1;
  // Called on the calling thread every few hundred commits walked (progress); may be empty.
  std::function<void(std::uint64_t commits_walked)> on_commits;
  // Keep what exposure needs (Batch::graph): the commit graph, the ref tips and every commit
  // whose tree adds a blob to its first parent's. Costs a few bytes per such (blob, commit).
  bool keep_graph = false;
};

// Lists history blobs of the repository at `git_dir` (opened without searching). Batch::objects
// come in pack order (the cheapest read order); stats.commits counts the commits walked.
// Throws Error when the repository cannot be opened or the range does not parse.
Batch enumerate_history(const std::string& git_dir, const HistoryOptions& options);

} // namespace zenolint::source
