#include "checks/permissions.hpp"

#include "core/fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <vector>

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

// `fs_path` relative to `root` when it lies below it, lexically (no link is resolved), else empty.
fs::path below(const fs::path& root, const fs::path& file)
{
  fs::path rel = file.lexically_relative(root);
  if (rel.empty() || rel == "." || *rel.begin() == "..")
    return {};
  return rel;
}

std::string errno_text(int err)
{
  return std::strerror(err);
}

} // namespace

FixOutcome fix_mode_0600(const std::string& root, const std::string& fs_path)
{
  FixOutcome r;
  if (root.empty()) {
    r.why_not = "no directory to fix files in";
    return r;
  }
  std::error_code ec;
  fs::path file = fs::absolute(fs_path, ec).lexically_normal();
  fs::path lexical_root = fs::absolute(root, ec).lexically_normal();
  // The file may be named through the real path of a root given through a link (libgit2 gives
  // work trees resolved): compare with both spellings of the root.
  fs::path start = lexical_root;
  fs::path rel = below(lexical_root, file);
  if (rel.empty()) {
    fs::path canonical_root = fs::weakly_canonical(lexical_root, ec);
    if (!ec) {
      start = canonical_root;
      rel = below(canonical_root, file);
    }
  }
  if (rel.empty()) {
    r.why_not = "outside " + root + "; --fix only changes files inside it";
    return r;
  }
  Fd dir(::open(start.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) {
    r.why_not = "cannot open " + start.string() + ": " + errno_text(errno);
    return r;
  }
  std::vector<std::string> parts;
  for (const auto& part : rel)
    if (!part.empty() && part != ".")
      parts.push_back(part.string());
  if (parts.empty() || std::find(parts.begin(), parts.end(), "..") != parts.end()) {
    r.why_not = "outside " + root + "; --fix only changes files inside it";
    return r;
  }
  fs::path walked = start;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    walked /= parts[i];
    Fd next(::openat(dir.get(), parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next) {
      int err = errno;
      struct stat st {};
      if (::fstatat(dir.get(), parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode))
        r.why_not = "directory " + walked.string() +
                    " is a symbolic link; --fix never writes through a link";
      else
        r.why_not = "cannot open directory " + walked.string() + ": " + errno_text(err);
      return r;
    }
    dir = std::move(next);
  }
  const std::string& name = parts.back();
  struct stat lst {};
  if (::fstatat(dir.get(), name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) != 0) {
    r.why_not = "cannot stat: " + errno_text(errno);
    return r;
  }
  if (S_ISLNK(lst.st_mode)) {
    r.why_not = "a symbolic link; --fix never writes through a link";
    return r;
  }
  if (!S_ISREG(lst.st_mode)) {
    r.why_not = "not a regular file";
    return r;
  }
  const int flags = O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  Fd fd(::openat(dir.get(), name.c_str(), O_RDONLY | flags));
  if (!fd && errno == EACCES) // mode without owner read: fchmod needs no read access
    fd.reset(::openat(dir.get(), name.c_str(), O_WRONLY | flags));
  if (!fd) {
    r.why_not = errno == ELOOP ? "a symbolic link; --fix never writes through a link"
                               : "cannot open: " + errno_text(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    r.why_not = "cannot stat: " + errno_text(errno);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.why_not = "not a regular file";
    return r;
  }
  if (st.st_uid != ::geteuid()) {
    r.why_not = "owned by uid " + std::to_string(st.st_uid) + user_name(st.st_uid) +
                ", not by the user running zenolint; --fix only changes the user's own files";
    return r;
  }
  if (st.st_nlink != 1) {
    r.why_not = "has " + std::to_string(st.st_nlink) + " hard links, which may be names outside " +
                root + "; not changed";
    return r;
  }
  if (::fchmod(fd.get(), 0600) != 0) {
    r.why_not = "chmod 600 failed: " + errno_text(errno);
    return r;
  }
  struct stat after {};
  if (::fstat(fd.get(), &after) != 0 || (after.st_mode & 07777) != 0600) {
    r.why_not = "chmod 600 did not take effect";
    return r;
  }
  r.changed = true;
  r.old_mode = st.st_mode & 07777;
  return r;
}

std::string mode_string(unsigned mode)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

ResolvedFile resolve_file(const std::string& fs_path)
{
  ResolvedFile out;
  struct stat lst {};
  if (::lstat(fs_path.c_str(), &lst) != 0) {
    out.error_number = errno;
    out.error = std::strerror(out.error_number);
    return out;
  }
  out.target = fs_path;
  if (S_ISLNK(lst.st_mode)) {
    std::error_code ec;
    auto resolved = fs::canonical(fs_path, ec);
    if (ec) {
      out.error =
          "symbolic link whose target cannot be resolved (" + ec.message() + "); not checked";
      return out;
    }
    out.target = resolved.string();
    out.link = true;
  }
  if (::stat(out.target.c_str(), &out.st) != 0) {
    out.error_number = errno;
    out.error = std::strerror(out.error_number);
  }
  return out;
}

void check_permissions(const std::string& fs_path, const std::string& display_path,
                       const PermissionOptions& options, Result& out)
{
  ResolvedFile file = resolve_file(fs_path);
  if (!file.error.empty()) {
    out.diagnostics.push_back(
        {Severity::warning, display_path,
         file.error_number ? "cannot check permissions: " + file.error : file.error});
    return;
  }
  const std::string& target = file.target;
  const struct stat& st = file.st;
  std::string link_note = file.link ? " (symbolic link to " + target + ")" : "";
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
      // fs_path, not the link's target: a link is never followed for writing.
      FixOutcome done = fix_mode_0600(options.fix_root, fs_path);
      if (done.changed) {
        fixed = true;
        out.fixes.push_back(display_path + ": mode " + mode_string(done.old_mode) + " -> 0600");
      } else {
        out.diagnostics.push_back(
            {Severity::warning, display_path + link_note, "--fix: not changed: " + done.why_not});
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
