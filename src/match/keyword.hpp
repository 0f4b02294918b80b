#pragma once
// Case-insensitive substring search for the keyword prefilter, without a lower-cased copy of the
// text: one vectorised pass (AVX2 where the CPU has it, else SSE2, else a plain loop) for starts
// whose first and last bytes match the keyword's in either case, then a short case-insensitive
// comparison at each such start. Immutable after construction; thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// What the prefilter needs to know about one text, from one pass over it.
struct KeywordHits {
  std::uint64_t present = 0; // bit i: keyword i of the KeywordSet occurs (any ASCII case)
  bool long_run = false;     // a run of at least KeywordSet::run_length ASCII letters and digits
};

// Several keywords searched in one pass, together with the question "is there a run of 60 or more
// ASCII letters and digits?" (without one, no token candidate exists: match/context.hpp). A
// keyword that contains another of the set is looked for only when that other one occurs
// ("zenodo.org" only in text that says "zenodo"). The pass compares the first and last bytes of
// each remaining keyword at 32 starts at a time (AVX2; else a plain loop per keyword) and
// classifies the same 32 bytes as letters and digits; texts without any keyword (most) cost one
// read of the bytes. Results are exactly those of KeywordFinder::in per keyword and of a byte loop
// for the run. Immutable after construction; thread-safe.
class KeywordSet {
public:
  static constexpr std::size_t run_length = 60;
  static constexpr std::size_t max_keywords = 64;

  // Each keyword non-empty, at most max_keywords of them (else Error); compared ASCII
  // case-insensitively, as KeywordFinder. Bit i of KeywordHits::present is keywords[i].
  explicit KeywordSet(const std::vector<std::string>& keywords);

  // `want_run` false: KeywordHits::long_run is left false (and costs nothing).
  KeywordHits scan(std::string_view text, bool want_run) const;

  std::size_t size() const { return m_finders.size(); }
  const KeywordFinder& finder(std::size_t i) const { return m_finders[i]; }

private:
  std::vector<KeywordFinder> m_finders;
  std::vector<std::size_t> m_base;   // per keyword: itself, or a keyword of the set it contains
  std::vector<std::size_t> m_direct; // the keywords that are their own base, searched by the pass
  std::vector<std::string> m_direct_words; // their lower-cased text
  std::size_t m_max_length = 0;            // longest of m_direct
};

} // namespace zenolint::match
