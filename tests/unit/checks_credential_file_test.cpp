#include "checks/credential_file.hpp"
#include "checks/label_words.hpp"
#include "match/instance.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace zenolint;
using namespace zenolint::checks;
using zenolint::test::make_token;

namespace {

bool has_diagnostic(const ParsedFile& p, const std::string& subject, const std::string& part)
{
  for (const auto& d : p.diagnostics)
    if (d.subject == subject && d.message.find(part) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE("zenodorc: sections decide the instance, keys keep their position", "[checks]")
{
  auto t1 = make_token(), t2 = make_token();
  auto p = parse(FileKind::zenodorc,
                 "; zenopy\n[ZENODO]\n  MYTOKEN_ALL = " + t1 +
                     "\n\n[SANDBOX]\n# c\nMYTOKEN_ALL_SB: " + t2 + "\n",
                 "f");
  REQUIRE(p.entries.size() == 2);
  CHECK(p.diagnostics.empty());
  CHECK(p.entries[0].label == "MYTOKEN_ALL");
  CHECK(p.entries[0].instance == Instance::production);
  CHECK(p.entries[0].default_read);
  CHECK(p.entries[0].line == 3);
  CHECK(p.entries[0].column == 3);
  CHECK(p.entries[0].end_column == 14);
  CHECK(p.entries[0].token == t1);
  CHECK(p.entries[1].instance == Instance::sandbox);
  CHECK_FALSE(p.entries[1].default_read);
  CHECK(p.entries[1].line == 7);
  CHECK(p.entries[1].token == t2);
}

TEST_CASE("zenodorc: malformed input becomes diagnostics with file and line", "[checks]")
{
  auto t = make_token();
  SECTION("BOM and CRLF")
  {
    auto p = parse(FileKind::zenodorc, "\xEF\xBB\xBF[ZENODO]\r\nkey = " + t + "\r\n", "rc");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].value == t);
    CHECK(p.entries[0].line == 2);
    CHECK(has_diagnostic(p, "rc:1", "byte-order mark"));
  }
  SECTION("no section header")
  {
    auto p = parse(FileKind::zenodorc, "key = " + t + "\n", "rc");
    CHECK(has_diagnostic(p, "rc:1", "MissingSectionHeaderError"));
  }
  SECTION("duplicate section")
  {
    auto p = parse(FileKind::zenodorc, "[ZENODO]\na = 1\n[ZENODO]\nb = 2\n", "rc");
    CHECK(has_diagnostic(p, "rc:3", "appears again (first on line 1)"));
    CHECK(p.entries.size() == 2);
  }
  SECTION("continuation line")
  {
    auto p = parse(FileKind::zenodorc, "[ZENODO]\nkey = " + t + "\n   more\n", "rc");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].value == t + "\nmore");
    CHECK(has_diagnostic(p, "rc:3", "continues the value of 'key'"));
  }
  SECTION("quotes, spaces and inline comments are kept by configparser")
  {
    auto p = parse(FileKind::zenodorc,
                   "[ZENODO]\na = \"" + t + "\"\nb = " + t + " ; mine\n#c = " + t + "\n", "rc");
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries[0].token == t);
    CHECK(p.entries[1].token == t);
    CHECK(has_diagnostic(p, "rc:2", "characters around the token"));
    CHECK(has_diagnostic(p, "rc:3", "characters around the token"));
  }
  SECTION("a line without delimiter")
  {
    auto p = parse(FileKind::zenodorc, "[ZENODO]\njust words\n", "rc");
    CHECK(p.entries.empty());
    CHECK(has_diagnostic(p, "rc:2", "ParsingError"));
  }
  SECTION("binary garbage does not crash")
  {
    std::string junk(4096, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i)
      junk[i] = static_cast<char>((i * 131) & 0xff);
    auto p = parse(FileKind::zenodorc, junk, "rc");
    CHECK(p.entries.size() < 4096);
  }
}

TEST_CASE("zenodopy: exact keys, everything else ignored", "[checks]")
{
  auto t1 = make_token(), t2 = make_token();
  auto p = parse(FileKind::zenodopy,
                 "ACCESS_TOKEN: " + t1 + "\nACCESS_TOKEN-sandbox:" + t2 +
                     "\nACCESS_TOKEN : x\nOTHER: " + t1 + "\nno colon\n",
                 "tok");
  REQUIRE(p.entries.size() == 2);
  CHECK(p.entries[0].instance == Instance::production);
  CHECK(p.entries[0].default_read);
  CHECK(p.entries[1].instance == Instance::sandbox);
  CHECK(p.entries[1].token == t2);
  CHECK(has_diagnostic(p, "tok:3", "spaces before ':'"));
  CHECK(has_diagnostic(p, "tok:4", "reads only ACCESS_TOKEN"));
}

TEST_CASE("toml: [tokens] keys and [tokens.sandbox] tables", "[checks]")
{
  auto t1 = make_token(), t2 = make_token();
  auto p = parse(FileKind::toml,
                 "title = \"x\"\n[tokens]\nproduction = \"" + t1 + "\" # main\nsandbox = '" + t2 +
                     "'\nbad = unquoted\n[tokens.sandbox]\nmine = \"" + t2 + "\"\n",
                 "t.toml");
  REQUIRE(p.entries.size() == 4);
  CHECK(p.entries[0].instance == Instance::production);
  CHECK(p.entries[0].value == t1);
  CHECK(p.entries[1].instance == Instance::sandbox);
  CHECK(p.entries[3].instance == Instance::sandbox);
  CHECK(p.entries[3].section == "tokens.sandbox");
  CHECK(has_diagnostic(p, "t.toml:5", "not a TOML string"));
}

TEST_CASE("kinds from names and content", "[checks]")
{
  CHECK(kind_from_name(".zenodorc") == FileKind::zenodorc);
  CHECK(kind_from_name(".zenodo_token") == FileKind::zenodopy);
  CHECK(kind_from_name(".zenodo.toml") == FileKind::toml);
  CHECK_FALSE(kind_from_name("zenodorc.bak"));
  CHECK(sniff_kind("ACCESS_TOKEN: x\n") == FileKind::zenodopy);
  CHECK(sniff_kind("[tokens]\n") == FileKind::toml);
  CHECK(sniff_kind("[ZENODO]\n") == FileKind::ini);
}

TEST_CASE("placeholders", "[checks]")
{
  for (const char* v : {"", "<FIXME>", "your_access_token_here", "\"CHANGEME\"", "xxxxxxxx", "...",
                        "<token>", "TODO"})
    CHECK(is_placeholder(v));
  CHECK_FALSE(is_placeholder(make_token()));
  CHECK_FALSE(is_placeholder("${ZENODO_TOKEN}"));
}

TEST_CASE("label claims and suggestions", "[checks]")
{
  CHECK(label_claim("MYTOKEN_ALL_SB") == Instance::sandbox);
  CHECK(label_claim("mytoken-sandbox") == Instance::sandbox);
  CHECK(label_claim("myTokenSB") == Instance::sandbox);
  CHECK(label_claim("mysandbox") == Instance::sandbox);
  CHECK(label_claim("MYTOKEN_PROD") == Instance::production);
  CHECK(label_claim("token_live") == Instance::production);
  CHECK(label_claim("Production") == Instance::production);
  CHECK(label_claim("MYTOKEN_ALL") == Instance::unknown);
  CHECK(label_claim("usb_token") == Instance::unknown);
  CHECK(label_claim("delivery") == Instance::unknown);
  CHECK(label_claim("prod_sb") == Instance::unknown); // both: no claim
  CHECK(suggest_label("MYTOKEN_ALL_SB", Instance::production) == "MYTOKEN_ALL");
  CHECK(suggest_label("MYTOKEN_ALL_PROD", Instance::sandbox) == "MYTOKEN_ALL_SB");
  CHECK(suggest_label("MYTOKEN_ALL", Instance::sandbox) == "MYTOKEN_ALL_SB");
  CHECK(suggest_label("token_live", Instance::sandbox) == "token_sb");
  CHECK(suggest_label("SB", Instance::production) == "TOKEN");
  CHECK(instance_of_section("ZENODO") == Instance::production);
  CHECK(instance_of_section("zenodo:sandbox") == Instance::sandbox);
  CHECK(instance_of_section("SANDBOX") == Instance::sandbox);
  CHECK(instance_of_section("github") == Instance::unknown);
}

TEST_CASE("credential_file: one table entry per format drives names, sniffing and parsing",
          "[checks]")
{
  std::set<FileKind> kinds;
  for (const auto& f : file_formats()) {
    INFO(f.description);
    CHECK(kinds.insert(f.kind).second); // one entry per kind
    CHECK(&format_of(f.kind) == &f);
    CHECK(to_string(f.kind) == f.description);
    REQUIRE(f.parse != nullptr);
    CHECK(parse(f.kind, "", "x").kind == f.kind);
    CHECK_FALSE(f.duplicate_consequence.empty());
    for (auto name : f.file_names) {
      CHECK(kind_from_name(name) == f.kind);
      CHECK_FALSE(kind_from_name("sub/" + std::string(name)));
      // The instance classifier knows the same client file names.
      CHECK(zenolint::match::client_file_kind(name).has_value());
      CHECK(is_config_file_name(name));
    }
    if (!f.sniff_prefix.empty())
      CHECK(sniff_kind("\n  " + std::string(f.sniff_prefix) + " x\n") == f.kind);
    // A client that reads the file by default says where each instance's token belongs.
    if (!f.client.empty())
      CHECK((!f.production_home.empty() && !f.sandbox_home.empty()));
  }
  for (auto k : {FileKind::zenodorc, FileKind::zenodopy, FileKind::toml, FileKind::ini})
    CHECK(kinds.count(k) == 1);
  CHECK(client_file_names() ==
        std::vector<std::string>{".zenodorc", ".zenodo_token", ".zenodo.toml"});
}
