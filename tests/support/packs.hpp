#pragma once
// The packs of a TempRepo as git itself describes them, for tests of the own pack reader and
// resolver.
#include "support/temp_repo.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace zenolint::test {

// One object of a pack, as `git verify-pack -v` lists it.
struct PackedEntry {
  std::string id, type;
  std::uint64_t size_in_pack = 0, offset = 0;
  int depth = 0; // delta chain length; 0 for an object stored whole
};

// The path of the repository's (first) pack file with extension `ext` (".pack", ".idx"), or ""
// when there is none.
std::string pack_file(const TempRepo& repo, const std::string& ext = ".pack");

// `git verify-pack -v` of the repository's only pack.
std::vector<PackedEntry> verify_pack(const TempRepo& repo);

} // namespace zenolint::test
