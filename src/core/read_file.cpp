#include "core/read_file.hpp"

#include "core/fd.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace zenolint {
static_assert(AT_FDCWD == -100, "ReadFileOptions::dir_fd's default");
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

int open_below(int dir_fd, const char* path, int flags)
{
  static std::atomic<bool> no_openat2{false};
  if (!no_openat2.load(std::memory_order_relaxed)) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags);
    how.resolve = RESOLVE_NO_SYMLINKS;
    long fd = ::syscall(SYS_openat2, dir_fd, path, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS)
      return static_cast<int>(fd);
    no_openat2.store(true, std::memory_order_relaxed);
  }
  return ::openat(dir_fd, path, flags);
}

namespace {

// open_regular_file, but the descriptor keeps O_NONBLOCK: reads of a regular file do not block
// anyway on local file systems, and read_to_end clears the flag if one says EAGAIN (two fcntl
// calls per file were a tenth of a working-tree scan's system calls).
int open_regular_nonblocking(const std::string& path, std::uint64_t limit, std::uint64_t* size,
                             ReadFileError* error, const ReadFileOptions& options)
{
  int open_flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (!options.follow_final_link)
    open_flags |= O_NOFOLLOW;
  // Below a directory the scan opened, no component may be a link (a directory swapped for one).
  Fd fd(!options.follow_final_link && options.dir_fd != AT_FDCWD && !path.empty() && path[0] != '/'
            ? open_below(options.dir_fd, path.c_str(), open_flags)
            : ::openat(options.dir_fd, path.c_str(), open_flags));
  if (!fd) {
    if (errno == ELOOP && !options.follow_final_link) {
      fail(error, "is a symbolic link");
      if (error)
        error->link = true;
    } else
      fail(error, std::strerror(errno), errno == ENOENT);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    fail(error, std::strerror(errno));
    return -1;
  }
  if (options.stat_out)
    *options.stat_out = st;
  if (!S_ISREG(st.st_mode)) {
    fail(error, "not a regular file");
    return -1;
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit && !options.prefix_only) {
    if (error)
      error->too_large = true;
    fail(error,
         "larger than " + std::to_string(limit) + " bytes (" + std::to_string(st.st_size) + ")");
    return -1;
  }
  if (size)
    *size = std::min(static_cast<std::uint64_t>(st.st_size), limit);
  return fd.release();
}

// Makes reads of `fd` blocking again.
void clear_nonblocking(int fd)
{
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

} // namespace

int open_regular_file(const std::string& path, std::uint64_t limit, std::uint64_t* size,
                      ReadFileError* error, const ReadFileOptions& options)
{
  int fd = open_regular_nonblocking(path, limit, size, error, options);
  // Regular files never block; clear the flag so that the caller's reads behave as usual.
  if (fd >= 0)
    clear_nonblocking(fd);
  return fd;
}

namespace {

// Reads the open descriptor into `out`: `expected` bytes (its size when opened) if it has that
// many, else to its end, never past `limit` (the file may grow or shrink meanwhile). `Out` has
// data(), size() and grow(n): make room for n bytes, keeping the content.
template <typename Out>
bool read_to_end(int fd, std::uint64_t limit, std::size_t expected, Out& out, ReadFileError* error,
                 const ReadFileOptions& options)
{
  out.grow(expected);
  std::size_t done = 0;
  // The head first, when the caller may not want the rest (ReadFileOptions::want_rest).
  std::size_t head = options.want_rest && options.head_bytes > 0 && expected > options.head_bytes
                         ? options.head_bytes
                         : 0;
  for (;;) {
    if (head > 0 && done >= head) {
      if (!options.want_rest(std::string_view(out.data(), done))) {
        if (options.stopped_early)
          *options.stopped_early = true;
        break;
      }
      head = 0;
    }
    if (done == out.size()) {
      // As many bytes as fstat said, under the limit: the file as it was then, without a read
      // that only confirms its end (one system call per file of a working-tree scan). A size
      // fstat does not know (files of /proc say 0) is read to the end.
      if (done == expected && expected > 0 && expected < limit)
        break;
      if (out.size() >= limit) {
        if (options.prefix_only)
          break;
        char extra = 0; // one byte more means the file grew past the limit
        ssize_t n = ::read(fd, &extra, 1);
        while (n < 0 && errno == EINTR)
          n = ::read(fd, &extra, 1);
        if (n > 0)
          return fail(error, "grew beyond " + std::to_string(limit) + " bytes while being read");
        break;
      }
      out.grow(std::min<std::uint64_t>(limit, out.size() + 65536));
    }
    ssize_t n = ::read(fd, out.data() + done, (head > 0 ? head : out.size()) - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      clear_nonblocking(fd); // a file system that honours O_NONBLOCK for regular files
      continue;
    }
    if (n < 0)
      return fail(error, std::strerror(errno));
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  out.shrink(done);
  return true;
}

struct StringOut {
  std::string& s;
  char* data() { return s.data(); }
  std::size_t size() const { return s.size(); }
  void grow(std::size_t n) { s.resize(n); }
  void shrink(std::size_t n) { s.resize(n); }
};

} // namespace

bool read_regular_file(const std::string& path, std::uint64_t limit, std::string& out,
                       ReadFileError* error, const ReadFileOptions& options)
{
  std::uint64_t size = 0;
  Fd fd(open_regular_nonblocking(path, limit, &size, error, options));
  if (!fd)
    return false;
  out.clear();
  StringOut sink{out};
  return read_to_end(fd.get(), limit, static_cast<std::size_t>(size), sink, error, options);
}

char* ReadBuffer::reserve(std::size_t n)
{
  if (n > m_capacity) {
    std::size_t cap = std::max(n, m_capacity * 2);
    std::unique_ptr<char[]> bigger(new char[cap]); // not value-initialised: no zero fill
    if (m_size > 0)
      std::memcpy(bigger.get(), m_data.get(), m_size);
    m_data = std::move(bigger);
    m_capacity = cap;
  }
  return m_data.get();
}

bool read_regular_file(const std::string& path, std::uint64_t limit, ReadBuffer& out,
                       ReadFileError* error, const ReadFileOptions& options)
{
  std::uint64_t size = 0;
  out.m_size = 0;
  Fd fd(open_regular_nonblocking(path, limit, &size, error, options));
  if (!fd)
    return false;
  struct Sink {
    ReadBuffer& b;
    char* data() { return b.m_data.get(); }
    std::size_t size() const { return b.m_size; }
    void grow(std::size_t n)
    {
      b.reserve(n);
      b.m_size = n;
    }
    void shrink(std::size_t n) { b.m_size = n; }
  } sink{out};
  bool ok = read_to_end(fd.get(), limit, static_cast<std::size_t>(size), sink, error, options);
  if (!ok)
    out.m_size = 0;
  return ok;
}

bool pread_exact(int fd, void* out, std::size_t size, std::uint64_t offset)
{
  auto* bytes = static_cast<unsigned char*>(out);
  for (std::size_t got = 0; got < size;) {
    ssize_t n = ::pread(fd, bytes + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

bool is_dir(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_regular(const std::string& path, bool follow_final_link)
{
  struct stat st {};
  int rc = follow_final_link ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  return rc == 0 && S_ISREG(st.st_mode);
}

} // namespace zenolint
