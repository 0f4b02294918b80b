#include "match/keyword.hpp"

#include "core/error.hpp"

#include <algorithm>
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

namespace {

bool alnum(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether text [0, size) has a run of at least `n` letters and digits that ends at or after
// `from`, given that the `run` bytes before `from` are letters or digits. Past the current run,
// one byte in n is probed and only the runs around probed letters and digits are measured (as
// token_candidates does): every run of n bytes covers a probed byte.
bool long_run_from(const char* p, std::size_t from, std::size_t size, std::size_t run,
                   std::size_t n)
{
  if (run >= n)
    return true;
  std::size_t e = from;
  while (e < size && alnum(p[e]) && run < n) {
    ++e;
    ++run;
  }
  if (run >= n)
    return true;
  // p[e] ends the run: a later one starts after it, so its n-th byte is at e + n or later.
  for (std::size_t probe = e + n; probe < size;) {
    if (!alnum(p[probe])) {
      probe += n;
      continue;
    }
    std::size_t b = probe, end = probe + 1;
    while (b > e && alnum(p[b - 1]))
      --b;
    while (end < size && alnum(p[end]))
      ++end;
    if (end - b >= n)
      return true;
    probe = std::max(probe + n, end + n);
  }
  return false;
}

#ifdef ZENOLINT_KEYWORD_SIMD
// At most this many keywords go through the vector loop (one instantiation per count).
constexpr std::size_t simd_keywords = 4;

// The fused pass over whole 32-byte blocks from `i`, for NK keywords (their count a template
// parameter, so that their bytes stay in registers): `found` gets bit j for keywords[j], `run`
// is the run of letters and digits ending where the loop stopped (`i`). Returns early when there
// is nothing left to learn.
template <std::size_t NK>
__attribute__((target("avx2"))) void
scan_avx2(const char* p, std::size_t size, const std::vector<std::string>& keywords,
          std::size_t max_length, bool want_run, std::uint32_t& found_out, bool& long_run_out,
          std::size_t& run_out, std::size_t& i_out)
{
  constexpr std::uint32_t all = (1u << NK) - 1;
  __m256i first[NK + 1], last[NK + 1]; // + 1: no zero-length arrays
  std::size_t offset[NK + 1];          // of the last byte
  for (std::size_t j = 0; j < NK; ++j) {
    const std::string& k = keywords[j];
    first[j] = _mm256_set1_epi8(static_cast<char>(fold(k.front())));
    last[j] = _mm256_set1_epi8(static_cast<char>(fold(k.back())));
    offset[j] = k.size() - 1;
  }
  const __m256i bit = _mm256_set1_epi8(0x20), a_ = _mm256_set1_epi8('a'),
                z25 = _mm256_set1_epi8(25), d0 = _mm256_set1_epi8('0'), d9 = _mm256_set1_epi8(9);
  std::uint32_t found = 0;
  bool long_run = false;
  std::size_t run = 0, i = 0;
  for (; i + 32 + max_length - 1 <= size; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const __m256i af = _mm256_or_si256(a, bit);
    if (found != all) {
      __m256i any = _mm256_setzero_si256();
      for (std::size_t j = 0; j < NK; ++j) {
        const __m256i b = _mm256_or_si256(
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + offset[j])), bit);
        any = _mm256_or_si256(
            any, _mm256_and_si256(_mm256_cmpeq_epi8(af, first[j]), _mm256_cmpeq_epi8(b, last[j])));
      }
      auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(any));
      while (mask != 0) {
        const char* start = p + i + static_cast<std::size_t>(__builtin_ctz(mask));
        for (std::size_t j = 0; j < NK; ++j)
          if (!(found >> j & 1) && equal_at(start, keywords[j]))
            found |= 1u << j;
        mask &= mask - 1;
      }
    }
    if (want_run && !long_run) {
      // Letters: (byte | 0x20) - 'a' < 26; digits: byte - '0' < 10 (unsigned, by min).
      const __m256i t = _mm256_sub_epi8(af, a_), d = _mm256_sub_epi8(a, d0);
      const __m256i letter = _mm256_cmpeq_epi8(_mm256_min_epu8(t, z25), t);
      const __m256i digit = _mm256_cmpeq_epi8(_mm256_min_epu8(d, d9), d);
      const auto m =
          static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(letter, digit)));
      if (m == ~0u) {
        run += 32;
        long_run = run >= KeywordSet::run_length;
      } else {
        long_run = run + static_cast<std::size_t>(__builtin_ctz(~m)) >= KeywordSet::run_length;
        run = static_cast<std::size_t>(__builtin_clz(~m));
      }
    }
    if (found == all && (!want_run || long_run)) {
      i += 32;
      break;
    }
  }
  found_out = found;
  long_run_out = long_run;
  run_out = run;
  i_out = i;
}

#endif

} // namespace

KeywordSet::KeywordSet(const std::vector<std::string>& keywords)
{
  if (keywords.size() > max_keywords)
    throw Error("more than " + std::to_string(max_keywords) + " distinct rule keywords");
  for (const auto& k : keywords) {
    if (k.empty())
      throw Error("empty rule keyword");
    m_finders.emplace_back(k);
  }
  // A keyword's base is the first shortest keyword it contains (itself when none other): that
  // one contains no other keyword, so it is searched directly.
  for (std::size_t i = 0; i < m_finders.size(); ++i) {
    const std::string& k = m_finders[i].keyword();
    std::size_t base = i;
    for (std::size_t j = 0; j < m_finders.size(); ++j) {
      const std::string& other = m_finders[j].keyword();
      if (j == i || k.find(other) == std::string::npos)
        continue;
      const std::string& current = m_finders[base].keyword();
      if (other.size() < current.size() || (other.size() == current.size() && j < base))
        base = j;
    }
    m_base.push_back(base);
    if (base == i) {
      m_direct.push_back(i);
      m_direct_words.push_back(k);
      m_max_length = std::max(m_max_length, k.size());
    }
  }
}

KeywordHits KeywordSet::scan(std::string_view text, bool want_run) const
{
  KeywordHits facts;
  const char* p = text.data();
  const std::size_t size = text.size();
  std::size_t i = 0, run = 0;
  std::uint64_t present = 0; // bits of m_finders
  bool done = false;         // every direct keyword decided over the whole text
#ifdef ZENOLINT_KEYWORD_SIMD
  if (m_direct.size() <= simd_keywords && have_avx2()) {
    std::uint32_t found = 0;
    auto* pass = m_direct.size() == 0   ? &scan_avx2<0>
                 : m_direct.size() == 1 ? &scan_avx2<1>
                 : m_direct.size() == 2 ? &scan_avx2<2>
                 : m_direct.size() == 3 ? &scan_avx2<3>
                                        : &scan_avx2<4>;
    pass(p, size, m_direct_words, std::max<std::size_t>(m_max_length, 1), want_run, found,
         facts.long_run, run, i);
    for (std::size_t j = 0; j < m_direct.size(); ++j)
      if (found >> j & 1)
        present |= std::uint64_t{1} << m_direct[j];
    // The rest of the starts, from i (the loop looked at every start before it).
    std::string_view rest = text.substr(i);
    for (auto d : m_direct)
      if (!(present >> d & 1) && m_finders[d].in(rest))
        present |= std::uint64_t{1} << d;
    done = true;
  }
#endif
  if (!done) {
    i = 0;
    run = 0;
    for (auto d : m_direct)
      if (m_finders[d].in(text))
        present |= std::uint64_t{1} << d;
  }
  if (want_run && !facts.long_run)
    facts.long_run = long_run_from(p, i, size, run, run_length);
  // A keyword containing a direct one occurs only where that one does.
  for (std::size_t k = 0; k < m_finders.size(); ++k)
    if (m_base[k] != k && (present >> m_base[k] & 1) && m_finders[k].in(text))
      present |= std::uint64_t{1} << k;
  facts.present = present;
  return facts;
}

} // namespace zenolint::match
