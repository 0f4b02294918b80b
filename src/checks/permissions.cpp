#include "checks/permissions.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace zenolint::checks {
namespace fs = std::filesystem;
namespace {

// Filesystems whose modes are synthesised from mount options, not stored per file.
const char* non_posix_filesystem(const std::string& path)
{
  struct statfs sfs {};
  if (::statfs(path.c_str(), &sfs) != 0)
    return nullptr;
  switch (static_cast<unsigned long>(sfs.f_type)) {
  case 0x4d44UL:
    return "FAT";
  case 0x2011BAB0UL:
    return "exFAT";
  case 0x5346544eUL:
    return "NTFS";
  case 0x517BUL:
    return "SMB";
  case 0xFF534D42UL:
    return "CIFS";
  case 0xFE534D42UL:
    return "SMB2";
  default:
    return nullptr;
  }
}

std::string user_name(uid_t uid)
{
  struct passwd pw {};
  struct passwd* result = nullptr;
  char buf[1024];
  if (::getpwuid_r(uid, &pw, buf, sizeof buf, &result) == 0 && result)
    return std::string(" (") + result->pw_name + ")";
  return "";
}

std::string who_can(unsigned mode, unsigned group_bit, unsigned other_bit)
{
  bool g = mode & group_bit, o = mode & other_bit;
  return g && o ? "group and others" : g ? "group" : "others";
}

fs::path normal_dir(const fs::path& p)
{
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec)
    abs = p;
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

bool is_ancestor_or_same(const fs::path& dir, const fs::path& of)
{
  auto d = dir.begin(), o = of.begin();
  for (; d != dir.end(); ++d, ++o) {
    if (d->empty())
      continue; // trailing separator
    if (o == of.end() || *d != *o)
      return false;
  }
  return true;
}

void check_parents(const fs::path& file_dir, const std::string& display_path,
                   const PermissionOptions& options, Result& out)
{
  fs::path dir = normal_dir(file_dir);
  fs::path stop = options.stop_dir.empty() ? fs::path() : normal_dir(options.stop_dir);
  bool walk_up = !stop.empty() && is_ancestor_or_same(stop, dir);
  for (;;) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      unsigned mode = st.st_mode & 07777;
      bool writable = mode & 022;
      bool sticky = mode & S_ISVTX;
      if (writable && !sticky) {
        std::string msg = "directory " + dir.string() + " (mode " + mode_string(mode) +
                          ") is writable by " + who_can(mode, 020, 002) + ", who can replace " +
                          display_path + "; fix: chmod go-w " + dir.string();
        out.findings.push_back(make_finding(rule_loose_permissions, Severity::error, display_path,
                                            "parent:" + dir.string(), std::move(msg)));
      }
    }
    if (!walk_up || dir == stop || dir == dir.root_path() || !dir.has_parent_path())
      break;
    dir = dir.parent_path();
  }
}

} // namespace

std::string mode_string(unsigned mode)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

void check_permissions(const std::string& fs_path, const std::string& display_path,
                       const PermissionOptions& options, Result& out)
{
  struct stat lst {};
  if (::lstat(fs_path.c_str(), &lst) != 0) {
    out.diagnostics.push_back({Severity::warning, display_path,
                               std::string("cannot check permissions: ") + std::strerror(errno)});
    return;
  }
  std::string target = fs_path;
  std::string link_note;
  if (S_ISLNK(lst.st_mode)) {
    std::error_code ec;
    auto resolved = fs::canonical(fs_path, ec);
    if (ec) {
      out.diagnostics.push_back(
          {Severity::warning, display_path,
           "symbolic link whose target cannot be resolved (" + ec.message() + "); not checked"});
      return;
    }
    target = resolved.string();
    link_note = " (symbolic link to " + target + ")";
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    out.diagnostics.push_back({Severity::warning, display_path,
                               std::string("cannot check permissions: ") + std::strerror(errno)});
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    out.diagnostics.push_back({Severity::warning, display_path + link_note,
                               "is a directory, expected a credential file; not checked"});
    return;
  }
  if (const char* fsname = non_posix_filesystem(target)) {
    out.diagnostics.push_back(
        {Severity::note, display_path + link_note,
         std::string("on a ") + fsname +
             " filesystem, which has no per-file POSIX modes; permission check skipped"});
    return;
  }
  unsigned mode = st.st_mode & 07777;
  if (mode & 077) {
    bool writable = mode & 022;
    bool fixed = false;
    if (options.fix) {
      if (::chmod(target.c_str(), 0600) != 0) {
        out.diagnostics.push_back(
            {Severity::error, display_path + link_note,
             std::string("--fix: chmod 600 failed: ") + std::strerror(errno)});
      } else {
        struct stat after {};
        if (::stat(target.c_str(), &after) == 0 && (after.st_mode & 07777) == 0600) {
          fixed = true;
          out.fixes.push_back(display_path + link_note + ": mode " + mode_string(mode) +
                              " -> 0600");
        } else {
          out.diagnostics.push_back(
              {Severity::error, display_path + link_note, "--fix: chmod 600 did not take effect"});
        }
      }
    }
    if (!fixed) {
      std::string what;
      if (writable)
        what = "writable by " + who_can(mode, 020, 002) + ", who can replace the token";
      else if (mode & 044)
        what = "readable by " + who_can(mode, 040, 004) + ", who can copy the token";
      else
        what = "has group or other permission bits";
      std::string msg = display_path + link_note + " has mode " + mode_string(mode) + ": " + what +
                        "; fix: chmod 600 " + display_path;
      out.findings.push_back(make_finding(rule_loose_permissions,
                                          writable ? Severity::error : Severity::warning,
                                          display_path, "mode", std::move(msg)));
    }
  }
  uid_t me = ::geteuid();
  if (st.st_uid != me) {
    std::string msg = display_path + link_note + " is owned by uid " + std::to_string(st.st_uid) +
                      user_name(st.st_uid) + ", not by the user running zenolint (uid " +
                      std::to_string(me) + user_name(me) +
                      "); that user can read and replace the token; fix: chown \"$(id -un)\" " +
                      display_path + " && chmod 600 " + display_path;
    out.findings.push_back(make_finding(rule_loose_permissions, Severity::warning, display_path,
                                        "owner", std::move(msg)));
  }
  check_parents(fs::path(fs_path).parent_path().empty() ? fs::path(".")
                                                        : fs::path(fs_path).parent_path(),
                display_path, options, out);
  if (target != fs_path)
    check_parents(fs::path(target).parent_path(), display_path, PermissionOptions{}, out);
}

} // namespace zenolint::checks
