#include "core/digest.hpp"

#include "core/error.hpp"
#include "core/shared_library.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <utility>

namespace zenolint {
namespace {

// libcrypto, opened at the first digest (core/shared_library.hpp): every function this file
// calls, through one table.
#define ZENOLINT_LIBCRYPTO_FUNCTIONS(X)                                                            \
  X(ERR_clear_error)                                                                               \
  X(ERR_error_string_n)                                                                            \
  X(ERR_get_error)                                                                                 \
  X(EVP_DigestFinal_ex)                                                                            \
  X(EVP_DigestInit_ex)                                                                             \
  X(EVP_DigestUpdate)                                                                              \
  X(EVP_MD_CTX_free)                                                                               \
  X(EVP_MD_CTX_new)                                                                                \
  X(EVP_MD_fetch)

struct LibCrypto {
#define ZENOLINT_MEMBER(name) decltype(&::name) name = nullptr;
  ZENOLINT_LIBCRYPTO_FUNCTIONS(ZENOLINT_MEMBER)
#undef ZENOLINT_MEMBER
};

const LibCrypto& lib()
{
  static const LibCrypto table = [] {
    static const SharedLibrary so({ZENOLINT_LIBCRYPTO_SONAME, "libcrypto.so"}, "libcrypto");
    LibCrypto t;
#define ZENOLINT_LOAD(name) t.name = so.function<decltype(&::name)>(#name);
    ZENOLINT_LIBCRYPTO_FUNCTIONS(ZENOLINT_LOAD)
#undef ZENOLINT_LOAD
    return t;
  }();
  return table;
}

[[noreturn]] void fail(const char* what)
{
  unsigned long code = lib().ERR_get_error();
  char reason[256] = "unknown error";
  if (code != 0)
    lib().ERR_error_string_n(code, reason, sizeof(reason));
  lib().ERR_clear_error();
  throw Error(std::string("OpenSSL: ") + what + ": " + reason);
}

// The algorithm, fetched from the default provider once per process (an implicit fetch on every
// EVP_DigestInit_ex costs more than hashing a small file). Never freed: it lives as long as the
// process, and EVP_MD objects may be shared between threads.
const EVP_MD* algorithm(std::size_t size)
{
  static const EVP_MD* sha1 = lib().EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* sha256 = lib().EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const EVP_MD* md = size == 20 ? sha1 : size == 32 ? sha256 : nullptr;
  if (!md)
    fail(size == 20 ? "SHA-1 not available" : "SHA-256 not available");
  return md;
}

} // namespace

std::string hex_lower(const unsigned char* bytes, std::size_t size)
{
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0xf];
  }
  return out;
}

namespace detail {

EvpDigest::EvpDigest(std::size_t size) : m_ctx(lib().EVP_MD_CTX_new())
{
  if (!m_ctx)
    fail("cannot allocate a digest context");
  if (lib().EVP_DigestInit_ex(m_ctx, algorithm(size), nullptr) != 1) {
    lib().EVP_MD_CTX_free(m_ctx);
    fail("cannot initialise a digest");
  }
}

EvpDigest::EvpDigest(EvpDigest&& other) noexcept : m_ctx(std::exchange(other.m_ctx, nullptr)) {}

EvpDigest& EvpDigest::operator=(EvpDigest&& other) noexcept
{
  if (this != &other) {
    if (m_ctx)
      lib().EVP_MD_CTX_free(m_ctx);
    m_ctx = std::exchange(other.m_ctx, nullptr);
  }
  return *this;
}

EvpDigest::~EvpDigest()
{
  if (m_ctx) // moved from: no need to open the library for that
    lib().EVP_MD_CTX_free(m_ctx);
}

void EvpDigest::update(std::string_view data)
{
  if (lib().EVP_DigestUpdate(m_ctx, data.data(), data.size()) != 1)
    fail("digest update failed");
}

void EvpDigest::finish(unsigned char* out)
{
  if (lib().EVP_DigestFinal_ex(m_ctx, out, nullptr) != 1)
    fail("digest final failed");
}

} // namespace detail

std::string sha1_hex(std::string_view data)
{
  Sha1 h;
  h.update(data);
  return h.finish_hex();
}

std::string sha256_hex(std::string_view data)
{
  Sha256 h;
  h.update(data);
  return h.finish_hex();
}

} // namespace zenolint
