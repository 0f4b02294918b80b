// core/text.hpp: terminal escaping and UTF-8 repair.
#include "core/text.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

TEST_CASE("terminal_safe: escape sequences and newlines become visible", "[core][text]")
{
  CHECK(terminal_safe("a\x1b]0;pwned\x07z") == "a\\e]0;pwned\\x07z");
  CHECK(terminal_safe("\x1b[2J") == "\\e[2J");
  CHECK(terminal_safe("one\ntwo\r") == "one\\ntwo\\r");
  CHECK(terminal_safe("tab\there") == "tab\there");
  CHECK(terminal_safe(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(terminal_safe("del\x7f") == "del\\x7f");
}

TEST_CASE("terminal_safe: C1 controls, bidi overrides and invalid UTF-8 are escaped",
          "[core][text]")
{
  CHECK(terminal_safe("\xc2\x9b"
                      "31m") == "\\u{9b}31m"); // U+009B CSI
  CHECK(terminal_safe("\x9b"
                      "31m") == "\\x9b31m"); // raw 8-bit CSI byte
  CHECK(terminal_safe("a\xe2\x80\xae"
                      "b") == "a\\u{202e}b");    // RIGHT-TO-LEFT OVERRIDE
  CHECK(terminal_safe("Jos\xe9") == "Jos\\xe9"); // Latin-1
  CHECK(terminal_safe("Jos\xc3\xa9 \xe2\x80\xa6") == "Jos\xc3\xa9 \xe2\x80\xa6"); // valid UTF-8
  CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");                               // overlong '/'
  CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");                      // surrogate
}

TEST_CASE("valid_utf8 replaces each invalid byte with U+FFFD and keeps valid text", "[core][text]")
{
  CHECK(valid_utf8("Jos\xe9") == "Jos\xef\xbf\xbd");
  CHECK(valid_utf8("ok \xc3\xa9") == "ok \xc3\xa9");
  CHECK(valid_utf8("\xf0\x9f\x98") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // > U+10FFFF
  CHECK(latin1_to_utf8("Jos\xe9") == "Jos\xc3\xa9");
}

TEST_CASE("to_utf8 decodes a commit's declared encoding, else repairs", "[core][text]")
{
  CHECK(to_utf8("Jos\xe9", "ISO-8859-1") == "Jos\xc3\xa9");
  CHECK(to_utf8("Jos\xe9", "latin1") == "Jos\xc3\xa9");
  CHECK(to_utf8("\x80", "windows-1252") == "\xe2\x82\xac"); // euro sign, through iconv
  CHECK(to_utf8("\xa4\xa2", "EUC-JP") == "\xe3\x81\x82");   // hiragana a
  CHECK(to_utf8("Jos\xe9", "") == "Jos\xef\xbf\xbd");
  CHECK(to_utf8("Jos\xe9", "UTF-8") == "Jos\xef\xbf\xbd");
  CHECK(to_utf8("Jos\xe9", "no-such-charset") == "Jos\xef\xbf\xbd");
  CHECK(to_utf8("\xa4", "EUC-JP") == "\xef\xbf\xbd"); // truncated multibyte: repaired, no throw
}

TEST_CASE("utf16_to_utf8: BOM dropped, surrogate pairs joined, broken units replaced",
          "[core][text]")
{
  CHECK(utf16_to_utf8(std::string("\xff\xfe"
                                  "a\0\xe9\0",
                                  6),
                      false) == "a\xc3\xa9");
  CHECK(utf16_to_utf8(std::string("\0a\x4e\x2d", 4), true) == "a\xe4\xb8\xad");
  // U+1F600 as D83D DE00 (little-endian).
  CHECK(utf16_to_utf8(std::string("\x3d\xd8\x00\xde", 4), false) == "\xf0\x9f\x98\x80");
  CHECK(utf16_to_utf8(std::string("\x3d\xd8"
                                  "a\0",
                                  4),
                      false) == "\xef\xbf\xbd"
                                "a");
  CHECK(utf16_to_utf8(std::string("a\0b", 3), false) == "a\xef\xbf\xbd");
}

TEST_CASE("human_bytes: bytes below 1 KiB exact, then one decimal in binary units", "[core][text]")
{
  CHECK(zenolint::human_bytes(0) == "0 bytes");
  CHECK(zenolint::human_bytes(1023) == "1023 bytes");
  CHECK(zenolint::human_bytes(1024) == "1.0 KiB");
  CHECK(zenolint::human_bytes(3.5 * 1024 * 1024) == "3.5 MiB");
  CHECK(zenolint::human_bytes(8074736109.0) == "7.5 GiB");
  CHECK(zenolint::human_bytes(5.0 * 1024 * 1024 * 1024 * 1024 * 1024) == "5120.0 TiB");
}

TEST_CASE("starts_with_ci: ASCII letters without case, other bytes exact", "[core][text]")
{
  using zenolint::starts_with_ci;
  CHECK(starts_with_ci("README.md", "readme"));
  CHECK(starts_with_ci("ReadMe", "readme"));
  CHECK(starts_with_ci("readme", "readme"));
  CHECK_FALSE(starts_with_ci("read", "readme"));
  CHECK_FALSE(starts_with_ci("xreadme", "readme"));
  CHECK_FALSE(starts_with_ci("\x12"
                             "eadme",
                             "readme"));
  CHECK_FALSE(starts_with_ci("R\xc5"
                             "ADME",
                             "readme"));
  CHECK(starts_with_ci("anything", ""));
}

TEST_CASE("base64_decode: both alphabets, padding optional, strict otherwise", "[core][text]")
{
  using zenolint::base64_decode;
  CHECK(base64_decode("") == std::string());
  CHECK(base64_decode("Zg==") == std::string("f"));
  CHECK(base64_decode("Zg") == std::string("f"));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("Zm9v") == std::string("foo"));
  CHECK(base64_decode("+/+/") == base64_decode("-_-_"));
  CHECK(base64_decode("+/+/") == std::string("\xfb\xff\xbf"));
  CHECK_FALSE(base64_decode("Z"));      // no encoding has this length
  CHECK_FALSE(base64_decode("Zh=="));   // bits left over: not what an encoder writes
  CHECK_FALSE(base64_decode("Zm9v="));  // misplaced padding
  CHECK_FALSE(base64_decode("Zg=a"));   // '=' inside
  CHECK_FALSE(base64_decode("Zm 9v"));  // whitespace
  CHECK_FALSE(base64_decode("Zm9v\n")); // line end
}
