#include "support/tokens.hpp"

#include "match/token.hpp"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace zenolint::test {

std::string random_token(std::uint64_t seed)
{
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, 61);
  std::string s(60, 'a');
  for (auto& c : s)
    c = alphabet[pick(rng)];
  return s;
}

namespace {

std::uint64_t read_test_seed()
{
  const char* env = std::getenv("ZENOLINT_TEST_SEED");
  if (env == nullptr || *env == '\0')
    return default_test_seed;
  std::string text(env);
  std::uint64_t seed = 0;
  if (text == "random")
    seed = std::random_device{}();
  else
    seed = std::strtoull(text.c_str(), nullptr, 10);
  std::cerr << "test tokens: ZENOLINT_TEST_SEED=" << seed << '\n';
  return seed;
}

} // namespace

std::uint64_t test_seed()
{
  static const std::uint64_t seed = read_test_seed();
  return seed;
}

std::string make_token()
{
  static std::atomic<std::uint64_t> counter{test_seed()};
  for (;;) {
    std::string t = random_token(counter++ * 0x9E3779B97F4A7C15ull);
    if (match::implausible_token_reason(t, 0, t.size()) == nullptr)
      return t;
  }
}

std::string base64_encode(const std::string& s)
{
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(s[i]) << 16 |
                 static_cast<unsigned char>(s[i + 1]) << 8 | static_cast<unsigned char>(s[i + 2]);
    for (int k = 18; k >= 0; k -= 6)
      out.push_back(a[(v >> k) & 63]);
  }
  if (i < s.size()) {
    unsigned v = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size())
      v |= static_cast<unsigned char>(s[i + 1]) << 8;
    out.push_back(a[(v >> 18) & 63]);
    out.push_back(a[(v >> 12) & 63]);
    out.push_back(i + 1 < s.size() ? a[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

} // namespace zenolint::test
