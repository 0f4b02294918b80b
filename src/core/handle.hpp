#pragma once
// The one owner of a C library handle: a unique_ptr whose deleter calls the library's free
// function (skipped for null). Used for libgit2 (`git::Repository`...) and libcurl handles.
// Anchors: ccache `src/ccache/util/fd.hpp`; KiCad `common/git/kicad_git_memory.h`.
#include <memory>

namespace zenolint {

template <auto FreeFn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept
  {
    if (p)
      FreeFn(p);
  }
};

// Handle<git_repository, git_repository_free>, Handle<CURL, curl_easy_cleanup>, ...
template <typename T, auto FreeFn>
using Handle = std::unique_ptr<T, Deleter<FreeFn>>;

} // namespace zenolint
