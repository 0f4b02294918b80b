// Token candidates, document headings and the scan-wide resolution (match/context.hpp,
// match/document.hpp).
#include "match/context.hpp"
#include "match/document.hpp"
#include "match/matcher.hpp"
#include "match/token.hpp"
#include "rules/loader.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <random>

using namespace zenolint;
using namespace zenolint::match;
using zenolint::test::make_token;

namespace {

// The obvious reference: every maximal run of exactly 60 letters and digits that passes the
// token checks, or of 60 after the tail of an escape (`%3D`, `\x22`, `\u0022`) the run starts
// with.
std::vector<std::size_t> naive_candidates(std::string_view s)
{
  std::vector<std::size_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!std::isalnum(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j])))
      ++j;
    std::size_t start = i;
    char before = i > 0 ? s[i - 1] : '\0';
    if (before == '%' && j - i == 62)
      start = i + 2;
    if (before == '\\' && s[i] == 'x' && j - i == 63)
      start = i + 3;
    if (before == '\\' && s[i] == 'u' && j - i == 65)
      start = i + 5;
    if (j - start == 60 && implausible_token_reason(s, start, 60) == nullptr)
      out.push_back(start);
    i = j;
  }
  return out;
}

const Matcher& matcher()
{
  static const rules::RuleSet set = rules::default_rules();
  static const Matcher m(set);
  return m;
}

} // namespace

TEST_CASE("token candidates: the strided probe finds exactly the naive runs", "[match][context]")
{
  std::mt19937_64 rng(zenolint::test::test_seed());
  const std::string pieces[] = {" ",   "\n",  "=",       "-",       "+",
                                "\"",  "a",   "Z9",      "word",    "\xc3\xa9",
                                "%3D", "%2B", "\\u0022", "\\u002F", "\\x27"};
  for (int round = 0; round < 300; ++round) {
    std::string s;
    std::size_t parts = rng() % 40;
    for (std::size_t p = 0; p < parts; ++p) {
      switch (rng() % 4) {
      case 0:
        s += make_token();
        break;
      case 1:
        s += make_token().substr(0, 50 + rng() % 20);
        break;
      default:
        s += pieces[rng() % std::size(pieces)];
      }
    }
    CHECK(token_candidates(s, 1000) == naive_candidates(s));
  }
  std::string t = make_token();
  CHECK(token_candidates(t, 10) == std::vector<std::size_t>{0});
  CHECK(token_candidates("x " + t, 10) == std::vector<std::size_t>{2});
  CHECK(token_candidates(t + "a", 10).empty());
  CHECK(token_candidates(t + "\n" + t, 1).size() == 1); // the limit
  // Escaped delimiters before a token (JSON written by .NET, percent-encoded URLs) are
  // boundaries; escaped run characters are not.
  CHECK(token_candidates("access_token%3D" + t + "%26", 10) == std::vector<std::size_t>{15});
  CHECK(token_candidates("x = \\u0022" + t + "\\u0022", 10) == std::vector<std::size_t>{10});
  CHECK(token_candidates("x = \\x27" + t + "\\x27", 10) == std::vector<std::size_t>{8});
  CHECK(token_candidates("a%2B" + t, 10).empty());
  CHECK(token_candidates("\\u002F" + t, 10).empty());
  CHECK(token_candidates(t + "%2B", 10).empty());
  CHECK(token_candidates("x%3D" + t + "b", 10).empty());
}

TEST_CASE("document headings: ATX, setext, reST; fenced code is not a heading", "[match][doc]")
{
  std::string md = "# Project\n\n## Zenodo\n\ntext\n\n```bash\n# not a heading\n```\n\n"
                   "### Setup\n\nline\n";
  auto h = document_headings(md);
  REQUIRE(h.size() == 3);
  CHECK(h[0].text == "Project");
  CHECK(h[1].text == "Zenodo");
  CHECK(h[2].level == 3);
  auto above = headings_above(h, 12);
  REQUIRE(above.size() == 3);
  CHECK(above[0] == "Setup");
  CHECK(above[1] == "Zenodo");
  CHECK(above[2] == "Project");
  std::string rst = "Title\n=====\n\nSection\n-------\n\ntext\n\nOther\n=====\n\nx\n";
  auto r = document_headings(rst);
  REQUIRE(r.size() == 3);
  CHECK(r[1].level == 2);
  auto under_other = headings_above(r, 11);
  REQUIRE(under_other.size() == 1);
  CHECK(under_other[0] == "Other");
  // Org-mode: stars are headings in .org files only, never inside #+BEGIN_ blocks.
  std::string org =
      "* Zenodo\n** Sandbox credentials\n  token x\n#+BEGIN_SRC sh\n* not\n#+END_SRC\n"
      "* Other\n";
  CHECK(document_headings(org).empty());
  auto o = document_headings(org, DocumentKind::org);
  REQUIRE(o.size() == 3);
  CHECK(o[1].level == 2);
  CHECK(o[1].text == "Sandbox credentials");
  auto under_sandbox = headings_above(o, 2);
  REQUIRE(under_sandbox.size() == 2);
  CHECK(under_sandbox[1] == "Zenodo");
  CHECK(headings_above(o, 6).front() == "Other");
  // Email: each message's Subject: line is a top-level heading (a mailbox holds several).
  std::string mbox = "From a@b Mon Jan  1 00:00:00 2024\nSubject: Zenodo sandbox token\n\nhere:\n"
                     "x\n\nFrom c@d Mon Jan  1 00:00:01 2024\nsubject:   Lunch\n\ny\n";
  CHECK(document_headings(mbox).empty());
  auto e = document_headings(mbox, DocumentKind::email);
  REQUIRE(e.size() == 2);
  CHECK(e[0].text == "Zenodo sandbox token");
  CHECK(e[1].text == "Lunch");
  CHECK(headings_above(e, 4).front() == "Zenodo sandbox token");
  CHECK(headings_above(e, 9).front() == "Lunch");
}

TEST_CASE("zenodo use: API hosts and clients count, a DOI badge only mentions", "[match][context]")
{
  CHECK(zenodo_use("requests.post('https://sandbox.zenodo.org/api/deposit')", true).api);
  CHECK(zenodo_use("from zenodo_client import Zenodo", true).api);
  CHECK(zenodo_use("library(zen4R)", true).api);
  auto badge = zenodo_use("[![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.1.svg)]", true);
  CHECK_FALSE(badge.api);
  CHECK(badge.mentions);
  CHECK_FALSE(zenodo_use("https://zenodo.org/api", false).mentions); // caller says no "zenodo"
}

TEST_CASE("resolve: repository matches need context; known secrets are found elsewhere",
          "[match][context]")
{
  std::string t = make_token(), u = make_token();
  auto config = matcher().scan("config.py", "ACCESS_TOKEN = \"" + t + "\"\n");
  REQUIRE(config.matches.size() == 1);
  CHECK(config.matches[0].needs_repository);
  auto copy = matcher().scan("backup.csv", "1," + t + "\n2," + u + "\n");
  CHECK(copy.matches.empty());
  CHECK(copy.candidates.size() == 2);

  SECTION("no context: nothing")
  {
    std::vector<BlobView> views{{&config, "config.py"}, {&copy, "backup.csv"}};
    auto ctx = repository_context(views, "analysis");
    CHECK_FALSE(ctx.uses_zenodo);
    resolve(views, ctx);
    CHECK(config.matches.empty());
    CHECK(copy.matches.empty());
  }
  SECTION("a file that uploads to the sandbox: the match counts, and so does its copy")
  {
    auto upload = matcher().scan(
        "src/upload.py", "requests.post('https://sandbox.zenodo.org/api/deposit/depositions')\n");
    std::vector<BlobView> views{
        {&config, "config.py"}, {&copy, "backup.csv"}, {&upload, "src/upload.py"}};
    auto ctx = repository_context(views, "analysis");
    REQUIRE(ctx.uses_zenodo);
    CHECK(ctx.reason == "repository uploads to sandbox.zenodo.org: src/upload.py");
    resolve(views, ctx);
    REQUIRE(config.matches.size() == 1);
    CHECK(config.matches[0].reason == ctx.reason);
    CHECK(config.matches[0].instance == Instance::sandbox);
    CHECK(config.matches[0].severity == Severity::error); // repository evidence is weak
    REQUIRE(copy.matches.size() == 1);
    CHECK(copy.matches[0].secret == t);
    CHECK(copy.matches[0].rule == config.matches[0].rule); // same rule: same fingerprint
    CHECK(copy.matches[0].line == 1);
    CHECK(copy.matches[0].column == 3);
    CHECK(copy.matches[0].reason == "the same token is a Zenodo token at config.py:1");
  }
  SECTION("the repository's name")
  {
    std::vector<BlobView> views{{&config, "config.py"}};
    auto ctx = repository_context(views, "zenodo-uploader");
    CHECK(ctx.uses_zenodo);
    CHECK(ctx.reason == "the repository's name mentions Zenodo: zenodo-uploader");
  }
}

namespace {

// The definitions zenodo_use and hosts_in had before they searched in place (a lower-cased copy,
// then std::string::find): the reference they must agree with.
std::string lowered(std::string_view s)
{
  std::string l(s);
  for (auto& c : l)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return l;
}

Hosts reference_hosts(std::string_view text)
{
  Hosts h;
  const std::string host = "zenodo.org";
  std::string l = lowered(text);
  auto host_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  };
  for (std::size_t pos = l.find(host); pos != std::string::npos; pos = l.find(host, pos + 1)) {
    std::size_t end = pos + host.size();
    if (end < l.size() && (std::isalnum(static_cast<unsigned char>(l[end])) || l[end] == '-'))
      continue;
    std::string_view before = std::string_view(l).substr(0, pos);
    auto ends = [&](std::string_view s) {
      return before.size() >= s.size() && before.substr(before.size() - s.size()) == s;
    };
    if (ends("sandbox.")) {
      h.sandbox = true;
      continue;
    }
    if (ends("www."))
      before.remove_suffix(4);
    if (!before.empty() && host_char(before.back()))
      continue;
    std::string_view rest = std::string_view(l).substr(end);
    bool citation = false;
    for (std::string_view p : {"/record", "/badge", "/communities", "/doi", "/search"})
      citation |= rest.substr(0, p.size()) == p;
    if (!citation)
      h.production = true;
  }
  return h;
}

bool reference_api(std::string_view content)
{
  static const char* markers[] = {
      "/api/deposit", "zenodo_client", "zenodopy",       "zen4r",          "zenodomanager",
      "zenodraft",    "zenodo_get",    "zenodo-upload",  "zenodo_upload",  "upload-to-zenodo",
      "zenodo_token", "zenodo-token",  "zenodotoken",    "zenodo_api",     "zenodo-api",
      "zenodoapi",    "zenodo_access", "zenodo_sandbox", "zenodoclient",   "zenodo.client",
      "zenodo(",      "zenodo_url",    "zenodo-client",  "zenodo_publish", "zenodo-publish"};
  auto h = reference_hosts(content);
  if (h.production || h.sandbox)
    return true;
  std::string l = lowered(content);
  for (auto m : markers)
    if (l.find(m) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE("zenodo_use and hosts_in agree with the lower-cased reference on random texts",
          "[match][context]")
{
  // Fragments that make hosts and markers, in mixed case, glued at random.
  const std::vector<std::string> pieces = {"zenodo",
                                           "ZENODO",
                                           "Zenodo",
                                           ".org",
                                           ".ORG",
                                           "sandbox.",
                                           "SANDBOX.",
                                           "www.",
                                           "/records/1",
                                           "/badge",
                                           "/api/deposit",
                                           "/API/Deposit",
                                           "_client",
                                           "py",
                                           "Manager",
                                           "draft",
                                           "zen4R",
                                           "_get",
                                           "-upload",
                                           "_Token",
                                           "token",
                                           "api",
                                           "(",
                                           "_url",
                                           "-publish",
                                           "upload-to-",
                                           "Upload-To-",
                                           "help.",
                                           "-",
                                           "x",
                                           " ",
                                           "\n",
                                           ".",
                                           "organisation",
                                           "_",
                                           "\x0e",
                                           "\xc3\xa9"};
  std::mt19937 rng(1234);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    auto n = rng() % 8;
    for (unsigned j = 0; j < n; ++j)
      text += pieces[rng() % pieces.size()];
    INFO("text '" << text << "'");
    auto h = hosts_in(text);
    auto r = reference_hosts(text);
    CHECK(h.production == r.production);
    CHECK(h.sandbox == r.sandbox);
    CHECK(zenodo_use(text, true).api == reference_api(text));
  }
}
