#pragma once
// A shared library opened when first needed (dlopen), for dependencies that only some runs use:
// libarchive (archives met in a scan), libcurl (`scan --verify`) and libcrypto (the first digest).
// Linked at build time, their ~30 dependent libraries were loaded and relocated by every run,
// about 5.5 ms of CPU per start-up, most of a pre-commit hook's budget (ARCHITECTURE.md, "The hook
// path").
#include <cstring>
#include <initializer_list>
#include <string>

namespace zenolint {

class SharedLibrary {
public:
  // Opens the first of `names` that loads (RTLD_LAZY | RTLD_LOCAL; function() resolves at once).
  // Throws Error naming `what` and the loader's reason when none does (an installation without the
  // library: fatal, exit 2).
  SharedLibrary(std::initializer_list<const char*> names, const std::string& what);
  // The library stays loaded for the life of the process (function tables point into it).
  ~SharedLibrary() = default;
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The function `symbol`, as the function pointer type `F`. Throws Error when it is missing.
  template <typename F>
  F function(const char* symbol) const
  {
    void* p = address(symbol);
    F f;
    static_assert(sizeof f == sizeof p);
    std::memcpy(&f, &p, sizeof f);
    return f;
  }

private:
  void* address(const char* symbol) const;
  void* m_handle = nullptr;
  std::string m_what;
};

} // namespace zenolint
