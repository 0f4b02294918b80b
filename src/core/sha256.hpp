#pragma once
// SHA-256 (FIPS 180-4), used for fingerprints. Self-contained so fingerprints need no crypto
// library.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace zenolint {

class Sha256 {
public:
  Sha256();
  void update(std::string_view data);
  std::array<unsigned char, 32> finish(); // the object must not be updated afterwards
  std::string finish_hex();

private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> m_state;
  std::array<unsigned char, 64> m_buf{};
  std::size_t m_buf_len = 0;
  std::uint64_t m_total = 0;
};

std::string sha256_hex(std::string_view data);

} // namespace zenolint
