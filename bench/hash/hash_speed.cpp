// Hashes the same 64 MiB with the hand-written SHA-1 and SHA-256 zenolint had before commit
// "SHA-1 and SHA-256 through OpenSSL EVP" (built from git history by run.sh), with OpenSSL's EVP
// and with libgit2's git_odb_hash (SHA1DC), best of `rounds` each, in one run; prints MB/s.
#include "core/sha1.hpp"
#include "core/sha256.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <git2.h>
#include <openssl/evp.h>
#include <string>

namespace {

double best_mb_per_s(const std::string& data, int rounds, const std::function<unsigned()>& run)
{
  double best = 0;
  unsigned sink = 0;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    sink += run();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::max(best, static_cast<double>(data.size()) / 1e6 / took.count());
  }
  if (sink == 0xdeadbeef)
    std::puts("");
  return best;
}

unsigned evp(const std::string& data, const char* name)
{
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[EVP_MAX_MD_SIZE];
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinal_ex(ctx, out, nullptr);
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  return out[0];
}

} // namespace

int main(int argc, char** argv)
{
  const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 64;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::string data(mib << 20, '\0');
  std::uint64_t x = 0x9e3779b97f4a7c15u;
  for (auto& c : data) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  git_libgit2_init();
  double own1 = best_mb_per_s(data, rounds, [&] {
    zenolint::Sha1 h;
    h.update(data);
    return static_cast<unsigned>(h.finish()[0]);
  });
  double evp1 = best_mb_per_s(data, rounds, [&] { return evp(data, "SHA1"); });
  double lg2 = best_mb_per_s(data, rounds, [&] {
    git_oid oid;
    git_odb_hash(&oid, data.data(), data.size(), GIT_OBJECT_BLOB);
    return static_cast<unsigned>(oid.id[0]);
  });
  double own256 = best_mb_per_s(data, rounds, [&] {
    zenolint::Sha256 h;
    h.update(data);
    return static_cast<unsigned>(h.finish()[0]);
  });
  double evp256 = best_mb_per_s(data, rounds, [&] { return evp(data, "SHA256"); });
  std::printf("%zu MiB, best of %d, MB/s\n", mib, rounds);
  std::printf(
      "SHA-1   hand-written %8.0f   OpenSSL EVP %8.0f   libgit2 git_odb_hash (SHA1DC) %8.0f\n",
      own1, evp1, lg2);
  std::printf("SHA-256 hand-written %8.0f   OpenSSL EVP %8.0f\n", own256, evp256);
  std::printf("EVP/hand-written: SHA-1 %.1fx, SHA-256 %.1fx; hand-written SHA-1/libgit2 %.2fx\n",
              evp1 / own1, evp256 / own256, own1 / lg2);
  git_libgit2_shutdown();
}
