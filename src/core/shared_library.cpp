#include "core/shared_library.hpp"

#include "core/error.hpp"

#include <dlfcn.h>

namespace zenolint {

SharedLibrary::SharedLibrary(std::initializer_list<const char*> names, const std::string& what)
    : m_what(what)
{
  std::string why;
  for (const char* name : names) {
    // Lazy binding: the functions this program calls are looked up (dlsym) by function() right
    // away; what the library calls in its own dependencies is bound on first use. libarchive
    // pulls in libxml2, ICU and a dozen compressors, and binding them all up front took a
    // third of its load time (2.3 ms against 1.5 ms) for calls an archive scan never makes.
    m_handle = ::dlopen(name, RTLD_LAZY | RTLD_LOCAL);
    if (m_handle)
      return;
    const char* e = ::dlerror();
    why = e ? e : name;
  }
  throw Error("cannot load " + what + ": " + why);
}

void* SharedLibrary::address(const char* symbol) const
{
  ::dlerror();
  void* p = ::dlsym(m_handle, symbol);
  if (!p)
    throw Error("cannot load " + m_what + ": no function " + symbol);
  return p;
}

} // namespace zenolint
