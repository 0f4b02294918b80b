// Opens libgit2 on its first use, for the zenolint executable only (not a part of zenolint_core:
// tests and fuzzers link libgit2 as usual). The executable calls libgit2 through trampolines
// generated at build time (cmake/Libgit2Trampolines.cmake), one per function zenolint_core calls;
// the first call of any of them lands here, and every slot then points into libgit2. Linked at
// start-up, libgit2 and its dependencies (Kerberos, mbedTLS, libssh2, PCRE2; most built
// BIND_NOW) were most of the pre-commit hook's start-up, and `scan --staged` no longer calls it.
#include "core/shared_library.hpp"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>

extern "C" {
extern const char* const zenolint_git2_names[];
extern const std::size_t zenolint_git2_count;
extern void* zenolint_git2_slots[];
void zenolint_git2_load();
}

void zenolint_git2_load()
{
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      static zenolint::SharedLibrary library({ZENOLINT_LIBGIT2_SONAME}, "libgit2");
      for (std::size_t i = 0; i < zenolint_git2_count; ++i) {
        auto f = library.function<void (*)()>(zenolint_git2_names[i]);
        zenolint_git2_slots[i] = reinterpret_cast<void*>(f);
      }
    } catch (const std::exception& e) {
      // Called from a trampoline, with no unwind information to throw through: an installation
      // without libgit2 ends the run here, as an Error would (exit 2).
      std::fprintf(stderr, "zenolint: error: %s\n", e.what());
      std::fflush(stderr);
      std::_Exit(2);
    }
  });
}
