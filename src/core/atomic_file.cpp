#include "core/atomic_file.hpp"

#include "core/error.hpp"
#include "core/fd.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint {
namespace {

std::string errno_text(int err)
{
  return std::strerror(err);
}

// The temporary file: its descriptor, and its name until release() (unlinked on destruction).
class TempFile {
public:
  TempFile(Fd fd, std::string name) : m_fd(std::move(fd)), m_name(std::move(name)) {}
  ~TempFile()
  {
    m_fd.reset();
    if (!m_name.empty())
      ::unlink(m_name.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  Fd& fd() { return m_fd; }
  const std::string& name() const { return m_name; }
  void release() { m_name.clear(); }

private:
  Fd m_fd;
  std::string m_name;
};

std::string random_suffix()
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s(6, 'x');
  for (auto& c : s)
    c = alphabet[rng() % (sizeof alphabet - 1)];
  return s;
}

void write_all(int fd, const std::string& path, std::string_view content)
{
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw Error(path + ": write failed: " + errno_text(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Names the system gives to devices and descriptors: /dev/stdout, /dev/fd/3, /proc/self/fd/1.
bool is_system_link(const std::string& path)
{
  return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

// A character device, a FIFO or a socket at `path` (or a link the system made, such as
// /dev/stdout): written where it is, never replaced. Renaming a file over /dev/null or
// /dev/stdout (which root may do) would break the system for every later program.
void write_in_place(const std::string& path, std::string_view content, bool follow)
{
  // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of blocking the run.
  int flags = O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
  Fd fd(::open(path.c_str(), flags));
  if (!fd)
    throw Error(path + ": cannot open for writing: " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    throw Error(path + ": cannot open for writing: " + errno_text(errno));
  if (S_ISREG(st.st_mode)) {
    // /dev/stdout redirected to a file: the shell already truncated it (or asked to append).
    if (::fcntl(fd.get(), F_SETFL, O_WRONLY | O_APPEND) != 0)
      throw Error(path + ": cannot open for writing: " + errno_text(errno));
  } else if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
    if (::fcntl(fd.get(), F_SETFL, O_WRONLY) != 0)
      throw Error(path + ": cannot open for writing: " + errno_text(errno));
  } else {
    throw Error(path + ": not a regular file, character device or pipe; not written");
  }
  write_all(fd.get(), path, content);
  if (!fd.close())
    throw Error(path + ": write failed: " + errno_text(errno));
}

void fsync_directory(const std::string& dir)
{
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return; // durability only; the rename itself has happened
  ::fsync(fd);
  ::close(fd);
}

} // namespace

void write_file_atomically(const std::string& path, std::string_view content, mode_t mode)
{
  if (path.empty())
    throw Error("cannot write a file with an empty name");
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty() || base == "." || base == "..")
    throw Error(path + ": not a file name");

  struct stat existing {};
  bool exists = ::lstat(path.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode))
    throw Error(path + ": is a directory");
  if (exists && S_ISBLK(existing.st_mode))
    throw Error(path + ": is a block device; not written");
  if (exists &&
      (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode) || S_ISSOCK(existing.st_mode))) {
    write_in_place(path, content, false);
    return;
  }
  if (exists && S_ISLNK(existing.st_mode) && is_system_link(path)) {
    write_in_place(path, content, true);
    return;
  }

  int fd = -1;
  std::string tmp_name;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp_name = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "." +
               base + ".zenolint-" + random_suffix();
    fd = ::open(tmp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0 && errno != EEXIST)
      throw Error(path + ": cannot create a temporary file in " + dir + ": " + errno_text(errno));
  }
  if (fd < 0)
    throw Error(path + ": cannot create a temporary file in " + dir);
  TempFile tmp(Fd(fd), tmp_name);

  if (exists && S_ISREG(existing.st_mode))
    if (::fchmod(tmp.fd().get(), existing.st_mode & mode & 07777) != 0)
      throw Error(path + ": cannot set the mode of the new file: " + errno_text(errno));

  write_all(tmp.fd().get(), path, content);
  if (::fsync(tmp.fd().get()) != 0)
    throw Error(path + ": write failed: " + errno_text(errno));
  if (!tmp.fd().close())
    throw Error(path + ": write failed: " + errno_text(errno));
  if (::rename(tmp.name().c_str(), path.c_str()) != 0)
    throw Error(path + ": cannot replace: " + errno_text(errno));
  tmp.release();
  fsync_directory(dir);
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& produce, mode_t mode)
{
  std::ostringstream buffer;
  produce(buffer);
  if (!buffer)
    throw Error(path + ": cannot produce the content");
  write_file_atomically(path, buffer.view(), mode);
}

} // namespace zenolint
