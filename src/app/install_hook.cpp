#include "app/install_hook.hpp"

#include "app/hook_scripts.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "git/git.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
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

namespace {

const std::string previous_suffix = ".pre-zenolint";

// The hook `install_hook --append` writes: runs the previous hook (kept beside it), then
// zenolint's.
std::string chained_hook(const std::string& name, const std::string& script)
{
  std::string s = "#!/bin/sh\n# zenolint " + name +
                  " hook, chained by `zenolint install-hook --append`: runs the hook that was\n"
                  "# here before (kept as " +
                  name + previous_suffix +
                  "), then zenolint's. `zenolint uninstall-hook` puts the previous\n"
                  "# hook back.\nprevious=\"$0" +
                  previous_suffix + "\"\n";
  if (name == "pre-push") {
    // git passes the refs on stdin: both hooks get them.
    s += "input=$(cat; echo x)\ninput=${input%x}\n"
         "if [ -x \"$previous\" ]; then\n  printf '%s' \"$input\" | \"$previous\" \"$@\" || exit "
         "$?\nfi\n"
         "printf '%s' \"$input\" | sh -c " +
         sh_quote(script) + " \"$0\" \"$@\"\n";
  } else {
    s += "if [ -x \"$previous\" ]; then\n  \"$previous\" \"$@\" || exit $?\nfi\n"
         "exec sh -c " +
         sh_quote(script) + " \"$0\" \"$@\"\n";
  }
  return s;
}

// The first bytes of `path` when it is a regular file (no link followed, no FIFO blocked on);
// nullopt when it is not there or not a regular file.
std::optional<std::string> read_hook(const std::string& path)
{
  ReadFileOptions first_bytes;
  first_bytes.follow_final_link = false;
  first_bytes.prefix_only = true;
  std::string got;
  if (!read_regular_file(path, 64 * 1024, got, nullptr, first_bytes))
    return std::nullopt;
  return got;
}

// zenolint's own hooks (any version, chained or not) start like this.
bool is_zenolint_hook(const std::string& text, const std::string& name)
{
  return text.rfind("#!/bin/sh\n# zenolint " + name + " hook", 0) == 0;
}

bool is_chained(const std::string& text)
{
  return text.find("chained by `zenolint install-hook --append`") != std::string::npos;
}

std::string xdg_config_home()
{
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg == '/')
    return xdg;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/')
    throw Error("--global: HOME is not set to an absolute path");
  return std::string(home) + "/.config";
}

// The user's global git config file: ~/.gitconfig, else $XDG_CONFIG_HOME/git/config when that
// exists, else ~/.gitconfig (created when written), as git itself chooses.
std::string global_config_file()
{
  git::ensure_initialised();
  git_buf buf = GIT_BUF_INIT;
  std::string path;
  if (git_config_find_global(&buf) == 0 || git_config_find_xdg(&buf) == 0)
    path.assign(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  if (path.empty()) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home != '/')
      throw Error("--global: HOME is not set to an absolute path");
    path = std::string(home) + "/.gitconfig";
  }
  return path;
}

// The directory of the global core.hooksPath; sets it (to $XDG_CONFIG_HOME/git/hooks) when unset
// and `set_if_unset`. Empty when unset and not set here.
std::string global_hooks_dir(bool set_if_unset, std::ostream& out)
{
  std::string file = global_config_file();
  git_config* raw = nullptr;
  git::check(git_config_open_ondisk(&raw, file.c_str()), file + ": opening git config");
  git::Config config(raw);
  git_buf buf = GIT_BUF_INIT;
  int rc = git_config_get_path(&buf, config.get(), "core.hooksPath");
  if (rc == 0) {
    std::string dir(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    if (!fs::path(dir).is_absolute())
      throw Error(file + ": core.hooksPath '" + dir +
                  "' is relative; a global hooks directory must be absolute");
    return dir;
  }
  git_buf_dispose(&buf);
  if (rc != GIT_ENOTFOUND)
    git::check(rc, file + ": reading core.hooksPath");
  if (!set_if_unset)
    return {};
  std::string dir = xdg_config_home() + "/git/hooks";
  git::check(git_config_set_string(config.get(), "core.hooksPath", dir.c_str()),
             file + ": setting core.hooksPath");
  out << "zenolint: set core.hooksPath = " << terminal_safe(dir) << " in " << terminal_safe(file)
      << " (git now runs the hooks there for every repository of yours, and no longer those in "
         "a repository's .git/hooks)\n";
  return dir;
}

std::string target_dir(const InstallHookCommand& cmd, bool installing, std::ostream& out)
{
  if (cmd.global)
    return global_hooks_dir(installing, out);
  HooksDir hooks = hooks_dir(cmd.path);
  check_inside_repository(hooks);
  return hooks.dir;
}

void rename_in(const std::string& dir, const std::string& from, const std::string& to)
{
  if (::rename((fs::path(dir) / from).c_str(), (fs::path(dir) / to).c_str()) != 0)
    throw Error((fs::path(dir) / from).string() + ": cannot rename to " + to + ": " +
                std::strerror(errno));
}

} // namespace

int install_hook(const InstallHookCommand& cmd, std::ostream& out)
{
  if (cmd.append && cmd.force)
    throw Error("--append and --force exclude each other");
  const std::string name = cmd.pre_push ? "pre-push" : "pre-commit";
  const std::string script(hook_script(name));
  const std::string dir = target_dir(cmd, true, out);
  std::string target = (fs::path(dir) / name).string();
  std::string previous = target + previous_suffix;
  std::string content = script;
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    auto existing = read_hook(target);
    bool ours = existing && is_zenolint_hook(*existing, name);
    if (ours) {
      // Keep a chain as a chain; an older zenolint hook is simply brought up to date.
      if (is_chained(*existing))
        content = chained_hook(name, script);
      if (*existing == content) {
        out << "zenolint: " << name << " hook already installed at " << terminal_safe(target)
            << '\n';
        return 0;
      }
      out << "zenolint: updating the zenolint " << name << " hook at " << terminal_safe(target)
          << '\n';
    } else if (cmd.append) {
      if (::lstat(previous.c_str(), &st) == 0)
        throw Error(previous + " already exists; not chaining another hook over it");
      rename_in(dir, name, name + previous_suffix);
      content = chained_hook(name, script);
      out << "zenolint: kept the existing " << name << " hook as " << terminal_safe(previous)
          << "; it runs first\n";
    } else {
      std::string what = S_ISLNK(st.st_mode) ? "symbolic link" : "different " + name + " hook";
      if (!cmd.force)
        throw Error(target + ": a " + what +
                    " already exists; not overwritten (--append runs it before zenolint, "
                    "--force replaces it)");
      out << "zenolint: replacing existing " << name << " hook at " << terminal_safe(target)
          << (S_ISLNK(st.st_mode) ? " (the link itself, not its target)" : "") << '\n';
    }
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(dir + ": cannot create hooks directory: " + ec.message());
  install_file(dir, name, content);
  out << "zenolint: installed " << name << " hook at " << terminal_safe(target)
      << " (runs zenolint from PATH, or $ZENOLINT)\n";
  return 0;
}

int uninstall_hook(const InstallHookCommand& cmd, std::ostream& out)
{
  const std::string name = cmd.pre_push ? "pre-push" : "pre-commit";
  const std::string dir = target_dir(cmd, false, out);
  if (dir.empty()) {
    out << "zenolint: no global core.hooksPath; no " << name << " hook to remove\n";
    return 0;
  }
  std::string target = (fs::path(dir) / name).string();
  std::string previous = target + previous_suffix;
  struct stat st {};
  if (::lstat(target.c_str(), &st) != 0) {
    out << "zenolint: no " << name << " hook at " << terminal_safe(target) << '\n';
    return 0;
  }
  auto existing = read_hook(target);
  if (!existing || !is_zenolint_hook(*existing, name))
    throw Error(target + ": not a zenolint hook; not removed");
  bool restore = is_chained(*existing) && ::lstat(previous.c_str(), &st) == 0;
  if (restore) {
    rename_in(dir, name + previous_suffix, name);
    out << "zenolint: removed the zenolint " << name << " hook; restored the previous hook at "
        << terminal_safe(target) << '\n';
  } else {
    if (::unlink(target.c_str()) != 0)
      throw Error(target + ": cannot remove: " + std::strerror(errno));
    out << "zenolint: removed the zenolint " << name << " hook at " << terminal_safe(target)
        << '\n';
  }
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
