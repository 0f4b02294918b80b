#pragma once
// SHA-1 (git blob ids of content zenolint hashes itself) and SHA-256 (fingerprints), both through
// OpenSSL's EVP interface (libcrypto); OpenSSL headers stay in digest.cpp. Measured on 64 MiB
// (bench/hash/run.sh): EVP is several times faster than the hand-written functions it replaced.
// A failure inside OpenSSL (out of memory, no provider) throws zenolint::Error.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

namespace zenolint {

// Lower-case hexadecimal digits of `bytes`, two per byte.
std::string hex_lower(const unsigned char* bytes, std::size_t size);

namespace detail {

// One EVP digest context, move-only. `Size` is the digest's length in bytes: 20 selects SHA-1,
// 32 SHA-256.
class EvpDigest {
public:
  explicit EvpDigest(std::size_t size);
  EvpDigest(EvpDigest&& other) noexcept;
  EvpDigest& operator=(EvpDigest&& other) noexcept;
  EvpDigest(const EvpDigest&) = delete;
  EvpDigest& operator=(const EvpDigest&) = delete;
  ~EvpDigest();

  void update(std::string_view data);
  // Writes the digest (the size given to the constructor) to `out`; the context must not be
  // updated or finished again afterwards.
  void finish(unsigned char* out);

private:
  evp_md_ctx_st* m_ctx = nullptr;
};

template <std::size_t Size>
class Digest {
public:
  Digest() : m_digest(Size) {}
  void update(std::string_view data) { m_digest.update(data); }
  // The object must not be updated or finished again afterwards.
  std::array<unsigned char, Size> finish()
  {
    std::array<unsigned char, Size> out{};
    m_digest.finish(out.data());
    return out;
  }
  std::string finish_hex()
  {
    auto d = finish();
    return hex_lower(d.data(), d.size());
  }

private:
  EvpDigest m_digest;
};

} // namespace detail

using Sha1 = detail::Digest<20>;
using Sha256 = detail::Digest<32>;

// One-shot digests as lower-case hex.
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

} // namespace zenolint
