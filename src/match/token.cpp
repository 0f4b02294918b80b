#include "match/token.hpp"

#include <array>
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

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool contains_ci(std::string_view hay, std::string_view needle)
{
  if (needle.size() > hay.size())
    return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(hay[i + j]) == needle[j])
      ++j;
    if (j == needle.size())
      return true;
  }
  return false;
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
  if (offset + len > text.size())
    return "out of range";
  std::string_view s = text.substr(offset, len);
  if (offset > 0 && is_run_char(text[offset - 1], false))
    return "part of a longer run";
  if (offset + len < text.size() && is_run_char(text[offset + len], true))
    return "part of a longer run";
  bool digit = false, upper = false, lower_case = false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u))
      return "not alphanumeric";
    digit |= std::isdigit(u) != 0;
    upper |= std::isupper(u) != 0;
    lower_case |= std::islower(u) != 0;
  }
  if (!digit)
    return "no digit";
  if (!upper || !lower_case)
    return "not mixed case";
  // A random 60-character token from 62 symbols has ~5.1 bits/char; 4.2 leaves a wide margin.
  if (s.size() >= 40 && shannon_entropy(s) < 4.2)
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
    "example", "sample", "dummy", "placeholder", "fixme", "xxxxx", "changeme",
    "yourzenodo", "yourtoken", "youraccess", "token", "zenodo", "secret", "insert", "abcdef", "12345"};
  for (auto w : placeholder_words)
    if (contains_ci(s, w))
      return "placeholder word";
  return nullptr;
}

std::string redact(std::string_view secret)
{
  std::size_t keep = std::min<std::size_t>(4, secret.size() / 2);
  return std::string(secret.substr(0, keep)) + "\u2026";
}

} // namespace zenolint::match
