#pragma once
// Reads many objects out of a repository's pack files at once, resolving deltas the way
// `git index-pack` does: every wanted object's chain of delta bases is found from the entry
// headers, the bases become a forest (each delta a child of its base), and each tree is walked
// depth-first from its whole (non-delta) root, so that every entry's zlib data is inflated exactly
// once and each child is built in memory from its parent's bytes. Only the bases along the current
// path are held.
//
// Why not git_odb_read per object: libgit2 rebuilds a delta chain for each object it is asked for,
// and its delta-base cache is small, so on git/git (262k blobs, chains up to 50 deep) reading the
// blobs in pack order cost more inflate CPU (32 s) than `git cat-file --batch-all-objects
// --unordered` spends on the whole repository.
//
// Only what can be built with certainty is delivered. An object in no pack index here (loose,
// alternates), whose chain leaves its pack, meets an entry that does not parse, inflate or apply
// exactly, loops (REF_DELTA entries naming each other), or holds more than the limits below is not
// delivered, and the caller reads it some other way (libgit2, which also says what is wrong with
// it). Structural problems of a pack are summed up in one warning naming the pack file. Never
// throws for bad repository data; exceptions from `deliver` stop the run and are rethrown.
#include "core/types.hpp"
#include "source/objects.hpp"

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace zenolint::source {

struct ResolveLimits {
  // Objects (and bases) declaring more bytes are not built here, whatever needs them.
  std::uint64_t max_object_size = std::uint64_t{64} << 20;
  // Per worker: bytes of bases held along the current path of a delta tree. A subtree that would
  // need more is not built here.
  std::uint64_t max_held_bytes = std::uint64_t{128} << 20;
};

struct ResolveStats {
  std::uint64_t delivered = 0;      // wanted objects handed to `deliver`
  std::uint64_t built = 0;          // objects built in all (wanted ones and the bases they need)
  std::uint64_t inflated_bytes = 0; // bytes out of zlib
};

// Called on a worker thread (ids 0 .. jobs-1; the calling thread is worker 0) once for each
// wanted object built: its index in `wanted`, its git type (1 commit, 2 tree, 3 blob, 4 tag) and
// its bytes, valid during the call only.
using DeliverObject =
    std::function<void(std::size_t index, int type, std::string_view data, unsigned worker)>;

// Builds every object of `wanted` that it can (see above) on `jobs` threads and calls `deliver`
// for each. Returns, for each index of `wanted`, 1 when it was delivered, 0 when the caller must
// read it another way. Warnings about packs are appended to `diagnostics`. `positions` must have
// been built with offsets.
std::vector<char> resolve_packed_objects(const PackPositions& positions,
                                         const std::vector<BlobId>& wanted, unsigned jobs,
                                         const ResolveLimits& limits, const DeliverObject& deliver,
                                         std::vector<Diagnostic>& diagnostics,
                                         ResolveStats* stats = nullptr);

} // namespace zenolint::source
