#pragma once
// Case-insensitive substring search for the keyword prefilter, without a lower-cased copy of the
// text: memchr (vectorised by libc) over both cases of the keyword's rarest letter, then a short
// case-insensitive comparison around each hit. Immutable after construction; thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

namespace zenolint::match {

class KeywordFinder {
public:
  // `keyword` must be non-empty; it is compared ASCII case-insensitively.
  explicit KeywordFinder(std::string_view keyword);

  // Byte offset of the first case-insensitive occurrence in `text`, or npos.
  std::size_t find(std::string_view text) const;
  bool in(std::string_view text) const { return find(text) != std::string_view::npos; }

  const std::string& keyword() const { return m_keyword; }

private:
  std::string m_keyword;    // lower-cased
  std::size_t m_anchor = 0; // index of the rarest byte of the keyword
  char m_anchor_lower = 0, m_anchor_upper = 0;
};

} // namespace zenolint::match
