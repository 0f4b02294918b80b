#include "core/shared_library.hpp"

#include "core/error.hpp"

#include <dlfcn.h>

namespace zenolint {

SharedLibrary::SharedLibrary(std::initializer_list<const char*> names, const std::string& what)
    : m_what(what)
{
  std::string why;
  for (const char* name : names) {
    m_handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
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
