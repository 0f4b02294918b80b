#pragma once
// config/loose-permissions: POSIX modes and ownership of credential files on disk, and the
// directories above them. Files on disk only: git history stores no real modes.
#include "checks/findings.hpp"

#include <string>

namespace zenolint::checks {

struct PermissionOptions {
  // Parent directories are checked from the file's directory up to and including this one
  // (the scan root, or $HOME). Empty, or not an ancestor: the file's own directory only.
  std::string stop_dir;
  // Set the file to mode 0600 when its mode has group/other bits. The finding is then dropped
  // and one line is appended to Result::fixes. Content is never touched.
  bool fix = false;
};

// Checks `fs_path` (a symlink is followed: the target's mode is checked, findings name the link),
// shown as `display_path`. Per-file problems (missing, dangling link, filesystem without POSIX
// modes) become diagnostics. Never throws.
void check_permissions(const std::string& fs_path, const std::string& display_path,
                       const PermissionOptions& options, Result& out);

// "0644" for the permission bits of `mode`.
std::string mode_string(unsigned mode);

} // namespace zenolint::checks
