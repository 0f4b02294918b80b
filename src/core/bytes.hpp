#pragma once
// Big-endian integers in git's binary formats (pack indexes, the index file): the one reader.
// `p` must point at enough readable bytes; no alignment is needed.
#include <cstdint>

namespace zenolint {

inline std::uint16_t load_be16(const unsigned char* p)
{
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

inline std::uint32_t load_be32(const unsigned char* p)
{
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

inline std::uint64_t load_be64(const unsigned char* p)
{
  return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

} // namespace zenolint
