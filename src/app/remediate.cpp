#include "app/remediate.hpp"

#include "app/scan.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ostream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint::app {
namespace {

// Creates `path` (never an existing file, never through a symlink) at mode 0600 and writes
// `content`; on a failed write the partial file is removed.
void write_new_private_file(const std::string& path, const std::string& content)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int e = errno;
    throw Error(path + ": cannot create" +
                (e == EEXIST ? std::string(" (it exists; remediate never overwrites a file)")
                             : ": " + std::string(std::strerror(e))));
  }
  bool ok = ::fchmod(fd, 0600) == 0; // exact mode whatever the umask
  for (std::size_t done = 0; ok && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    if (ok)
      done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    int e = errno;
    ::unlink(path.c_str());
    throw Error(path + ": write failed: " + std::strerror(e));
  }
}

std::string shell_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace

int remediate(const RemediateCommand& cmd, std::ostream& out, std::ostream& err)
{
  if (cmd.replacements.empty())
    throw Error("remediate: --replacements FILE is required");
  ScanCommand scan_cmd;
  scan_cmd.path = cmd.path;
  scan_cmd.jobs = cmd.jobs;
  scan_cmd.progress = ProgressMode::never;
  auto report = scan(scan_cmd);
  for (const auto& d : report.diagnostics)
    err << "zenolint: " << to_string(d.severity) << ": " << terminal_safe(d.subject) << ": "
        << terminal_safe(d.message) << '\n';

  // One line per form a secret is written in: the token, and its base64 form where a rule
  // decoded one (zenodo/base64-token), so filter-repo removes both.
  std::set<std::string> secrets, forms;
  for (const auto& f : report.findings) {
    if (f.secret.empty())
      continue;
    secrets.insert(f.secret);
    forms.insert(f.secret);
    if (!f.written.empty())
      forms.insert(f.written);
  }
  if (secrets.empty()) {
    out << "No secret found in " << cmd.path << ": nothing to remove, " << cmd.replacements
        << " not written.\n";
    return 0;
  }
  std::string content;
  for (const auto& s : forms)
    content += s + "==>REMOVED\n";
  write_new_private_file(cmd.replacements, content);

  std::string file = shell_quote(cmd.replacements);
  out << "Wrote " << secrets.size() << (secrets.size() == 1 ? " secret" : " secrets") << " to "
      << cmd.replacements << " (mode 0600).\n"
      << "WARNING: this file holds the raw secrets. Keep it private and delete it when done "
         "(shred -u "
      << file << ").\n\n"
      << "1. Revoke every token first (see `zenolint scan`): rewriting history does not reach "
         "forks, clones or caches.\n"
      << "2. In a fresh clone (git clone --mirror), rewrite every branch and tag:\n"
      << "     git filter-repo --replace-text " << file << "\n"
      << "3. Check: zenolint scan --history-only (the tokens are gone).\n"
      << "4. Force-push the rewritten history: git push --force --mirror (or git push --force "
         "--all && git push --force --tags).\n"
      << "5. Ask every collaborator to re-clone (old clones would push the secrets back), and "
         "ask your host to purge cached views and pull-request refs.\n";
  return 0;
}

} // namespace zenolint::app
