#include "app/ignore.hpp"

#include <catch2/catch.hpp>

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
