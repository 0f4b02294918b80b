#include "app/ignore.hpp"

#include <catch2/catch.hpp>
#include <iterator>
#include <random>

using zenolint::Diagnostic;
using zenolint::app::glob_match;
using zenolint::app::IgnoreFile;

TEST_CASE("ignore: glob matching", "[ignore]")
{
  CHECK(glob_match("*.json", "a.json"));
  CHECK_FALSE(glob_match("*.json", "dir/a.json")); // '*' stays in one segment
  CHECK(glob_match("**/*.json", "a.json"));
  CHECK(glob_match("**/*.json", "x/y/a.json"));
  CHECK(glob_match("docs/**/ex-?.txt", "docs/ex-1.txt"));
  CHECK(glob_match("docs/**/ex-?.txt", "docs/a/b/ex-1.txt"));
  CHECK_FALSE(glob_match("docs/**/ex-?.txt", "docs/a/ex-12.txt"));
  CHECK(glob_match("dir/**", "dir/a/b"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK_FALSE(glob_match("[!a-c]x", "bx"));
  CHECK(glob_match("\\*lit", "*lit"));
  CHECK_FALSE(glob_match("\\*lit", "xlit"));
  CHECK_FALSE(glob_match("[abc", "a")); // malformed never matches
  CHECK(glob_match("a**b", "axxb"));
  CHECK_FALSE(glob_match("a**b", "a/b"));
}

TEST_CASE("ignore: file entries", "[ignore]")
{
  std::vector<Diagnostic> diags;
  std::string fp(64, 'a');
  auto ig = IgnoreFile::parse("# comment\n\n/rules/\nfixtures\n*.pem\n" + fp +
                                  "  # fake token in docs\n" + "  \n!keep.txt\nsrc/[oops\n" +
                                  std::string(40, 'b') + "\n" + fp + " trailing\n",
                              ".zenolintignore", diags);
  CHECK(ig.ignores_fingerprint(fp));
  CHECK(ig.fingerprint_count() == 1);
  CHECK(ig.glob_count() == 3);
  CHECK(ig.ignores_path("rules/a.json"));
  CHECK_FALSE(ig.ignores_path("src/rules/a.cpp")); // anchored
  CHECK(ig.ignores_path("tests/fixtures/x.txt"));  // unanchored directory name at any depth
  CHECK(ig.ignores_path("fixtures"));
  CHECK(ig.ignores_path("deep/key.pem"));
  CHECK_FALSE(ig.ignores_path("src/main.cpp"));
  REQUIRE(diags.size() == 4);
  CHECK(diags[0].subject == ".zenolintignore:8"); // '!'
  CHECK(diags[1].subject == ".zenolintignore:9"); // unclosed '['
  CHECK(diags[1].message.find("unclosed") != std::string::npos);
  CHECK(diags[2].subject == ".zenolintignore:10"); // 40 hex digits
  CHECK(diags[2].message.find("expected 64") != std::string::npos);
  CHECK(diags[3].subject == ".zenolintignore:11");
}

TEST_CASE("ignore: a trailing slash matches directories only", "[ignore]")
{
  std::vector<Diagnostic> diags;
  auto ig = IgnoreFile::parse("build/\r\n", "f", diags);
  CHECK(diags.empty());
  CHECK(ig.ignores_path("build/x.o"));
  CHECK(ig.ignores_path("sub/build/x.o"));
  CHECK_FALSE(ig.ignores_path("build"));
}

namespace {

// The backtracking matcher the ignore file used before issue 14, kept as the reference for the
// semantics: the NFA must agree with it on every input (it is exponential only on hostile ones).
std::size_t ref_class_length(std::string_view p, std::size_t i)
{
  std::size_t j = i + 1;
  if (j < p.size() && (p[j] == '!' || p[j] == '^'))
    ++j;
  if (j < p.size() && p[j] == ']')
    ++j;
  for (; j < p.size(); ++j) {
    if (p[j] == '\\' && j + 1 < p.size())
      ++j;
    else if (p[j] == ']')
      return j - i + 1;
  }
  return 0;
}

bool ref_class_matches(std::string_view cls, char c)
{
  std::size_t j = 1;
  bool negate = false;
  if (cls[j] == '!' || cls[j] == '^') {
    negate = true;
    ++j;
  }
  bool hit = false;
  std::size_t end = cls.size() - 1;
  bool first = true;
  while (j < end) {
    char lo = cls[j];
    if (lo == ']' && !first)
      break;
    first = false;
    if (lo == '\\' && j + 1 < end)
      lo = cls[++j];
    char hi = lo;
    if (j + 2 < end && cls[j + 1] == '-') {
      hi = cls[j + 2];
      if (hi == '\\' && j + 3 < end) {
        hi = cls[j + 3];
        ++j;
      }
      j += 2;
    }
    if (c >= lo && c <= hi)
      hit = true;
    ++j;
  }
  return hit != negate;
}

bool ref_match_at(std::string_view p, std::size_t pi, std::string_view s, std::size_t si)
{
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      bool seg_start = pi == 0 || p[pi - 1] == '/';
      if (double_star && seg_start && (pi + 2 == p.size() || p[pi + 2] == '/')) {
        if (pi + 2 == p.size())
          return true;
        std::size_t rest = pi + 3;
        if (ref_match_at(p, rest, s, si))
          return true;
        for (std::size_t k = si; k < s.size(); ++k)
          if (s[k] == '/' && ref_match_at(p, rest, s, k + 1))
            return true;
        return false;
      }
      while (pi < p.size() && p[pi] == '*')
        ++pi;
      for (std::size_t k = si;; ++k) {
        if (ref_match_at(p, pi, s, k))
          return true;
        if (k >= s.size() || s[k] == '/')
          return false;
      }
    }
    if (si >= s.size())
      return false;
    if (c == '?') {
      if (s[si] == '/')
        return false;
    } else if (c == '[') {
      std::size_t len = ref_class_length(p, pi);
      if (len == 0 || s[si] == '/' || !ref_class_matches(p.substr(pi, len), s[si]))
        return false;
      pi += len;
      ++si;
      continue;
    } else {
      if (c == '\\' && pi + 1 < p.size())
        c = p[++pi];
      if (c != s[si])
        return false;
    }
    ++pi;
    ++si;
  }
  return si == s.size();
}

// The old IgnoreFile::ignores_path for one glob in anchored form.
bool ref_ignores(std::string_view pattern, bool dir_only, std::string_view path)
{
  for (std::size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1))
    if (ref_match_at(pattern, 0, path.substr(0, i), 0))
      return true;
  return !dir_only && ref_match_at(pattern, 0, path, 0);
}

} // namespace

TEST_CASE("ignore: the linear matcher agrees with the old backtracking one", "[ignore]")
{
  std::mt19937_64 rng(Catch::rngSeed());
  static const char* pattern_parts[] = {"a",    "b",    "/",   "*",  "**", "**/", "/**", "?",
                                        "[ab]", "[!a]", "\\*", "\\", "[",  "]",   "-",   "[a-b]"};
  static const char path_chars[] = {'a', 'b', '/', '*', '-', '['};
  std::size_t agreed = 0, matched = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string p, s;
    for (std::size_t n = rng() % 7; n > 0; --n)
      p += pattern_parts[rng() % std::size(pattern_parts)];
    for (std::size_t n = rng() % 9; n > 0; --n)
      s += path_chars[rng() % std::size(path_chars)];
    bool expect = ref_match_at(p, 0, s, 0);
    INFO("pattern '" << p << "' path '" << s << "'");
    REQUIRE(glob_match(p, s) == expect);
    // The same pattern as an ignore-file line (skipping lines the parser rejects).
    std::vector<Diagnostic> diags;
    auto ig = IgnoreFile::parse(p + "\n", "f", diags);
    if (ig.glob_count() == 1) {
      std::string pat = p;
      bool dir_only = pat.size() > 1 && pat.back() == '/';
      while (pat.size() > 1 && pat.back() == '/')
        pat.pop_back();
      bool anchored = pat.find('/') != std::string::npos;
      if (pat.front() == '/')
        pat.erase(0, 1);
      if (!anchored)
        pat = "**/" + pat;
      REQUIRE(ig.ignores_path(s) == ref_ignores(pat, dir_only, s));
    }
    ++agreed;
    matched += expect;
  }
  CHECK(agreed == 20000);
  CHECK(matched > 500); // the random inputs do exercise matches
}

// Regression (issue 14): `.zenolintignore` is tracked, so anyone can add a pattern that made the
// backtracking matcher run for minutes. The inputs here are far larger than the (which
// took minutes); the NFA needs O(pattern * path) steps for them.
TEST_CASE("ignore: hostile globs finish (no exponential backtracking)", "[ignore][dos]")
{
  std::string deep_dirs;
  for (int i = 0; i < 40; ++i)
    deep_dirs += "**/";
  std::string deep_path;
  for (int i = 0; i < 400; ++i)
    deep_path += "d" + std::to_string(i) + "/";
  CHECK_FALSE(glob_match(deep_dirs + "nomatch", deep_path + "file"));
  CHECK(glob_match(deep_dirs + "file", deep_path + "file"));

  std::string stars;
  for (int i = 0; i < 60; ++i)
    stars += "*a";
  CHECK_FALSE(glob_match(stars + "b", std::string(5000, 'a')));
  CHECK(glob_match(stars, std::string(5000, 'a')));

  std::vector<Diagnostic> diags;
  auto ig = IgnoreFile::parse(deep_dirs + "nomatch\n" + stars + "b\n", ".zenolintignore", diags);
  REQUIRE(ig.glob_count() == 2);
  CHECK_FALSE(ig.ignores_path(deep_path + std::string(5000, 'a')));
  CHECK(diags.empty());
}
