#include "app/install_hook.hpp"

#include "app/hook_scripts.hpp"
#include "core/error.hpp"
#include "git/git.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
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

std::string hooks_dir(const std::string& path)
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
      return hooks;
    // Relative hooksPath is relative to where hooks run: the work tree (the git dir when bare).
    const char* base = git_repository_workdir(repo->get());
    if (!base)
      base = git_repository_path(repo->get());
    return (fs::path(base) / hooks).lexically_normal().string();
  }
  git_buf_dispose(&buf);
  if (rc != GIT_ENOTFOUND)
    git::check(rc, "reading core.hooksPath");
  git_buf item = GIT_BUF_INIT;
  git::check(git_repository_item_path(&item, repo->get(), GIT_REPOSITORY_ITEM_HOOKS),
             "locating the hooks directory");
  std::string dir(item.ptr, item.size);
  git_buf_dispose(&item);
  return dir;
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

  std::string dir = hooks_dir(cmd.path);
  std::string target = (fs::path(dir) / name).string();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    std::ifstream in(target, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str() == script) {
      out << "zenolint: " << name << " hook already installed at " << target << '\n';
      return 0;
    }
    if (!cmd.force)
      throw Error(target + ": a different " + name +
                  " hook already exists; not overwritten (use --force to replace it)");
    out << "zenolint: replacing existing " << name << " hook at " << target << '\n';
  }
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(dir + ": cannot create hooks directory: " + ec.message());
  std::string tmp = target + ".zenolint-tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f)
      throw Error(tmp + ": cannot write");
    f << script;
    if (!f.flush())
      throw Error(tmp + ": write failed");
  }
  ::chmod(tmp.c_str(), 0755);
  fs::rename(tmp, target, ec);
  if (ec)
    throw Error(target + ": cannot install hook: " + ec.message());
  out << "zenolint: installed " << name << " hook at " << target << " (runs " << binary << ")\n";
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
