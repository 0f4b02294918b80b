#include "match/keyword.hpp"

#include <cstring>

namespace zenolint::match {
namespace {

char to_lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

char to_upper(char c)
{
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Rough frequency rank of a lower-case byte in source code and prose (higher = more common); the
// anchor is the keyword byte with the lowest rank, so memchr stops as rarely as possible.
int commonness(char c)
{
  static constexpr std::string_view by_frequency = " etaoinsrlhdcumpfgyw.bv,kx_jqz";
  auto pos = by_frequency.find(c);
  if (pos != std::string_view::npos)
    return static_cast<int>(by_frequency.size() - pos);
  return 0; // digits, punctuation: treat as rare
}

} // namespace

KeywordFinder::KeywordFinder(std::string_view keyword)
{
  for (char c : keyword)
    m_keyword.push_back(to_lower(c));
  for (std::size_t i = 1; i < m_keyword.size(); ++i)
    if (commonness(m_keyword[i]) < commonness(m_keyword[m_anchor]))
      m_anchor = i;
  m_anchor_lower = m_keyword.empty() ? '\0' : m_keyword[m_anchor];
  m_anchor_upper = to_upper(m_anchor_lower);
}

std::size_t KeywordFinder::find(std::string_view text) const
{
  constexpr auto npos = std::string_view::npos;
  const std::size_t k = m_keyword.size();
  if (k == 0 || text.size() < k)
    return k == 0 ? 0 : npos;
  // Candidate anchor positions lie in [m_anchor, text.size() - k + m_anchor].
  const char* base = text.data();
  const char* lo = base + m_anchor;
  const char* end = base + (text.size() - k + m_anchor + 1);
  auto next = [&](const char* from, char c) -> const char* {
    if (from >= end)
      return end;
    const void* p = std::memchr(from, c, static_cast<std::size_t>(end - from));
    return p ? static_cast<const char*>(p) : end;
  };
  const bool caseless = m_anchor_lower == m_anchor_upper;
  const char* nl = next(lo, m_anchor_lower);
  const char* nu = caseless ? end : next(lo, m_anchor_upper);
  while (nl < end || nu < end) {
    const char* hit = nl < nu ? nl : nu;
    const char* start = hit - m_anchor;
    std::size_t j = 0;
    while (j < k && to_lower(start[j]) == m_keyword[j])
      ++j;
    if (j == k)
      return static_cast<std::size_t>(start - base);
    if (hit == nl)
      nl = next(nl + 1, m_anchor_lower);
    else
      nu = next(nu + 1, m_anchor_upper);
  }
  return npos;
}

} // namespace zenolint::match
