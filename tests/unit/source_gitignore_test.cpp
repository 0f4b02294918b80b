#include "source/gitignore.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

using namespace zenolint::source;

namespace {

// Whether `path` is ignored by `text` as the top-level .gitignore (no other files).
bool ignored(const std::string& text, const std::string& path, bool is_dir = false,
             bool icase = false)
{
  auto node = std::make_shared<IgnoreNode>();
  node->list = parse_ignore_list(text, "");
  IgnoreRules rules({}, icase);
  return rules.excluded(path, is_dir, node.get());
}

} // namespace

TEST_CASE("wildmatch: git's documented cases", "[gitignore]")
{
  // gitignore(5) and wildmatch semantics: '*' and '?' stop at '/' in pathname mode.
  CHECK(wildmatch("foo", "foo", wm_pathname));
  CHECK_FALSE(wildmatch("foo", "bar", wm_pathname));
  CHECK(wildmatch("???", "abc", wm_pathname));
  CHECK(wildmatch("*", "foo", wm_pathname));
  CHECK_FALSE(wildmatch("*", "foo/bar", wm_pathname));
  CHECK(wildmatch("*", "foo/bar", 0)); // without pathname mode '*' crosses '/'
  CHECK(wildmatch("**", "foo/bar", wm_pathname));
  CHECK(wildmatch("**/foo", "foo", wm_pathname));
  CHECK(wildmatch("**/foo", "a/b/foo", wm_pathname));
  CHECK(wildmatch("foo/**", "foo/a/b", wm_pathname));
  CHECK_FALSE(wildmatch("foo/**", "foo", wm_pathname));
  CHECK(wildmatch("a/**/b", "a/b", wm_pathname));
  CHECK(wildmatch("a/**/b", "a/x/b", wm_pathname));
  CHECK(wildmatch("a/**/b", "a/x/y/b", wm_pathname));
  CHECK_FALSE(wildmatch("a/**b", "a/x/b", wm_pathname)); // "**" not a whole component: a '*'
  CHECK(wildmatch("a/**b", "a/xb", wm_pathname));
  CHECK(wildmatch("foo/*", "foo/bar", wm_pathname));
  CHECK_FALSE(wildmatch("foo/*", "foo/bar/baz", wm_pathname));
  CHECK(wildmatch("\\*", "*", wm_pathname));
  CHECK_FALSE(wildmatch("\\*", "x", wm_pathname));
  CHECK(wildmatch("\\#a", "#a", 0));
  CHECK(wildmatch("[a-c]x", "bx", 0));
  CHECK_FALSE(wildmatch("[a-c]x", "dx", 0));
  CHECK(wildmatch("[!a-c]x", "dx", 0));
  CHECK(wildmatch("[^a-c]x", "dx", 0));
  CHECK_FALSE(wildmatch("[!a-c]x", "ax", 0));
  CHECK(wildmatch("[]]", "]", 0));
  CHECK(wildmatch("[]-]", "-", 0));
  CHECK(wildmatch("[[:digit:]][[:upper:]]", "7Q", 0));
  CHECK_FALSE(wildmatch("[[:digit:]]", "x", 0));
  CHECK(wildmatch("[[:alpha:][:digit:]]", "x", 0));
  CHECK_FALSE(wildmatch("[[:nope:]]", "x", 0));     // malformed class: no match at all
  CHECK_FALSE(wildmatch("[a/]", "/", wm_pathname)); // a class never matches '/' in paths
  CHECK(wildmatch("ABC", "abc", wm_casefold));
  CHECK_FALSE(wildmatch("ABC", "abc", 0));
  CHECK(wildmatch("[A-C]", "b", wm_casefold));
  CHECK_FALSE(wildmatch("[", "[", 0)); // unterminated class
  CHECK(wildmatch("a\\", "a", 0) == false);
}

TEST_CASE("wildmatch: hostile patterns finish (no exponential backtracking)", "[gitignore]")
{
  std::string pattern;
  for (int i = 0; i < 40; ++i)
    pattern += "*a";
  pattern += "*b";
  const std::string text(4000, 'a');
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(wildmatch(pattern, text, 0));
  CHECK_FALSE(wildmatch(pattern, text, wm_pathname));
  std::string starstar;
  for (int i = 0; i < 40; ++i)
    starstar += "**/a/";
  starstar += "b";
  std::string deep;
  for (int i = 0; i < 1000; ++i)
    deep += "a/";
  deep += "c";
  CHECK_FALSE(wildmatch(starstar, deep, wm_pathname));
  // Not a wall-clock limit: the elapsed time is printed for the record only. Exponential
  // backtracking would not finish at all.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  INFO("hostile matching took " << ms << " ms");
  SUCCEED();
}

TEST_CASE("gitignore: parsing as git's dir.c", "[gitignore]")
{
  auto list = parse_ignore_list("\xEF\xBB\xBF# comment\n\n*.log\r\n!keep.log\nbuild/\n/top\n"
                                "trail   \nesc\\ \\ \n\\#hash\n\\!bang\na/b\n   \n",
                                "");
  REQUIRE(list.patterns.size() == 10);
  CHECK(list.patterns[0].pattern == "*.log");
  CHECK(list.patterns[0].ends_with);
  CHECK(list.patterns[0].basename_only);
  CHECK(list.patterns[1].negative);
  CHECK(list.patterns[1].pattern == "keep.log");
  CHECK(list.patterns[2].dir_only);
  CHECK(list.patterns[2].pattern == "build");
  CHECK_FALSE(list.patterns[3].basename_only);
  CHECK(list.patterns[4].pattern == "trail");
  CHECK(list.patterns[5].pattern == "esc\\ \\ ");
  CHECK(list.patterns[6].pattern == "\\#hash");
  CHECK(list.patterns[7].pattern == "\\!bang");
  CHECK_FALSE(list.patterns[7].negative);
  CHECK_FALSE(list.patterns[8].basename_only);
  CHECK(list.patterns[9].pattern.empty()); // spaces only: an empty pattern that matches nothing
}

TEST_CASE("gitignore: the examples of gitignore(5)", "[gitignore]")
{
  // "hello.*" matches any file or directory whose name begins with "hello.".
  CHECK(ignored("hello.*\n", "hello.c"));
  CHECK(ignored("hello.*\n", "x/hello.h"));
  // "foo/" matches a directory foo and paths underneath it, not a file or symbolic link foo.
  CHECK(ignored("foo/\n", "foo", true));
  CHECK(ignored("foo/\n", "a/foo", true));
  CHECK_FALSE(ignored("foo/\n", "foo", false));
  // "doc/frotz" and "/doc/frotz" are the same (a middle slash anchors); "frotz/" any depth.
  CHECK(ignored("doc/frotz\n", "doc/frotz"));
  CHECK_FALSE(ignored("doc/frotz\n", "a/doc/frotz"));
  CHECK(ignored("/doc/frotz\n", "doc/frotz"));
  CHECK(ignored("frotz/\n", "a/frotz", true));
  // "/bar" only at the top; "bar" at any depth.
  CHECK(ignored("/bar\n", "bar"));
  CHECK_FALSE(ignored("/bar\n", "a/bar"));
  CHECK(ignored("bar\n", "a/bar"));
  // "foo/*" matches foo/test.json and foo/bar, not foo/bar/hello.c.
  CHECK(ignored("foo/*\n", "foo/test.json"));
  CHECK(ignored("foo/*\n", "foo/bar", true));
  CHECK_FALSE(ignored("foo/*\n", "foo/bar/hello.c"));
  // Leading, trailing and middle "**".
  CHECK(ignored("**/foo\n", "x/y/foo"));
  CHECK(ignored("**/foo/bar\n", "x/foo/bar"));
  CHECK(ignored("abc/**\n", "abc/x/y"));
  CHECK(ignored("a/**/b\n", "a/b"));
  CHECK(ignored("a/**/b\n", "a/x/y/b"));
  // Negation: the last matching pattern wins; "\!" and "\#" are literal.
  CHECK_FALSE(ignored("*.log\n!keep.log\n", "keep.log"));
  CHECK(ignored("!keep.log\n*.log\n", "keep.log"));
  CHECK(ignored("\\!important!.txt\n", "!important!.txt"));
  CHECK(ignored("\\#x\n", "#x"));
  CHECK_FALSE(ignored("#x\n", "#x")); // a comment
  // Trailing spaces are trimmed unless escaped.
  CHECK(ignored("name   \n", "name"));
  CHECK(ignored("name\\ \n", "name "));
  CHECK_FALSE(ignored("name\\ \n", "name"));
  // core.ignoreCase folds ASCII letters.
  CHECK(ignored("*.LOG\n", "a.log", false, true));
  CHECK_FALSE(ignored("*.LOG\n", "a.log", false, false));
}

TEST_CASE("gitignore: precedence of directories and exclude files", "[gitignore]")
{
  auto top = std::make_shared<IgnoreNode>();
  top->list = parse_ignore_list("*.txt\n", "");
  auto sub = std::make_shared<IgnoreNode>();
  sub->parent = top;
  sub->list = parse_ignore_list("!keep.txt\n/anchored\n", "sub/");
  std::vector<IgnoreList> files;
  files.push_back(parse_ignore_list("!*.txt\nfrom-exclude\n", "")); // info/exclude
  files.push_back(parse_ignore_list("from-global\nfrom-exclude-too\n!from-exclude\n", ""));
  IgnoreRules rules(std::move(files), false);
  CHECK(rules.excluded("sub/a.txt", false, sub.get()));
  CHECK_FALSE(rules.excluded("sub/keep.txt", false, sub.get())); // deeper file wins
  CHECK(rules.excluded("sub/anchored", false, sub.get()));       // relative to sub/
  CHECK_FALSE(rules.excluded("sub/x/anchored", false, sub.get()));
  CHECK(rules.excluded("a.txt", false, top.get())); // .gitignore over info/exclude's negation
  CHECK(rules.excluded("from-exclude", false, top.get())); // info/exclude over excludesFile
  CHECK(rules.excluded("from-global", false, top.get()));
  CHECK_FALSE(rules.excluded("other", false, top.get()));
}

TEST_CASE("gitignore: long patterns are dropped and counted", "[gitignore]")
{
  std::string text = std::string(max_pattern_length + 1, 'x') + "\nshort\n";
  std::size_t dropped = 0;
  auto list = parse_ignore_list(text, "", &dropped);
  CHECK(dropped == 1);
  REQUIRE(list.patterns.size() == 1);
  CHECK(list.patterns[0].pattern == "short");
}
