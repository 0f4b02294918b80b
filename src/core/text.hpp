#pragma once
// Small text helpers shared by the matcher, the credential-file checks and the reporters.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint {

// Bytes in binary units: "111 bytes", "8.1 KiB", "7.5 GiB".
inline std::string human_bytes(double bytes)
{
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

// ASCII lower-casing (bytes >= 0x80 unchanged), branch-free so the loop vectorises: the keyword
// prefilter runs it over every byte it looks at.
inline std::string ascii_lower(std::string_view s)
{
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(c + ((static_cast<unsigned char>(c - 'A') < 26u) ? 32 : 0));
  return out;
}

// Whether `s` starts with `prefix`, ASCII letters compared without case (`prefix` lower-case).
inline bool starts_with_ci(std::string_view s, std::string_view prefix)
{
  if (s.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (static_cast<unsigned char>(c - 'A') < 26u)
      c = static_cast<char>(c + 32);
    if (c != prefix[i])
      return false;
  }
  return true;
}

// `s` decoded from base64 (the standard alphabet, or the URL-safe one with '-' and '_'), with or
// without '=' padding; nullopt for any other character, a misplaced '=', a length that no
// encoding produces, or non-zero bits left over in the last character.
std::optional<std::string> base64_decode(std::string_view s);

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

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view s);

// `s` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD. What
// every string that enters a JSON, SARIF or GitLab report goes through.
std::string valid_utf8(std::string_view s);

// ISO-8859-1 bytes as UTF-8 (each byte is the code point of the same value).
std::string latin1_to_utf8(std::string_view s);

// `bytes` in character encoding `encoding` (a git commit's `encoding` header: ISO-8859-1, latin1,
// windows-1252, EUC-JP, ... anything glibc's iconv knows) as valid UTF-8. An empty or UTF-8
// encoding, an unknown one, or bytes that do not convert give valid_utf8(bytes) instead: the
// result is always valid UTF-8 and never throws.
std::string to_utf8(std::string_view bytes, std::string_view encoding);

// UTF-16 bytes (little- or big-endian; a leading byte-order mark is dropped) as UTF-8. Unpaired
// surrogates and a trailing odd byte become U+FFFD.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian);

// Appends code point `cp` (<= U+10FFFF, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// `s` made safe to print on a terminal or in a CI log, one line per item: C0 controls except tab,
// DEL, C1 controls (U+0080-U+009F) and bidirectional overrides/isolates become visible escapes
// (`\n`, `\r`, `\e` for ESC, `\x07`, `\u{202e}`); bytes that are not well-formed UTF-8 become
// `\xNN`. Everything else, including a backslash, is unchanged, so the result is meant for eyes,
// not for reading back. Every string from a scanned file, repository, rule or the environment that
// reaches the text report or stderr goes through it.
std::string terminal_safe(std::string_view s);

// "a, b, c" for at most `max` items, then " and N more".
std::string join_list(const std::vector<std::string>& items, std::size_t max = 5);

} // namespace zenolint
