#include "app/install_hook.hpp"

#include "app/hook_scripts.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/text.hpp"
#include "git/git.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <ostream>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zenolint::app {
namespace fs = std::filesystem;

namespace {

// Single-quotes `s` for sh.
std::string sh_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The hooks directory and, for a relative core.hooksPath, the directory it must stay inside.
struct HooksDir {
  std::string dir;
  std::string configured; // core.hooksPath as configured, when relative
  std::string base;       // what a relative core.hooksPath is relative to
};

HooksDir hooks_dir(const std::string& path)
{
  auto repo = git::discover(path);
  if (!repo)
    throw Error(path + ": not inside a git repository");
  git_config* raw = nullptr;
  git::check(git_repository_config_snapshot(&raw, repo->get()), "reading git config");
  git::Config config(raw);
  git_buf buf = GIT_BUF_INIT;
  int rc = git_config_get_path(&buf, config.get(), "core.hooksPath");
  if (rc == 0) {
    std::string hooks(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    if (fs::path(hooks).is_absolute())
      return {hooks, "", ""};
    // Relative hooksPath is relative to where hooks run: the work tree (the git dir when bare).
    const char* base = git_repository_workdir(repo->get());
    if (!base)
      base = git_repository_path(repo->get());
    return {(fs::path(base) / hooks).lexically_normal().string(), hooks, base};
  }
  git_buf_dispose(&buf);
  if (rc != GIT_ENOTFOUND)
    git::check(rc, "reading core.hooksPath");
  git_buf item = GIT_BUF_INIT;
  git::check(git_repository_item_path(&item, repo->get(), GIT_REPOSITORY_ITEM_HOOKS),
             "locating the hooks directory");
  std::string dir(item.ptr, item.size);
  git_buf_dispose(&item);
  return {dir, "", ""};
}

// A relative core.hooksPath names a directory of the repository, which may track it as a link
// (or under one) to anywhere: installing there would write outside the repository. An absolute
// core.hooksPath is the user's own choice and is used as it is.
void check_inside_repository(const HooksDir& hooks)
{
  if (hooks.configured.empty())
    return;
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(hooks.dir, ec);
  fs::path base = ec ? fs::path() : fs::weakly_canonical(hooks.base, ec);
  if (ec)
    throw Error(hooks.dir + ": cannot resolve the hooks directory: " + ec.message());
  fs::path rel = resolved.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..")
    throw Error("core.hooksPath '" + hooks.configured + "' leads through a symbolic link to " +
                resolved.string() +
                ", outside the repository; not installing there. If that directory is meant, "
                "set core.hooksPath to it: git config core.hooksPath " +
                resolved.string());
}

// True when `path` is a regular file (not a link) holding exactly `content`. Reads at most a
// little more than `content`, never blocks on a FIFO, never follows a link.
bool holds_exactly(const std::string& path, const std::string& content)
{
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::uint64_t>(st.st_size) != content.size())
    return false;
  std::string got(content.size() + 1, '\0');
  std::size_t n = 0;
  while (n < got.size()) {
    ssize_t r = ::read(fd.get(), got.data() + n, got.size() - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    n += static_cast<std::size_t>(r);
  }
  return n == content.size() && got.compare(0, n, content) == 0;
}

void write_all(int fd, const std::string& data, const std::string& what)
{
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw Error(what + ": write failed: " + std::strerror(n < 0 ? errno : EIO));
    done += static_cast<std::size_t>(n);
  }
}

// Writes `content` as `dir`/`name`, mode 0755, atomically: a new temporary file created with
// O_CREAT|O_EXCL|O_NOFOLLOW under a random name in `dir` (so no planted file or link is ever
// written through), then renamed over `name` (which replaces a link, never writes through it).
void install_file(const std::string& dir, const std::string& name, const std::string& content)
{
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd)
    throw Error(dir + ": cannot open hooks directory: " + std::strerror(errno));
  std::random_device random;
  std::string tmp;
  Fd fd;
  for (int attempt = 0; attempt < 100 && !fd; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".zenolint-%08x", static_cast<unsigned>(random()));
    tmp = name + suffix;
    fd.reset(::openat(dir_fd.get(), tmp.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0700));
    if (!fd && errno != EEXIST)
      break;
  }
  std::string tmp_path = (fs::path(dir) / tmp).string();
  if (!fd)
    throw Error(tmp_path + ": cannot create: " + std::strerror(errno));
  try {
    write_all(fd.get(), content, tmp_path);
    if (::fchmod(fd.get(), 0755) != 0)
      throw Error(tmp_path + ": chmod 755 failed: " + std::strerror(errno));
    if (::fsync(fd.get()) != 0)
      throw Error(tmp_path + ": fsync failed: " + std::strerror(errno));
    if (!fd.close())
      throw Error(tmp_path + ": close failed: " + std::strerror(errno));
    if (::renameat(dir_fd.get(), tmp.c_str(), dir_fd.get(), name.c_str()) != 0)
      throw Error((fs::path(dir) / name).string() +
                  ": cannot install hook: " + std::strerror(errno));
  } catch (...) {
    ::unlinkat(dir_fd.get(), tmp.c_str(), 0);
    throw;
  }
}

} // namespace

std::string self_executable()
{
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return "zenolint";
  return p.string();
}

int install_hook(const InstallHookCommand& cmd, std::ostream& out)
{
  const std::string name = cmd.pre_push ? "pre-push" : "pre-commit";
  std::string script(hook_script(name));
  std::string binary = cmd.zenolint_path.empty() ? self_executable() : cmd.zenolint_path;
  // Pin the binary that installed the hook; $ZENOLINT still overrides it.
  const std::string default_line = "ZENOLINT=${ZENOLINT:-zenolint}";
  auto pos = script.find(default_line);
  if (pos == std::string::npos)
    throw Error("internal: hook script " + name + " has no ZENOLINT line");
  script.replace(pos, default_line.size(), "ZENOLINT=${ZENOLINT:-" + sh_quote(binary) + "}");

  HooksDir hooks = hooks_dir(cmd.path);
  check_inside_repository(hooks);
  const std::string& dir = hooks.dir;
  std::string target = (fs::path(dir) / name).string();
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (holds_exactly(target, script)) {
      out << "zenolint: " << name << " hook already installed at " << terminal_safe(target) << '\n';
      return 0;
    }
    std::string what = S_ISLNK(st.st_mode) ? "symbolic link" : "different " + name + " hook";
    if (!cmd.force)
      throw Error(target + ": a " + what +
                  " already exists; not overwritten (use --force to replace it)");
    out << "zenolint: replacing existing " << name << " hook at " << terminal_safe(target)
        << (S_ISLNK(st.st_mode) ? " (the link itself, not its target)" : "") << '\n';
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(dir + ": cannot create hooks directory: " + ec.message());
  install_file(dir, name, script);
  out << "zenolint: installed " << name << " hook at " << terminal_safe(target) << " (runs "
      << terminal_safe(binary) << ")\n";
  return 0;
}

int run_hook(const std::string& name, const std::vector<std::string>& args)
{
  std::string script(hook_script(name));
  if (script.empty())
    throw Error("unknown hook '" + name + "' (expected pre-commit or pre-push)");
  // The script runs this very binary unless $ZENOLINT says otherwise.
  std::string self = self_executable();
  ::setenv("ZENOLINT", self.c_str(), 0);
  std::vector<std::string> argv{"/bin/sh", "-c", script, name};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  ::execv("/bin/sh", cargv.data());
  throw Error("cannot run /bin/sh: " + std::string(std::strerror(errno)));
}

} // namespace zenolint::app
