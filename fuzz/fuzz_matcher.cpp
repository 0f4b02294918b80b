// The matcher (match/matcher) with the default rules on hostile content, including contents of a
// few MB built by repeating a short input (many matches in one file, one very long line...),
// where a super-linear step shows up as a libFuzzer timeout.
//
// Input: a flags byte (bit 0: honour inline allow comments), a repeat byte R, a path length byte
// P, P bytes of path, then the data. R >= 0xF0 repeats the data up to (R - 0xEF) * 128 KiB (at
// most 2 MiB); smaller R leave it as it is, so most runs stay fast. Under ASan/UBSan a linear
// matcher needs up to ~15 s for 1 MiB of dense matches (a token on every line); the quadratic one
// of issue 14 needed 73 s for 3.2 MB without sanitizers: scripts/fuzz.sh allows 60 s per input.
#include "match/matcher.hpp"
#include "rules/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace zenolint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const rules::RuleSet rule_set = rules::default_rules();
  static const match::Matcher matcher(rule_set);
  if (size < 3)
    return 0;
  bool inline_allow = data[0] & 1;
  std::size_t repeat = data[1];
  std::size_t path_len = data[2];
  if (size < 3 + path_len)
    return 0;
  std::string_view path(reinterpret_cast<const char*>(data) + 3, path_len);
  std::string_view piece(reinterpret_cast<const char*>(data) + 3 + path_len, size - 3 - path_len);
  std::string content(piece);
  if (repeat >= 0xF0 && !piece.empty()) {
    std::size_t target = (repeat - 0xEF) * 128 * 1024;
    content.reserve(target + piece.size());
    while (content.size() < target)
      content += piece;
  }
  match::MatchOptions options;
  options.inline_allow = inline_allow;
  volatile std::size_t sink = matcher.may_match(path, content);
  auto matches = matcher.match(path, content, options);
  for (const auto& m : matches)
    sink = sink + m.secret.size() + m.line + m.column;
  return 0;
}
