#include "core/digest.hpp"
#include "git/git.hpp"
#include "support/process.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

namespace {

template <std::size_t N>
std::string hex(const std::array<unsigned char, N>& d)
{
  return hex_lower(d.data(), d.size());
}

// Every split of `msg` into two updates, and byte-by-byte, gives `expected`.
template <typename Digest>
void check_chunking(const std::string& msg, const std::string& expected)
{
  for (std::size_t cut = 0; cut <= msg.size(); cut += 13) {
    Digest h;
    h.update(std::string_view(msg).substr(0, cut));
    h.update(std::string_view(msg).substr(cut));
    REQUIRE(hex(h.finish()) == expected);
  }
  Digest h;
  for (char c : msg)
    h.update(std::string_view(&c, 1));
  CHECK(hex(h.finish()) == expected);
}

} // namespace

TEST_CASE("sha256 matches FIPS 180-4 known answers", "[core][digest]")
{
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
            "nopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  Sha256 h;
  std::string million(1000000, 'a');
  h.update(million.substr(0, 333333));
  h.update(million.substr(333333));
  CHECK(h.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  check_chunking<Sha256>("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha1 matches FIPS 180-4 known answers, in any chunking", "[core][digest]")
{
  CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(
      sha1_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
               "nopqrlmnopqrsmnopqrstnopqrstu") == "a49b2446a02c645bf419f995b67091253a04a259");
  CHECK(sha1_hex(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  std::string msg;
  for (int i = 0; i < 200; ++i)
    msg.push_back(static_cast<char>(i * 7));
  check_chunking<Sha1>(msg, sha1_hex(msg));
  Sha1 h;
  h.update("ab");
  h.update("c");
  CHECK(hex(h.finish()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("digests move with their state", "[core][digest]")
{
  Sha256 a;
  a.update("ab");
  Sha256 b = std::move(a);
  b.update("c");
  CHECK(b.finish_hex() == sha256_hex("abc"));
  Sha1 c;
  c.update("x");
  Sha1 d;
  d = std::move(c);
  d.update("yz");
  CHECK(hex(d.finish()) == sha1_hex("xyz"));
}

TEST_CASE("hex_lower writes two lower-case digits per byte", "[core][digest]")
{
  const unsigned char bytes[] = {0x00, 0x0f, 0xa0, 0xff, 0x5c};
  CHECK(hex_lower(bytes, sizeof bytes) == "000fa0ff5c");
  CHECK(hex_lower(bytes, 0).empty());
}

TEST_CASE("git::blob_hash gives the id git hash-object gives", "[core][digest]")
{
  test::TempDir dir;
  std::string binary;
  for (int i = 0; i < 70000; ++i)
    binary.push_back(static_cast<char>((i * 131) ^ (i >> 8)));
  for (const std::string& content : {std::string(), std::string("hello\n"), binary}) {
    test::write_file(dir / "f", content);
    auto out = test::must_run({"git", "hash-object", "--no-filters", dir / "f"});
    CHECK(git::blob_hash(content).hex() + "\n" == out);
  }
}

TEST_CASE("BlobId round-trips through hex", "[core]")
{
  auto id = BlobId::from_hex("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  REQUIRE(id);
  CHECK(id->hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK_FALSE(BlobId::from_hex("zz9de29bb2d1d6434b8b29ae775ad8c2e48c5391"));
  CHECK_FALSE(BlobId::from_hex("e69de"));
  CHECK(BlobId{}.is_zero());
}
