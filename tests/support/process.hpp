#pragma once
// Runs a real program (no shell) and captures its exit status, stdout and stderr.
#include <map>
#include <string>
#include <vector>

namespace zenolint::test {

struct RunResult {
  int status = -1; // exit status, or 128+signal
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string cwd;
  std::map<std::string, std::string> env; // added to / overriding the environment; "" value unsets
  std::string stdin_data;
};

RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs the zenolint binary under test.
RunResult zenolint(const std::vector<std::string>& args, const RunOptions& options = {});
// Same as zenolint(), under a name that does not clash with namespace zenolint after
// `using namespace zenolint::test`.
inline RunResult run_zenolint(const std::vector<std::string>& args, const RunOptions& options = {})
{
  return zenolint(args, options);
}

// Runs a command and throws when it fails (for test set-up steps such as git commands).
std::string must_run(const std::vector<std::string>& argv, const RunOptions& options = {});

} // namespace zenolint::test
