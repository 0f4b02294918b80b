#pragma once
// `zenolint install-hook`, `zenolint uninstall-hook` and `zenolint run-hook`.
#include <iosfwd>
#include <string>
#include <vector>

namespace zenolint::app {

struct InstallHookCommand {
  std::string path = "."; // any path inside the repository (ignored with `global`)
  bool pre_push = false;  // the pre-push hook instead of pre-commit
  bool force = false;     // install: replace an existing, different hook
  bool append = false;    // install: keep an existing hook (as NAME.pre-zenolint) and run it first
  bool global = false;    // the user's core.hooksPath (set to $XDG_CONFIG_HOME/git/hooks if unset)
};

// Installs the hook into the repository's hooks directory (core.hooksPath respected), or with
// `global` into the directory of the user's global core.hooksPath. The hook runs `zenolint` from
// PATH at commit time ($ZENOLINT overrides), so it survives moving or upgrading zenolint; it says
// how to fix a missing zenolint. An older zenolint hook is replaced. Prints what it did to `out`.
// Throws Error when another hook exists and neither `force` nor `append` is set.
int install_hook(const InstallHookCommand& cmd, std::ostream& out);

// Removes the zenolint hook installed by install_hook (same `path`, `pre_push`, `global`) and puts
// back the hook `append` kept. Throws Error when the hook there is not zenolint's.
int uninstall_hook(const InstallHookCommand& cmd, std::ostream& out);

// Runs the embedded hook script `name` with /bin/sh, passing `args`, stdin and the environment
// through (for the pre-commit framework, whose hooks must be commands on PATH). Returns its status.
int run_hook(const std::string& name, const std::vector<std::string>& args);

// The absolute path of the running executable.
std::string self_executable();

} // namespace zenolint::app
