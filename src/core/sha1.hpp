#pragma once
// Plain SHA-1 (FIPS 180-4) for git blob ids of working-tree files. libgit2's hashing uses SHA1DC
// (collision detection), about twice as slow; zenolint only compares ids of content it reads
// itself, so the collision check buys nothing here (see git::blob_hash).
#include <array>
#include <cstdint>
#include <string_view>

namespace zenolint {

class Sha1 {
public:
  Sha1();
  void update(std::string_view data);
  std::array<unsigned char, 20> finish(); // the object must not be updated afterwards

private:
  void blocks(const unsigned char* p, std::size_t count);
  std::array<std::uint32_t, 5> m_state;
  std::array<unsigned char, 64> m_buf{};
  std::size_t m_buf_len = 0;
  std::uint64_t m_total = 0;
};

} // namespace zenolint
