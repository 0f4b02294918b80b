#include "checks/checks.hpp"

#include "checks/labels.hpp"
#include "checks/permissions.hpp"
#include "core/read_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace zenolint::checks {
namespace fs = std::filesystem;

void check_file(const FileTarget& target, Result& out)
{
  const std::string& shown = target.display_path;
  ResolvedFile file = resolve_file(target.fs_path);
  if (!file.error.empty()) {
    out.diagnostics.push_back({Severity::warning, shown, file.error});
    return;
  }
  const std::string& open_path = file.target;
  const struct stat& st = file.st;
  if (S_ISDIR(st.st_mode)) {
    out.diagnostics.push_back(
        {Severity::warning, shown, "is a directory, expected a credential file; not checked"});
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    out.diagnostics.push_back(
        {Severity::warning, shown, "not a regular file (FIFO, socket or device); not read"});
    return;
  }
  if (target.labels) {
    if (static_cast<std::uint64_t>(st.st_size) > max_credential_file_size) {
      out.diagnostics.push_back({Severity::warning, shown,
                                 std::to_string(st.st_size) +
                                     " bytes, more than 1 MiB: too large for a credential "
                                     "file; labels not checked"});
    } else {
      std::string content;
      ReadFileError err;
      if (!read_regular_file(open_path, max_credential_file_size, content, &err)) {
        out.diagnostics.push_back({Severity::warning, shown, "cannot read: " + err.message});
      } else {
        FileKind kind = target.kind ? *target.kind
                                    : kind_from_name(fs::path(target.fs_path).filename().string())
                                          .value_or(sniff_kind(content));
        ParsedFile parsed = parse(kind, content, shown);
        for (auto& d : parsed.diagnostics)
          out.diagnostics.push_back(std::move(d));
        check_labels(parsed, shown, git::blob_hash(content), out);
      }
    }
  }
  if (target.permissions)
    check_permissions(target.fs_path, shown, target.permission_options, out);
}

void normalise(Result& result)
{
  std::set<std::string> seen;
  std::vector<Finding> kept;
  for (auto& f : result.findings)
    if (seen.insert(f.fingerprint).second)
      kept.push_back(std::move(f));
  result.findings = std::move(kept);
  // Diagnostics keep their order (files in order, lines in order); exact repeats are dropped.
  std::set<std::pair<std::string, std::string>> seen_diag;
  std::vector<Diagnostic> diags;
  for (auto& d : result.diagnostics)
    if (seen_diag.emplace(d.subject, d.message).second)
      diags.push_back(std::move(d));
  result.diagnostics = std::move(diags);
}

} // namespace zenolint::checks
