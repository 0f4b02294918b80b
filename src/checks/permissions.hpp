#pragma once
// config/loose-permissions: POSIX modes and ownership of credential files on disk, and the
// directories above them. Files on disk only: git history stores no real modes.
#include "checks/findings.hpp"

#include <string>
#include <sys/stat.h>

namespace zenolint::checks {

struct PermissionOptions {
  // Parent directories are checked from the file's directory up to and including this one
  // (the scan root, or $HOME). Empty, or not an ancestor: the file's own directory only.
  std::string stop_dir;
  // Set the file to mode 0600 when its mode has group/other bits, through fix_mode_0600 below
  // (within `fix_root`). The finding is then dropped and one line is appended to Result::fixes;
  // when the file may not be changed (a link, outside fix_root, owned by someone else...) the
  // finding stays and a diagnostic says why. Content is never touched.
  bool fix = false;
  // The directory --fix may change files in (the scan root, or $HOME for config check). Empty:
  // nothing is changed.
  std::string fix_root;
};

// What fix_mode_0600 did.
struct FixOutcome {
  bool changed = false;
  unsigned old_mode = 0; // permission bits before the change (when changed)
  std::string why_not;   // when not changed: the reason, for a diagnostic
};

// Sets the permission bits of `fs_path` to 0600, only when it is a regular file with one link,
// owned by the effective user, lying inside `root` and reached from it without any symbolic link.
// `root` is opened as given (the user named it); every directory below it is opened with
// openat(O_NOFOLLOW|O_DIRECTORY) and the file with O_NOFOLLOW|O_NONBLOCK; the checks (fstat) and
// the change (fchmod) use that one descriptor, so nothing can be swapped in between. `fs_path` may
// be relative to the working directory; ".." in it never leaves `root`. Never throws.
FixOutcome fix_mode_0600(const std::string& root, const std::string& fs_path);

// What a credential-file path names: lstat, a final symbolic link resolved to its canonical
// target, then stat of that target. On failure `error` says why ("No such file or directory", or
// "symbolic link whose target cannot be resolved (...); not checked") and the rest is unset.
struct ResolvedFile {
  std::string error;    // empty on success
  int error_number = 0; // errno when lstat or stat failed (error is its text)
  std::string target;   // the path to open: fs_path, or the link's canonical target
  bool link = false;    // fs_path is a symbolic link
  struct stat st {};    // stat of target
};
ResolvedFile resolve_file(const std::string& fs_path);

// Checks `fs_path` (a symlink is followed: the target's mode is checked, findings name the link),
// shown as `display_path`. Per-file problems (missing, dangling link, filesystem without POSIX
// modes) become diagnostics. Never throws.
void check_permissions(const std::string& fs_path, const std::string& display_path,
                       const PermissionOptions& options, Result& out);

// "0644" for the permission bits of `mode`.
std::string mode_string(unsigned mode);

} // namespace zenolint::checks
