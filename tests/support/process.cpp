#include "support/process.hpp"

#include "support/tools.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace zenolint::test {

RunResult run(const std::vector<std::string>& argv, const RunOptions& options)
{
  int out_pipe[2], err_pipe[2], in_pipe[2], exec_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) || ::pipe2(in_pipe, O_CLOEXEC) ||
      ::pipe2(exec_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0)
      ::_exit(126);
    for (const auto& [k, v] : options.env) {
      if (v.empty())
        ::unsetenv(k.c_str());
      else
        ::setenv(k.c_str(), v.c_str(), 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    // The exec failed: tell the parent why through the close-on-exec pipe (a successful exec
    // closes it, and the parent reads nothing).
    int err = errno;
    (void)!::write(exec_pipe[1], &err, sizeof err);
    ::_exit(127);
  }
  ::close(exec_pipe[1]);
  int exec_errno = 0;
  ssize_t got = ::read(exec_pipe[0], &exec_errno, sizeof exec_errno);
  ::close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    for (int* fd :
         {&out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1], &in_pipe[0], &in_pipe[1]})
      ::close(*fd);
    ::waitpid(pid, nullptr, 0);
    if (exec_errno == ENOENT)
      throw std::runtime_error(missing_tool_message(argv.front()));
    throw std::runtime_error("cannot run " + argv.front() + ": " + std::strerror(exec_errno));
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  // Feed stdin and drain both outputs without deadlocking.
  RunResult result;
  std::size_t in_written = 0;
  int in_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_fd >= 0) {
    std::vector<pollfd> fds;
    if (out_open)
      fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open)
      fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_fd >= 0)
      fds.push_back({in_fd, POLLOUT, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0)
      continue;
    for (auto& p : fds) {
      if (p.fd == in_fd && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
        ssize_t n = ::write(in_fd, options.stdin_data.data() + in_written,
                            options.stdin_data.size() - in_written);
        if (n > 0)
          in_written += static_cast<std::size_t>(n);
        if (n < 0 || in_written == options.stdin_data.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
      } else if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = ::read(p.fd, buf, sizeof buf);
        std::string& target = p.fd == out_pipe[0] ? result.out : result.err;
        if (n > 0) {
          target.append(buf, static_cast<std::size_t>(n));
        } else {
          (p.fd == out_pipe[0] ? out_open : err_open) = false;
        }
      }
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

RunResult zenolint(const std::vector<std::string>& args, const RunOptions& options)
{
  std::vector<std::string> argv{ZENOLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions opts = options;
  if (!opts.env.count("NO_COLOR"))
    opts.env["NO_COLOR"] = "1";
  return run(argv, opts);
}

std::string must_run(const std::vector<std::string>& argv, const RunOptions& options)
{
  auto r = run(argv, options);
  if (r.status != 0) {
    std::string cmd;
    for (const auto& a : argv)
      cmd += a + " ";
    throw std::runtime_error("command failed (" + std::to_string(r.status) + "): " + cmd + "\n" +
                             r.err);
  }
  return r.out;
}

} // namespace zenolint::test
