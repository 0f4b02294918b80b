#pragma once
// What sources produce: references to content (files on disk, objects in a repository), each with
// its provenance. Sources never read content; the scanner does, once per unique blob id.
#include "core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zenolint::source {

struct FileRef {
  std::string fs_path;   // path to open
  Provenance provenance; // provenance.path is what reports show
  // Blob id git already knows for this content (a tracked file whose stat data matches the
  // index); the scanner then skips hashing it.
  std::optional<BlobId> known_id;
};

struct ObjectRef {
  BlobId id;
  Provenance provenance;
};

// A path whose file name a caller asked the history source to watch for (see
// HistoryOptions::watch_name), with the earliest commit found holding it.
struct PathSighting {
  std::string path;
  CommitInfo commit;
};

struct Batch {
  std::vector<FileRef> files;
  std::vector<ObjectRef> objects; // in the order the source prefers to read them
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;                   // skips counted while enumerating
  std::vector<PathSighting> watched; // sorted by path; filled by the history source on request
  bool history_walked = false;       // true when `watched` covers the history of every ref
};

} // namespace zenolint::source
