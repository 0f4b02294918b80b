#include "core/read_file.hpp"

#include "core/fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint {
namespace {

bool fail(ReadFileError* error, std::string message, bool missing = false)
{
  if (error) {
    error->missing = missing;
    error->message = std::move(message);
  }
  return false;
}

} // namespace

int open_regular_file(const std::string& path, std::uint64_t limit, std::uint64_t* size,
                      ReadFileError* error, const ReadFileOptions& options)
{
  int open_flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (!options.follow_final_link)
    open_flags |= O_NOFOLLOW;
  Fd fd(::open(path.c_str(), open_flags));
  if (!fd) {
    if (errno == ELOOP && !options.follow_final_link)
      fail(error, "is a symbolic link");
    else
      fail(error, std::strerror(errno), errno == ENOENT);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    fail(error, std::strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    fail(error, "not a regular file");
    return -1;
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit && !options.prefix_only) {
    fail(error,
         "larger than " + std::to_string(limit) + " bytes (" + std::to_string(st.st_size) + ")");
    return -1;
  }
  // Regular files never block; clear the flag so that reads behave as usual.
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0)
    ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  if (size)
    *size = std::min(static_cast<std::uint64_t>(st.st_size), limit);
  return fd.release();
}

bool read_regular_file(const std::string& path, std::uint64_t limit, std::string& out,
                       ReadFileError* error, const ReadFileOptions& options)
{
  std::uint64_t size = 0;
  Fd fd(open_regular_file(path, limit, &size, error, options));
  if (!fd)
    return false;
  out.clear();
  out.resize(static_cast<std::size_t>(size));
  std::size_t done = 0;
  // Read to the end (the file may grow or shrink meanwhile: never past the limit).
  for (;;) {
    if (done == out.size()) {
      if (out.size() >= limit) {
        if (options.prefix_only)
          break;
        char extra = 0; // one byte more means the file grew past the limit
        ssize_t n = ::read(fd.get(), &extra, 1);
        while (n < 0 && errno == EINTR)
          n = ::read(fd.get(), &extra, 1);
        if (n > 0)
          return fail(error, "grew beyond " + std::to_string(limit) + " bytes while being read");
        break;
      }
      out.resize(std::min<std::uint64_t>(limit, out.size() + 65536));
    }
    ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return fail(error, std::strerror(errno));
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return true;
}

} // namespace zenolint
