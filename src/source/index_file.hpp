#pragma once
// A minimal, read-only reader of git's index file (.git/index), versions 2, 3 and 4, for the
// staged source's fast path. It reads only what that path needs: each entry's mode, blob id, stage,
// intent-to-add flag and path, and the cached-tree extension ("TREE"). The trailing checksum is not
// verified (git trusts it for reads too); the header, the entry count and every length are checked
// against the file size instead.
//
// The reader refuses (returns nullopt with a reason) rather than guess: unknown versions, required
// extensions it does not know (split index "link", sparse index "sdir", ...), sparse-directory
// entries, and any malformed or truncated content. Callers fall back to libgit2 then.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::source {

using RawObjectId = std::array<unsigned char, 20>;

struct IndexEntry {
  std::string_view path;  // full path, '/'-separated; points into IndexFile::storage
  std::uint32_t mode = 0; // 0100644, 0100755, 0120000 or 0160000
  RawObjectId id{};
  unsigned stage = 0;         // 0 = merged; 1..3 = conflict stages
  bool intent_to_add = false; // `git add -N`: a placeholder with the empty blob id
  bool skip_worktree = false; // sparse checkout: not expected in the working tree
};

// An entry's stat data when it was last staged, as git stores it (32 bits each, truncated): what
// tells git (and the working-tree listing) that the file has not changed since.
struct IndexEntryStat {
  std::uint32_t ctime_s = 0, ctime_ns = 0, mtime_s = 0, mtime_ns = 0;
  std::uint32_t dev = 0, ino = 0, uid = 0, gid = 0, size = 0;
};

// One directory of the cached-tree extension. entry_count < 0 means invalidated (id is then unset);
// otherwise `id` is the tree that the entry_count index entries under this directory would write.
struct CachedTree {
  std::string name; // path component; "" for the root
  std::int32_t entry_count = -1;
  RawObjectId id{};
  std::vector<CachedTree> children; // sorted by name (byte order)

  // The child named `name`, or nullptr.
  const CachedTree* child(std::string_view name) const;
};

struct IndexFile {
  std::uint32_t version = 0; // 0 when the file does not exist (an empty index)
  // The index file's own modification time: an entry whose mtime is not older is "racily
  // clean" (its stat data cannot prove the content unchanged).
  std::int64_t mtime_s = 0;
  std::int64_t mtime_ns = 0;
  std::vector<IndexEntry> entries; // in index order: sorted by path bytes, then stage
  // entries[i]'s stat data, when read_index_file was asked for it (else empty): kept apart so that
  // the pre-commit path, which never needs it, does not touch 36 more bytes per entry.
  std::vector<IndexEntryStat> stats;
  std::optional<CachedTree> cached_tree; // root of the "TREE" extension, when present
  // Position of the first conflicted (unmerged, stage != 0) entry, or -1: noted while reading,
  // so that callers need not walk every entry again (50k entries are 2.4 MB).
  std::int64_t first_unmerged = -1;
  // Back every entry's path: v2/v3 point into `mapping` (the file, mapped read-only); v4 into
  // `storage` (the rebuilt paths). A std::string keeps its buffer when moved only if it is on the
  // heap: the reader makes sure it is (v4 reserves the file's size, at least 32 bytes).
  std::shared_ptr<const char> mapping;
  std::string storage;
};

// Reads the index file at `path`. A missing file is an empty index. Returns nullopt, with the
// reason in `*why_not` when given, when the file cannot be read or uses something this reader does
// not support. Never throws for bad content.
std::optional<IndexFile> read_index_file(const std::string& path, std::string* why_not = nullptr,
                                         bool with_stats = false);

} // namespace zenolint::source
