#include "match/token.hpp"

#include <array>
#include <cctype>
#include <cmath>

namespace zenolint::match {
namespace {

bool is_run_char(char c, bool after)
{
  unsigned char u = static_cast<unsigned char>(c);
  if (std::isalnum(u))
    return true;
  if (c == '+' || c == '/' || c == '-' || c == '_')
    return true;
  // '=' before a token is an assignment (`TOKEN=...`); after one it is base64 padding.
  return after && c == '=';
}

int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// The ASCII character an escape ending at `end` (exclusive) encodes, or -1: `%XX` (percent
// encoding), `\xXX` and `\u00XX` (JSON, JavaScript, Python). A token written `\u0022TOKEN` in a
// .NET-written notebook or `%3DTOKEN` in an encoded URL ends such an escape with a hex digit that
// is no part of the token.
int escape_before(std::string_view text, std::size_t end)
{
  if (end < 3)
    return -1;
  int hi = hex_value(text[end - 2]), lo = hex_value(text[end - 1]);
  if (hi < 0 || lo < 0)
    return -1;
  int code = hi * 16 + lo;
  if (text[end - 3] == '%')
    return code;
  if (end >= 4 && text[end - 4] == '\\' && text[end - 3] == 'x')
    return code;
  if (end >= 6 && text.substr(end - 6, 4) == "\\u00")
    return code;
  return -1;
}

// The ASCII character a `%XX`, `\xXX` or `\u00XX` escape starting at `pos` encodes, or -1.
int escape_at(std::string_view text, std::size_t pos)
{
  std::string_view rest = text.substr(pos);
  if (rest.size() >= 3 && rest[0] == '%')
    return escape_before(text, pos + 3);
  if (rest.size() >= 4 && rest.substr(0, 2) == "\\x")
    return escape_before(text, pos + 4);
  if (rest.size() >= 6 && rest.substr(0, 4) == "\\u00")
    return escape_before(text, pos + 6);
  return -1;
}

char lower(char c)
{
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// True when `needle` (lowercase) occurs in `hay` written in one consistent case: all lower, all
// upper, or Capitalized. Real placeholders are written that way ("YourZenodoToken", "DUMMY");
// a random token spells a word in mixed case 29 times out of 32, so requiring a consistent case
// cuts the recall cost of the word list by that factor.
bool contains_word_cased(std::string_view hay, std::string_view needle)
{
  if (needle.size() > hay.size())
    return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(hay[i + j]) == needle[j])
      ++j;
    if (j != needle.size())
      continue;
    bool all_lower = true, all_upper = true, tail_lower = true;
    for (std::size_t k = 0; k < needle.size(); ++k) {
      unsigned char u = static_cast<unsigned char>(hay[i + k]);
      if (!std::isalpha(u))
        continue;
      all_lower &= std::islower(u) != 0;
      all_upper &= std::isupper(u) != 0;
      if (k > 0)
        tail_lower &= std::islower(u) != 0;
    }
    if (all_lower || all_upper || tail_lower)
      return true;
  }
  return false;
}

bool is_vowel(char c)
{
  switch (lower(c)) {
  case 'a':
  case 'e':
  case 'i':
  case 'o':
  case 'u':
    return true;
  default:
    return false;
  }
}

} // namespace

double shannon_entropy(std::string_view s)
{
  if (s.empty())
    return 0.0;
  std::array<std::size_t, 256> counts{};
  for (char c : s)
    ++counts[static_cast<unsigned char>(c)];
  double h = 0.0;
  const double n = static_cast<double>(s.size());
  for (auto c : counts) {
    if (c == 0)
      continue;
    double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

const char* implausible_token_reason(std::string_view text, std::size_t offset, std::size_t len)
{
  return implausible_token_reason(text, offset, len, TokenCheckOptions{});
}

const char* implausible_token_reason(std::string_view text, std::size_t offset, std::size_t len,
                                     const TokenCheckOptions& options)
{
  if (offset + len > text.size())
    return "out of range";
  std::string_view s = text.substr(offset, len);
  // A shell default (`${ZENODO_TOKEN:-...}`) ends in '-' without being part of the run.
  bool shell_default = offset >= 2 && text[offset - 1] == '-' && text[offset - 2] == ':';
  // An escaped delimiter before the token (`\u0022`, `%3D`) is a boundary; an escaped run
  // character on either side (`%2B`, `\u002F`) is not.
  int before = escape_before(text, offset);
  if (offset > 0 && !shell_default &&
      (before >= 0 ? is_run_char(static_cast<char>(before), false)
                   : is_run_char(text[offset - 1], false)))
    return "part of a longer run";
  if (offset + len < text.size() && is_run_char(text[offset + len], true))
    return "part of a longer run";
  if (int after = escape_at(text, offset + len);
      after >= 0 && is_run_char(static_cast<char>(after), true))
    return "part of a longer run";
  std::size_t digits = 0, uppers = 0, lowers = 0, vowels = 0;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u))
      return "not alphanumeric";
    digits += std::isdigit(u) != 0;
    uppers += std::isupper(u) != 0;
    lowers += std::islower(u) != 0;
    vowels += is_vowel(c);
  }
  if (uppers == 0 || lowers == 0)
    return "not mixed case";
  if (digits == 0) {
    // One random token in ~38,000 has no digit, so "no digit" alone would cost recall. Without
    // digits, reject only what looks like words: CamelCase identifiers have few capitals and
    // English-like vowel density (~35%), random letters have ~50% capitals and ~19% vowels.
    const double n = static_cast<double>(s.size());
    double upper_ratio = static_cast<double>(uppers) / n;
    if (upper_ratio < 0.3 || upper_ratio > 0.7 || static_cast<double>(vowels) / n > 0.32)
      return "identifier without digits";
  }
  if (s.size() >= 40 && shannon_entropy(s) < options.min_entropy)
    return "low entropy";
  std::size_t sequential = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    int d = static_cast<unsigned char>(s[i]) - static_cast<unsigned char>(s[i - 1]);
    if (d == 1 || d == -1)
      ++sequential;
  }
  if (sequential * 3 >= s.size())
    return "sequential pattern";
  for (std::size_t p = 1; p <= s.size() / 2; ++p) {
    bool periodic = true;
    for (std::size_t i = p; i < s.size() && periodic; ++i)
      periodic = s[i] == s[i - p];
    if (periodic)
      return "repeated pattern";
  }
  static constexpr std::string_view placeholder_words[] = {
      "example",    "sample",    "dummy",      "placeholder", "fixme",  "changeme",
      "yourzenodo", "yourtoken", "youraccess", "token",       "zenodo", "secret",
      "insert",     "abcdef",    "123456",     "xxxxxx"};
  for (auto w : placeholder_words)
    if (contains_word_cased(s, w))
      return "placeholder word";
  return nullptr;
}

std::string redact(std::string_view secret)
{
  std::size_t keep = std::min<std::size_t>(4, secret.size() / 2);
  return std::string(secret.substr(0, keep)) + "\u2026";
}

} // namespace zenolint::match
