#include "support/tools.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <unistd.h>

namespace zenolint::test {

std::string setup_package_of(const std::string& command)
{
  // Keep in step with test_pkgs in scripts/setup.sh.
  static const std::map<std::string, std::string> packages{{"node", "nodejs"},
                                                           {"npm", "npm"},
                                                           {"pre-commit", "pre-commit"},
                                                           {"python3", "python3"},
                                                           {"openssl", "openssl"},
                                                           {"bsdtar", "libarchive-tools"},
                                                           {"zip", "zip"},
                                                           {"zstd", "zstd"},
                                                           {"xz", "xz-utils"},
                                                           {"bzip2", "bzip2"},
                                                           {"git-filter-repo", "git-filter-repo"},
                                                           {"clang++", "clang"},
                                                           {"zsh", "zsh"},
                                                           {"fish", "fish"},
                                                           {"groff", "groff-base"},
                                                           {"debootstrap", "debootstrap"},
                                                           {"git", "git"},
                                                           {"gzip", "gzip"}};
  auto it = packages.find(command);
  return it == packages.end() ? std::string() : it->second;
}

std::string missing_tool_message(const std::string& command)
{
  std::string package = setup_package_of(command);
  if (package.empty())
    return "`" + command +
           "` is not installed (not on PATH); no test tool of that name is known to " +
           "scripts/setup.sh";
  return "`" + command + "` is not installed (not on PATH): scripts/setup.sh --test installs it " +
         "(Debian package " + package + ")";
}

bool tool_available(const std::string& command)
{
  if (command.find('/') != std::string::npos)
    return ::access(command.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos)
      end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + command;
    if (::access(candidate.c_str(), X_OK) == 0)
      return true;
    start = end + 1;
  }
  return false;
}

void require_tool(const std::string& command)
{
  if (!tool_available(command))
    throw std::runtime_error(missing_tool_message(command));
}

} // namespace zenolint::test
