#include "support/tokens.hpp"

#include "match/token.hpp"

#include <atomic>
#include <random>

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

std::string make_token()
{
  static std::atomic<std::uint64_t> counter{std::random_device{}()};
  for (;;) {
    std::string t = random_token(counter++ * 0x9E3779B97F4A7C15ull);
    if (match::implausible_token_reason(t, 0, t.size()) == nullptr)
      return t;
  }
}

} // namespace zenolint::test
