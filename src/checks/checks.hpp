#pragma once
// Credential-file checks on one file: read it (following a symlink, reporting the link), parse it
// as its kind says, and run the label, placeholder and permission checks. The git-level checks
// (tracked, in history, not ignored) are in checks/tracked.hpp.
#include "checks/credential_file.hpp"
#include "checks/findings.hpp"
#include "checks/permissions.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace zenolint::checks {

// Larger files are not credential files: their content is not parsed (a diagnostic says so),
// their permissions are still checked.
inline constexpr std::uint64_t max_credential_file_size = 1u << 20;

struct FileTarget {
  std::string fs_path;          // what to open (may be a symbolic link)
  std::string display_path;     // what findings and diagnostics show
  std::optional<FileKind> kind; // parse as this; nullopt: guess from the name, then the content
  bool labels = true;           // run label and placeholder checks
  bool permissions = true;      // run permission checks
  PermissionOptions permission_options;
};

// Checks one file. Every per-file problem (missing, unreadable, a directory, enormous, malformed)
// becomes a diagnostic naming the file (and line); never throws.
void check_file(const FileTarget& target, Result& out);

// Removes findings with the same fingerprint and repeated diagnostics (keeps the first of each).
void normalise(Result& result);

} // namespace zenolint::checks
