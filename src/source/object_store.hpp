#pragma once
// Reads a repository's objects without libgit2: loose objects (zlib) and packed ones (the own pack
// reader over mapped pack indexes), in the objects directory and the alternates it names. Made for
// a few reads (the staged source: HEAD's commit, a handful of trees, the staged blobs): nothing is
// read up front, the pack indexes are mapped on the first object that is not loose.
//
// Answers only what it reads with certainty. Anything else (a loose object that does not inflate
// exactly to the size its header gives, an unknown type, a pack entry the pack reader refuses, an
// alternates file it does not understand) is `unreadable` or `missing`, and the caller reads the
// object through libgit2, which also says what is wrong with it. Never throws for bad repository
// data (std::bad_alloc aside). Not thread-safe: one store per thread.
#include "core/read_file.hpp"
#include "core/types.hpp"
#include "source/pack_reader.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace zenolint::source {

class ObjectStore {
public:
  // `objects_dir`: the repository's objects directory. Objects declared larger than
  // `max_object_size` (loose: in their header; packed: in their entry or delta headers) are
  // refused before anything is allocated for them (`too_large`).
  ObjectStore(std::string objects_dir, std::uint64_t max_object_size);
  ~ObjectStore();
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  enum class Status {
    ok,
    missing,    // in no loose file and no pack index of the directories searched
    too_large,  // declared larger than max_object_size (`declared_size` says how large)
    unreadable, // present but not read with certainty (see above)
    corrupt,    // certainly corrupt (`why`), not to be read through libgit2 either
  };
  struct Result {
    Status status = Status::missing;
    SharedPacked object;             // set when ok: type (1 commit, 2 tree, 3 blob, 4 tag), bytes
    std::uint64_t declared_size = 0; // when too_large
    std::string why;                 // when corrupt
  };
  Result read(const BlobId& id);

  // Loose objects read and pack lookups made so far, for tests.
  std::uint64_t loose_reads() const { return m_loose_reads; }
  std::uint64_t pack_reads() const { return m_pack_reads; }

private:
  struct Dir;
  Result read_loose(Dir& dir, const BlobId& id, bool& found);
  void load_alternates();

  std::vector<std::unique_ptr<Dir>> m_dirs; // the objects directory, then its alternates
  ReadBuffer m_compressed;                  // the loose object being read
  bool m_alternates_loaded = false;
  bool m_alternates_understood = true;
  std::uint64_t m_max_object;
  std::uint64_t m_loose_reads = 0;
  std::uint64_t m_pack_reads = 0;
};

// The name of an object type number (1..4), "" for others.
const char* object_type_name(int type);

} // namespace zenolint::source
