#include "match/keyword.hpp"

#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace zenolint::match {
namespace {

char to_lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

KeywordFinder::KeywordFinder(std::string_view keyword)
{
  for (char c : keyword)
    m_keyword.push_back(to_lower(c));
}

namespace {

// Folds ASCII letters to lower case; other bytes may collide (0x0E and '.'), which only adds
// candidates that the full comparison then rejects.
inline unsigned char fold(char c)
{
  return static_cast<unsigned char>(c) | 0x20;
}

// Compares the keyword at `start` case-insensitively.
inline bool equal_at(const char* start, const std::string& keyword)
{
  for (std::size_t j = 0; j < keyword.size(); ++j)
    if (to_lower(start[j]) != keyword[j])
      return false;
  return true;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZENOLINT_KEYWORD_SIMD 1

// Candidate starts in [i, n), 32 or 16 at a time: a start is a candidate when its first byte and
// the byte at k - 1 fold to the keyword's first and last bytes (the "generic SIMD" substring
// search; two bytes at a distance rarely both match by chance, so the full comparison runs
// seldom, also for keywords made of common letters such as "bearer"). One pass whatever the case,
// where memchr needed two per keyword and stopped at every common anchor letter. `i` is left at
// the first start not looked at.
#define ZENOLINT_SCAN_BLOCKS(WIDTH, VEC, SET1, LOAD, OR, EQ, AND, MOVEMASK)                        \
  const VEC first = SET1(static_cast<char>(fold(keyword.front())));                                \
  const VEC last = SET1(static_cast<char>(fold(keyword.back())));                                  \
  const VEC bit = SET1(0x20);                                                                      \
  for (; i + (WIDTH) <= n; i += (WIDTH)) {                                                         \
    VEC a = LOAD(reinterpret_cast<const VEC*>(p + i));                                             \
    VEC b = LOAD(reinterpret_cast<const VEC*>(p + i + k - 1));                                     \
    auto mask =                                                                                    \
        static_cast<std::uint32_t>(MOVEMASK(AND(EQ(OR(a, bit), first), EQ(OR(b, bit), last))));    \
    while (mask != 0) {                                                                            \
      std::size_t j = static_cast<std::size_t>(__builtin_ctz(mask));                               \
      if (equal_at(p + i + j, keyword))                                                            \
        return i + j;                                                                              \
      mask &= mask - 1;                                                                            \
    }                                                                                              \
  }                                                                                                \
  return std::string_view::npos;

__attribute__((target("avx2"))) std::size_t find_avx2(const char* p, std::size_t n, std::size_t k,
                                                      std::size_t& i, const std::string& keyword){
    ZENOLINT_SCAN_BLOCKS(32, __m256i, _mm256_set1_epi8, _mm256_loadu_si256, _mm256_or_si256,
                         _mm256_cmpeq_epi8, _mm256_and_si256, _mm256_movemask_epi8)}

std::size_t find_sse2(const char* p, std::size_t n, std::size_t k, std::size_t& i,
                      const std::string& keyword)
{
  ZENOLINT_SCAN_BLOCKS(16, __m128i, _mm_set1_epi8, _mm_loadu_si128, _mm_or_si128, _mm_cmpeq_epi8,
                       _mm_and_si128, _mm_movemask_epi8)
}
#undef ZENOLINT_SCAN_BLOCKS

bool have_avx2()
{
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

} // namespace

std::size_t KeywordFinder::find(std::string_view text) const
{
  constexpr auto npos = std::string_view::npos;
  const std::size_t k = m_keyword.size();
  if (k == 0 || text.size() < k)
    return k == 0 ? 0 : npos;
  const char* p = text.data();
  const std::size_t n = text.size() - k + 1; // possible starts: [0, n)
  std::size_t i = 0;
#ifdef ZENOLINT_KEYWORD_SIMD
  std::size_t hit = have_avx2() ? find_avx2(p, n, k, i, m_keyword) : npos;
  if (hit == npos)
    hit = find_sse2(p, n, k, i, m_keyword);
  if (hit != npos)
    return hit;
#endif
  const unsigned char first = fold(m_keyword.front()), last = fold(m_keyword.back());
  for (; i < n; ++i)
    if (fold(p[i]) == first && fold(p[i + k - 1]) == last && equal_at(p + i, m_keyword))
      return i;
  return npos;
}

} // namespace zenolint::match
