#pragma once
// Where objects sit in a repository's pack files, read straight from the pack indexes (.idx v2):
// the history walk lists blobs in pack order (loose or unknown objects last), and the own pack
// reader and resolver (pack_reader.hpp, pack_resolver.hpp) find entries and where they end.
#include "core/types.hpp"
#include "source/source.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zenolint::source {

class PackPositions {
public:
  // Reads every objects/pack/*.idx below `objects_dir`. Unreadable or unknown-format indexes are
  // ignored (their objects simply sort last); never throws for bad index files.
  // With `with_offsets`, also sorts every pack's object offsets (sorted_offsets()); the object is
  // then never written again and can be shared between threads.
  explicit PackPositions(const std::string& objects_dir, bool with_offsets = false);

  // Maps the indexes (read-only, MAP_PRIVATE) instead of reading them: only the pages a lookup
  // touches are read, which is what a few lookups want (the staged source reads a handful of
  // trees; git/git's index is 8 MiB). Never with offsets. The indexes are checked as above
  // (regular files, fan-out against the size) before they are used.
  struct Mapped {};
  PackPositions(const std::string& objects_dir, Mapped);
  ~PackPositions();
  PackPositions(const PackPositions&) = delete;
  PackPositions& operator=(const PackPositions&) = delete;

  struct Position {
    std::uint32_t pack = 0;   // index into the sorted list of packs
    std::uint64_t offset = 0; // byte offset in that pack
  };
  std::optional<Position> find(const BlobId& id) const;
  std::size_t pack_count() const { return m_packs.size(); }
  // The .pack file next to index `pack`.
  const std::string& pack_path(std::uint32_t pack) const { return m_packs[pack].pack_path; }
  // Every object offset in `pack`, ascending (empty unless built with `with_offsets`). The entry
  // at an offset ends where the next one starts, the last one at the pack's 20-byte trailer.
  const std::vector<std::uint64_t>& sorted_offsets(std::uint32_t pack) const;

  // Pack indexes that were not used, with why (not a regular file, sizes that do not match the
  // fan-out, ...): libgit2 does not see them either (git::open leaves their packs out).
  struct Rejected {
    std::string idx_path;
    std::string why;
  };
  const std::vector<Rejected>& rejected() const { return m_rejected; }

private:
  struct PackIndex {
    std::vector<unsigned char> data;      // the index as read (empty when mapped)
    const unsigned char* bytes = nullptr; // data.data(), or the mapping
    std::size_t size = 0;
    bool mapped = false;
    std::uint32_t count = 0;
    std::string pack_path;
    std::vector<std::uint64_t> offsets; // sorted; empty unless built with_offsets
  };
  void load(const std::string& objects_dir, bool with_offsets, bool mapped);

  std::vector<PackIndex> m_packs;
  std::vector<Rejected> m_rejected;
};

} // namespace zenolint::source
