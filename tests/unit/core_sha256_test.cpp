#include <catch2/catch.hpp>

#include "core/sha256.hpp"
#include "core/types.hpp"

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
