#pragma once
// A move-only owner of a POSIX file descriptor: closed on destruction (errors of close are
// ignored there; call close() to see them). Anchor: ccache `src/ccache/util/fd.hpp`.
#include <unistd.h>
#include <utility>

namespace zenolint {

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept
  {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  // Closes now and reports close's result (false: errno says why); the Fd is then empty.
  bool close() { return m_fd < 0 || ::close(std::exchange(m_fd, -1)) == 0; }
  // Gives up ownership: the caller closes the returned descriptor.
  int release() { return std::exchange(m_fd, -1); }
  void reset(int fd = -1)
  {
    if (m_fd >= 0)
      ::close(m_fd);
    m_fd = fd;
  }

private:
  int m_fd = -1;
};

} // namespace zenolint
