#pragma once
// Case-insensitive substring search for the keyword prefilter, without a lower-cased copy of the
// text: one vectorised pass (AVX2 where the CPU has it, else SSE2, else a plain loop) for starts
// whose first and last bytes match the keyword's in either case, then a short case-insensitive
// comparison at each such start. Immutable after construction; thread-safe.
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
  std::string m_keyword; // lower-cased
};

} // namespace zenolint::match
