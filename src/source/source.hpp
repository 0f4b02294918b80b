#pragma once
// The seam between sources and the scanner. A source yields units of content, each a way to get
// its bytes, an id for deduplication (known up front, or git's blob hash of the bytes) and a
// provenance:
//   FileRef    a file on disk (working tree, a path argument)     id: index entry or hashed
//   ObjectRef  an object in the repository (history, staged, all)  id: the object id
//   BufferRef  bytes already in memory (standard input)            id: hashed
// and the scanner (scan/scanner.hpp) reads, deduplicates and matches whatever it is given. The
// fourth source, archive members, is opened by the scanner itself when a unit's bytes turn out to
// be an archive (archive/archive.hpp): members are units like the others, with the archive's
// provenance plus the member name (Provenance::members). Sources never read content.
#include "core/types.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace zenolint::source {

class PackPositions; // source/objects.hpp

// A tracked file's index entry, for the scanner to decide whether the file it reads is the blob
// the index names: git's rule, the stat data of the descriptor read (size, mtime and ctime with
// nanoseconds, inode, file type and executable bit, 32-bit values as the index stores them)
// equal to the entry's. Entries that are racily clean (not older than the index file) get none.
struct IndexStat {
  BlobId id;
  std::uint32_t ctime_s = 0, ctime_ns = 0, mtime_s = 0, mtime_ns = 0, ino = 0, size = 0;
  std::uint32_t mode = 0; // 0100644 or 0100755
};

struct FileRef {
  std::string fs_path;   // path to open
  Provenance provenance; // provenance.path is what reports show
  // Blob id git already knows for this content (a tracked file whose status says unchanged); the
  // scanner then skips hashing it.
  std::optional<BlobId> known_id;
  // Or: the index entry whose id applies when the file read has its stat data (see IndexStat).
  std::optional<IndexStat> index_stat;
};

// The parts of a file's stat data an IndexStat is compared with (32-bit values, as the index has).
struct FileStat {
  std::uint32_t ctime_s = 0, ctime_ns = 0, mtime_s = 0, mtime_ns = 0, ino = 0, size = 0;
  std::uint32_t mode = 0; // st_mode
};
FileStat file_stat_of(const struct stat& st);

// known_id, or index_stat's id when `st` (an fstat of the descriptor read) matches it.
std::optional<BlobId> known_id_for(const FileRef& ref, const FileStat& st);
std::optional<BlobId> known_id_for(const FileRef& ref, const struct stat& st);

struct ObjectRef {
  BlobId id;
  Provenance provenance;
};

struct BufferRef {
  std::shared_ptr<const std::string> data; // never null
  Provenance provenance;
};

// A path whose file name a caller asked the history source to watch for (see
// HistoryOptions::watch_name), with the earliest commit found holding it.
struct PathSighting {
  std::string path;
  CommitInfo commit;
};

// What the history walk leaves behind for exposure (source/exposure.hpp), when asked
// (HistoryOptions::keep_graph). Indices are commit indices into `commits`.
struct HistoryGraph {
  static constexpr std::uint32_t none = UINT32_MAX;
  struct Commit {
    BlobId id;
    BlobId tree;
    std::vector<std::uint32_t> parents; // parents that are themselves reachable from a ref
  };
  struct Ref {
    std::string name;            // full name: refs/heads/main, refs/tags/v1.0, refs/stash
    std::uint32_t commit = none; // the commit it peels to (none: a tree, blob or unreadable)
  };
  std::vector<Commit> commits;
  std::vector<std::uint32_t> order; // commits reachable from refs or HEAD, parents first
  std::vector<Ref> refs;            // sorted by name; HEAD is not among them
  std::uint32_t head = none;        // the commit HEAD names (unborn: none)
  // Every (blob, commit) where the commit's tree has the blob at a path where its first parent's
  // tree has not: the commits that introduced the blob (first introduction and every later one).
  std::vector<std::pair<BlobId, std::uint32_t>> introductions;
};

struct Batch {
  std::vector<FileRef> files;
  std::vector<ObjectRef> objects; // in the order the source prefers to read them
  std::vector<BufferRef> buffers; // content read by the caller (standard input)
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;                   // skips counted while enumerating
  std::vector<PathSighting> watched; // sorted by path; filled by the history source on request
  bool history_walked = false;       // true when `watched` covers the history of every ref
  // Working-tree entries whose file name WorktreeOptions::watch_name accepts, by report path, of
  // any type and ignored ones included, from every directory the listing read (each directory
  // holding a listed file is one); nullopt when the listing did not look (libgit2's status).
  std::optional<std::vector<std::string>> watched_entries;
  std::shared_ptr<const HistoryGraph> graph; // set by the history source on request
  // The repository's pack indexes (with offsets), when a source has read them: the scanner then
  // builds packed objects itself (source/pack_resolver.hpp) rather than one by one via libgit2.
  std::shared_ptr<const PackPositions> positions;
};

} // namespace zenolint::source
