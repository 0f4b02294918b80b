#include "core/sha256.hpp"
#include "core/types.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;

TEST_CASE("sha256 matches FIPS 180-4 test vectors", "[core]")
{
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 h;
  std::string million(1000000, 'a');
  h.update(million.substr(0, 333333));
  h.update(million.substr(333333));
  CHECK(h.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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

#include "core/sha1.hpp"

namespace {
std::string hex(const std::array<unsigned char, 20>& d)
{
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (auto b : d) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 0xf]);
  }
  return s;
}
} // namespace

TEST_CASE("sha1 matches FIPS 180-4 test vectors, in any chunking", "[core]")
{
  auto one = [](std::string_view data) {
    Sha1 h;
    h.update(data);
    return hex(h.finish());
  };
  CHECK(one("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(one("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(one("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  std::string million(1000000, 'a');
  CHECK(one(million) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // Every split point of a 200-byte message gives the same digest.
  std::string msg;
  for (int i = 0; i < 200; ++i)
    msg.push_back(static_cast<char>(i * 7));
  auto whole = one(msg);
  for (std::size_t cut = 0; cut <= msg.size(); cut += 13) {
    Sha1 h;
    h.update(std::string_view(msg).substr(0, cut));
    h.update(std::string_view(msg).substr(cut));
    CHECK(hex(h.finish()) == whole);
  }
}
