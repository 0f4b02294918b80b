#include "match/keyword.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>

using zenolint::match::KeywordFinder;

namespace {

std::size_t naive_find(std::string text, std::string keyword)
{
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  return lower(text).find(lower(keyword));
}

} // namespace

TEST_CASE("KeywordFinder finds keywords in any case", "[match][keyword]")
{
  KeywordFinder z("zenodo");
  CHECK(z.find("export ZENODO_TOKEN=x") == 7);
  CHECK(z.find("https://sandbox.Zenodo.org") == 16);
  CHECK(z.find("zEnOdO") == 0);
  CHECK(z.find("zenod") == std::string::npos);
  CHECK(z.find("") == std::string::npos);
  CHECK(z.find("zenodzenodo") == 5);
  CHECK(KeywordFinder("zenodo.org").in("see SANDBOX.ZENODO.ORG/api"));
  CHECK_FALSE(KeywordFinder("zenodo.org").in("zenodo-org"));
  CHECK(KeywordFinder("Bearer").keyword() == "bearer");
}

TEST_CASE("KeywordFinder agrees with a lower-cased search on random texts", "[match][keyword]")
{
  std::mt19937 rng(42);
  const std::string alphabet = "zZeEnNoOdD.orgbBaAx \n-_";
  for (const char* kw : {"zenodo", "zenodo.org", "bearer", "sandbox", "z", "o-_"}) {
    KeywordFinder f(kw);
    for (int i = 0; i < 2000; ++i) {
      std::string text(static_cast<std::size_t>(rng() % 40), ' ');
      for (auto& c : text)
        c = alphabet[rng() % alphabet.size()];
      INFO("keyword " << kw << " text '" << text << "'");
      CHECK(f.find(text) == naive_find(text, kw));
    }
  }
}

TEST_CASE("KeywordFinder: every position of long texts, across vector block edges",
          "[match][keyword]")
{
  // The search looks at 32 and 16 starts at a time and then byte by byte: put the keyword at
  // every offset of texts up to 200 bytes, in mixed case, among decoys that share its first and
  // last letters (candidates the full comparison must reject), and check against the naive search.
  std::mt19937 rng(17);
  for (const char* kw : {"zenodo", "zenodo.org", "bearer", "z"}) {
    KeywordFinder f(kw);
    const std::string k = kw;
    for (std::size_t len = k.size(); len <= 200; len += 7) {
      for (std::size_t at = 0; at + k.size() <= len; ++at) {
        std::string text(len, ' ');
        for (auto& c : text) {
          // decoys: the keyword's first and last bytes, 0x0E (folds onto '.'), non-ASCII bytes
          const char pool[] = {k.front(), k.back(), '\x0e', '\xda', 'x', '\n'};
          c = pool[rng() % sizeof pool];
        }
        std::string placed = k;
        for (auto& c : placed)
          if (rng() % 2)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        text.replace(at, k.size(), placed);
        INFO("keyword " << kw << " len " << len << " at " << at);
        CHECK(f.find(text) == naive_find(text, kw));
        text.replace(at, 1, "#"); // broken: found later or not at all
        CHECK(f.find(text) == naive_find(text, kw));
      }
    }
  }
}
