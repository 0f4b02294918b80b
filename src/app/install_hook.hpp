#pragma once
// `zenolint install-hook` and `zenolint run-hook`.
#include <iosfwd>
#include <string>
#include <vector>

namespace zenolint::app {

struct InstallHookCommand {
  std::string path = ".";    // any path inside the repository
  bool pre_push = false;     // install the pre-push hook instead of pre-commit
  bool force = false;        // overwrite an existing, different hook
  std::string zenolint_path; // binary the hook should run; empty: this executable
};

// Installs the hook into the repository's hooks directory (core.hooksPath respected). Prints what
// it did to `out`. Throws Error when the hook exists with other content and `force` is not set.
int install_hook(const InstallHookCommand& cmd, std::ostream& out);

// Runs the embedded hook script `name` with /bin/sh, passing `args`, stdin and the environment
// through (for the pre-commit framework, whose hooks must be commands on PATH). Returns its status.
int run_hook(const std::string& name, const std::vector<std::string>& args);

// The absolute path of the running executable.
std::string self_executable();

} // namespace zenolint::app
