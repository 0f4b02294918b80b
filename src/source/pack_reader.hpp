#pragma once
// Reads objects straight from a repository's pack files (.idx v2 + .pack), resolving delta chains
// itself and caching every object it materializes by (pack, offset).
//
// Why not git_odb_read: the history walk reads every tree in commit order, oldest first, while a
// pack stores old versions as deltas against newer ones, in chains up to 50 deep. Each read then
// rebuilds much of a chain that the previous read had just rebuilt. Caching every intermediate
// object by its pack offset makes each tree version materialize about once: on the benchmark
// repository (198k trees, 3.0 GB of tree data) the single-threaded walk went from 7.6 s to 4.6 s.
//
// Only what can be read with certainty is answered: an id that is in no pack index here (loose
// objects, alternates), an entry that does not parse, inflate or apply exactly, or a chain deeper
// than any git writes gives nullptr, and the caller reads the object through libgit2, which also
// reports what is wrong with it. Never throws for bad repository data.
#include "core/lru_cache.hpp"
#include "core/types.hpp"
#include "source/objects.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::source {

// An object's bytes in a buffer that is never zero-filled first (they are written at once).
class Bytes {
public:
  void allocate(std::size_t size)
  {
    m_data.reset(new char[size ? size : 1]);
    m_size = size;
  }
  char* data() { return m_data.get(); }
  std::string_view view() const { return {m_data.get(), m_size}; }
  std::size_t size() const { return m_size; }

private:
  std::unique_ptr<char[]> m_data;
  std::size_t m_size = 0;
};

struct PackedObject {
  int type = 0; // git object type: 1 commit, 2 tree, 3 blob, 4 tag (as git_object_t)
  Bytes data;
};
using SharedPacked = std::shared_ptr<const PackedObject>;

// Trees (and the commits and tags the history walk reads) larger than this are refused before
// anything is inflated: a 3 MB pack can hold a 3 GiB "tree" of zeros. Real trees stay far below
// (a directory of 100,000 files is about 4 MiB).
constexpr std::uint64_t max_walk_object_size = std::uint64_t{64} << 20;

// The header of a pack entry: type, inflated size and, for deltas, where the base is.
struct EntryHeader {
  static constexpr int ofs_delta = 6;
  static constexpr int ref_delta = 7;
  int type = 0;                    // 1 commit, 2 tree, 3 blob, 4 tag, or ofs_delta / ref_delta
  std::uint64_t size = 0;          // inflated size of the entry's data (the object or the delta)
  std::uint64_t base_distance = 0; // ofs_delta: the base starts this many bytes before the entry
  BlobId base_id;                  // ref_delta: the base's id
  std::size_t length = 0;          // bytes of header; the zlib stream follows
};

// Parses the header of the entry at pack offset `offset` from its first `size` bytes. False when
// it is malformed or truncated, has an unknown type, or an ofs_delta base outside the pack.
bool parse_entry_header(const unsigned char* p, std::size_t size, std::uint64_t offset,
                        EntryHeader& out);

// Inflates zlib streams of known inflated size (a pack entry's header says it) in one call with
// libdeflate (about a third less CPU than zlib's inflate on git/git's pack), reusing one
// decompressor: one per thread. Throws std::bad_alloc when the decompressor cannot be allocated.
class Inflater {
public:
  Inflater();
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Inflates the zlib stream starting at `in` (at most `in_size` bytes; what follows the stream is
  // ignored) into `out`, which has room for `size` bytes. False unless the stream inflates to
  // exactly `size` bytes, or when `size` is more than zlib could make of `in_size` bytes.
  bool inflate_exact(const unsigned char* in, std::size_t in_size, char* out, std::uint64_t size);

private:
  struct State;
  std::unique_ptr<State> m_state;
};

// The size of the object a git delta builds, from its header; nullopt when the header is malformed.
std::optional<std::uint64_t> delta_result_size(std::string_view delta);

// Applies a git delta (copy/insert instructions) to `base`. False when the delta is malformed:
// wrong base size, a copy outside the base, or a result of another size than it announces.
bool apply_git_delta(std::string_view base, std::string_view delta, Bytes& out);

class PackReader {
public:
  // `positions` is best built with offsets (each entry is then read exactly); without them (mapped
  // indexes, for a few lookups) an entry is read up to what zlib could make of its size, and one
  // written with an unusual compressor may then be answered nullptr. It is only read, so readers
  // on several threads can share one.
  // Objects (and delta bases and results on the way) declared larger than `max_object_size` are
  // refused from their headers, before anything is inflated or allocated.
  PackReader(std::shared_ptr<const PackPositions> positions, std::size_t cache_bytes,
             std::uint64_t max_object_size = max_walk_object_size);
  PackReader(const std::string& objects_dir, std::size_t cache_bytes,
             std::uint64_t max_object_size = max_walk_object_size);
  ~PackReader();
  PackReader(const PackReader&) = delete;
  PackReader& operator=(const PackReader&) = delete;

  // The object with id `id`, or nullptr (see above). When it is nullptr because the object or an
  // object it is built from declares more than max_object_size bytes, `*too_large` (if given)
  // receives that declared size; otherwise it is set to 0.
  SharedPacked read(const BlobId& id, std::uint64_t* too_large = nullptr);

  // Why the last read() returned nullptr when the pack is certainly corrupt: its delta chain
  // comes back to an entry it has passed (REF_DELTA entries naming each other or themselves, an
  // OFS_DELTA at distance 0). Empty otherwise. Callers must not hand such an object to libgit2
  // 1.5, which deadlocks on it (git_odb_read_header takes the pack's lock again).
  const std::string& corrupt() const { return m_corrupt; }

  // Bytes inflated so far (compressed entries expanded), for tests of the size limit.
  std::uint64_t inflated_bytes() const { return m_inflated; }

private:
  struct Key {
    std::uint32_t pack;
    std::uint64_t offset;
    bool operator==(const Key& o) const { return pack == o.pack && offset == o.offset; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.offset * 31u + k.pack; }
  };
  // One entry of a pack: its type and its inflated payload (the object, or a delta).
  struct Entry {
    int type = 0;
    Bytes payload;
    Key base{}; // for deltas: where the base is
  };
  SharedPacked read_at(Key where);
  bool read_entry(Key where, Entry& out);
  int fd_for(std::uint32_t pack);

  std::shared_ptr<const PackPositions> m_shared;
  const PackPositions& m_positions;
  std::vector<int> m_fds;              // -2: not opened yet, -1: cannot be opened
  std::vector<std::uint64_t> m_sizes;  // pack file sizes
  std::vector<unsigned char> m_buffer; // compressed bytes of the entry being read
  Inflater m_inflater;
  LruCache<Key, SharedPacked, KeyHash> m_cache;
  std::uint64_t m_max_object;
  std::uint64_t m_too_large = 0; // declared size of the last object refused for its size
  std::string m_corrupt;         // see corrupt()
  std::uint64_t m_inflated = 0;
};

} // namespace zenolint::source
