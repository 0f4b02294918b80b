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

namespace {

// The longest run of ASCII letters and digits, byte by byte.
std::size_t naive_longest_run(const std::string& text)
{
  std::size_t best = 0, run = 0;
  for (char c : text) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    run = alnum ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

} // namespace

TEST_CASE("KeywordSet agrees with one KeywordFinder per keyword and a byte loop for runs",
          "[match][keyword]")
{
  using zenolint::match::KeywordSet;
  // Keyword sets that take each path: contained keywords ("zenodo.org" holds "zenodo"),
  // duplicates in another case, one to four searched directly (vector loop), five (plain loop),
  // one-byte keywords, and none.
  const std::vector<std::vector<std::string>> sets = {
      {"zenodo", "bearer", "zenodo.org"},  {"zenodo.org", "Zenodo", "zenodo"}, {"z"},
      {"o-_", "bearer", "sandbox", "zen"}, {"a1", "b2", "c3", "d4", "e5"},     {},
  };
  std::mt19937 rng(7);
  for (const auto& keywords : sets) {
    KeywordSet set(keywords);
    REQUIRE(set.size() == keywords.size());
    for (int round = 0; round < 3000; ++round) {
      // Texts of 0 to 400 bytes: letters and digits in long runs (around the 60 threshold, across
      // 32-byte blocks), the keywords' bytes, keywords placed in mixed case, separators, 0x0E and
      // non-ASCII bytes (which fold onto other bytes).
      std::size_t len = rng() % 401;
      std::string text;
      while (text.size() < len) {
        switch (rng() % 6) {
        case 0: {
          std::size_t n = 50 + rng() % 20;
          for (std::size_t i = 0; i < n; ++i)
            text += "aZ09kQ"[rng() % 6];
          break;
        }
        case 1:
          if (!keywords.empty()) {
            std::string k = keywords[rng() % keywords.size()];
            for (auto& c : k)
              if (rng() % 2)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            text += k;
          }
          break;
        case 2:
          text += " .\n\x0e\xda\x80_-"[rng() % 8];
          break;
        default:
          text += "zenodo.rgbaxZENODOB01 "[rng() % 22];
        }
      }
      text.resize(len);
      INFO("keywords " << keywords.size() << " text '" << text << "'");
      for (bool want_run : {false, true}) {
        auto hits = set.scan(text, want_run);
        for (std::size_t k = 0; k < keywords.size(); ++k)
          CHECK(((hits.present >> k) & 1) == (naive_find(text, keywords[k]) != std::string::npos));
        CHECK(hits.long_run == (want_run && naive_longest_run(text) >= KeywordSet::run_length));
      }
    }
  }
}

TEST_CASE("KeywordSet: a run of 60 at every offset and length around it", "[match][keyword]")
{
  // The vector loop carries a run across 32-byte blocks and hands it to the byte loop at the end:
  // runs of 58 to 62 letters and digits at every offset of texts up to 200 bytes.
  using zenolint::match::KeywordSet;
  KeywordSet set({"zenodo", "bearer"});
  for (std::size_t len = 58; len <= 200; len += 13)
    for (std::size_t n = 58; n <= 62 && n <= len; ++n)
      for (std::size_t at = 0; at + n <= len; ++at) {
        std::string text(len, ' ');
        for (std::size_t i = 0; i < n; ++i)
          text[at + i] = "aB3"[i % 3];
        INFO("len " << len << " run " << n << " at " << at);
        CHECK(set.scan(text, true).long_run == (n >= 60));
        if (at + n < len)
          text[at + n] = 'x'; // the run grows by one: the byte after it
        CHECK(set.scan(text, true).long_run == (naive_longest_run(text) >= 60));
      }
}
