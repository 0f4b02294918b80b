#pragma once
// Small text helpers shared by the matcher, the credential-file checks and the reporters.
#include <cstdint>
#include <string>
#include <string_view>

namespace zenolint {

// ASCII lower-casing (bytes >= 0x80 unchanged), branch-free so the loop vectorises: the keyword
// prefilter runs it over every byte it looks at.
inline std::string ascii_lower(std::string_view s)
{
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(c + ((static_cast<unsigned char>(c - 'A') < 26u) ? 32 : 0));
  return out;
}

// 1-based column, in characters (UTF-8 code points), of the byte that follows `line_prefix`
// (the bytes of its line before it).
inline std::uint32_t utf8_column(std::string_view line_prefix)
{
  std::uint32_t col = 1;
  for (char c : line_prefix)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++col;
  return col;
}

} // namespace zenolint
