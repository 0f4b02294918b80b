#pragma once
// The release Zenodo would archive: exactly the files `git archive REV` writes, which is what
// GitHub puts in a release's source archive and Zenodo's GitHub integration stores. git itself
// produces the archive (`git archive --format=tar <commit>`, attributes read from the archived
// tree and $GIT_DIR/info/attributes, as for any release), so export-ignore is honoured and
// export-subst placeholders are expanded exactly as they will be published; the tar is then read
// in memory by the archive source. git runs with a scratch git dir of ours (its config, the
// repository's objects as an alternate, a few bytes in $TMPDIR, removed afterwards) and without
// system or global config: the repository's config is never read by git, so no filter driver,
// hook or other command named there runs.
#include "source/source.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace zenolint::source {

struct Release {
  std::string rev;                    // as given
  CommitInfo commit;                  // what it resolves to
  std::vector<std::string> published; // sorted: every file (and link) the archive holds
  std::vector<std::string> excluded;  // sorted: files of the commit's tree the archive leaves out
  // One BufferRef per published regular file no larger than max_file_size (provenance kind
  // release, the commit, the path); larger ones are counted in stats.skipped_too_large.
  Batch batch;
};

struct ReleaseOptions {
  std::uint64_t max_file_size = 10ull << 20;
  std::uint64_t max_archive_bytes = 1ull << 30; // the whole tar; larger: Error
};

// Throws Error when `rev` does not name a commit in the repository at `git_dir`, when the `git`
// command cannot be run or fails, or when the archive exceeds max_archive_bytes.
Release enumerate_release(const std::string& git_dir, const std::string& rev,
                          const ReleaseOptions& options);

} // namespace zenolint::source
