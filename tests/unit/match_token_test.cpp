#include "core/digest.hpp"
#include "match/token.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <string>

using namespace zenolint;
using match::implausible_token_reason;

namespace {

const char* reason(const std::string& s)
{
  return implausible_token_reason(s, 0, s.size());
}

std::string repeat(const std::string& unit, std::size_t n)
{
  std::string out;
  while (out.size() < n)
    out += unit;
  return out.substr(0, n);
}

} // namespace

TEST_CASE("token checks cost ~0 recall on 1,000,000 uniformly random 60-character tokens",
          "[match][token][slow]")
{
  constexpr std::uint64_t n = 1000000;
  std::map<std::string, std::uint64_t> rejected;
  std::uint64_t total_rejected = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string t = test::random_token(0x5EED0000ull + i);
    if (const char* why = reason(t)) {
      ++rejected[why];
      ++total_rejected;
    }
  }
  std::string summary = "token filters on " + std::to_string(n) +
                        " random tokens: " + std::to_string(total_rejected) + " rejected (recall " +
                        std::to_string(100.0 * double(n - total_rejected) / double(n)) + "%)";
  for (const auto& [why, count] : rejected)
    summary += "; " + why + ": " + std::to_string(count);
  WARN(summary);
  std::cout << summary << '\n';
  // Expected cost: placeholder words in one consistent case (~1 per million), CamelCase-like
  // letter-only strings (~0.1 per million); anything above 20 per million is a regression.
  CHECK(total_rejected <= 20);
  CHECK(rejected.count("low entropy") == 0);
  CHECK(rejected.count("sequential pattern") == 0);
}

TEST_CASE("token checks reject look-alikes", "[match][token]")
{
  std::string t = test::make_token();
  CHECK(reason(t) == nullptr);
  // Hex digests, any case.
  CHECK(std::string(reason(repeat("0123456789abcdef", 60)) ? "rejected" : "") == "rejected");
  std::string hex60 = sha256_hex("zenodo").substr(0, 60);
  CHECK(reason(hex60) != nullptr);
  std::string upper_hex = hex60;
  for (auto& c : upper_hex)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(std::string(reason(upper_hex)) == "not mixed case");
  // Identifiers without digits.
  CHECK(std::string(reason(repeat("AbstractSingletonProxyFactoryBean", 60))) ==
        "identifier without digits");
  // Placeholders, repeated, sequential, low entropy.
  CHECK(std::string(reason(repeat("x", 60))) == "not mixed case");
  CHECK(std::string(reason(repeat("Ab1", 60))) == "low entropy");
  CHECK(std::string(reason(repeat("aB3dE5gH7", 60))) == "low entropy");
  CHECK(reason(repeat(t.substr(0, 30), 60)) != nullptr); // "repeated pattern" or "low entropy"
  CHECK(std::string(reason(std::string(57, 'a') + "Bb1")) == "low entropy");
  std::string seq;
  for (int i = 0; i < 60; ++i)
    seq.push_back("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[i]);
  CHECK(reason(seq) != nullptr);
  CHECK(std::string(reason("YourZenodo" + t.substr(10))) == "placeholder word");
  CHECK(std::string(reason(t.substr(0, 20) + "DUMMY" + t.substr(25))) == "placeholder word");
  // A placeholder word in random mixed case is not a placeholder.
  CHECK(reason(t.substr(0, 20) + "dUmMy" + t.substr(25)) == nullptr);
}

TEST_CASE("token checks reject windows of longer runs", "[match][token]")
{
  std::string t = test::make_token();
  for (const char* before : {"a", "9", "+", "/", "-", "_"}) {
    std::string text = std::string(before) + t;
    CHECK(std::string(implausible_token_reason(text, 1, 60)) == "part of a longer run");
  }
  for (const char* after : {"a", "9", "+", "/", "-", "_", "="}) {
    std::string text = t + after;
    CHECK(std::string(implausible_token_reason(text, 0, 60)) == "part of a longer run");
  }
  // '=' before is an assignment; quotes and escapes around are fine.
  CHECK(implausible_token_reason("=" + t + "\"", 1, 60) == nullptr);
  CHECK(implausible_token_reason("\\\"" + t + "\\n", 2, 60) == nullptr);
  CHECK(implausible_token_reason(t + "\r\n", 0, 60) == nullptr);
  // A shell default `${NAME:-token}` ends in '-' without the '-' being part of the run; a '-'
  // after anything else still is.
  CHECK(implausible_token_reason("${ZENODO_TOKEN:-" + t + "}", 16, 60) == nullptr);
  CHECK(std::string(implausible_token_reason("x--" + t, 3, 60)) == "part of a longer run");
  CHECK(std::string(implausible_token_reason("-" + t, 1, 60)) == "part of a longer run");
}

TEST_CASE("per-rule entropy threshold", "[match][token]")
{
  std::string t = test::make_token();
  match::TokenCheckOptions strict;
  strict.min_entropy = 6.0; // above what 60 characters can reach
  CHECK(std::string(implausible_token_reason(t, 0, 60, strict)) == "low entropy");
  match::TokenCheckOptions lax;
  lax.min_entropy = 0.0;
  CHECK(implausible_token_reason(t, 0, 60, lax) == nullptr);
}

TEST_CASE("redact never shows more than 4 characters", "[match][token]")
{
  std::string t = test::make_token();
  CHECK(match::redact(t) == t.substr(0, 4) + "\u2026");
  CHECK(match::redact("ab") == "a\u2026");
}
