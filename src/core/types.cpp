#include "core/types.hpp"

#include <random>

namespace zenolint {

IdHashKey random_id_hash_key()
{
  std::random_device rd;
  auto word = [&] { return (static_cast<std::uint64_t>(rd()) << 32) ^ rd(); };
  return IdHashKey{word(), word(), word()};
}

std::string BlobId::hex() const
{
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<BlobId> BlobId::from_hex(std::string_view hex)
{
  if (hex.size() != 40)
    return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  BlobId id;
  for (std::size_t i = 0; i < 20; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    id.bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return id;
}

std::string_view to_string(Severity s)
{
  switch (s) {
  case Severity::note:
    return "note";
  case Severity::warning:
    return "warning";
  case Severity::error:
    return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s)
{
  if (s == "note")
    return Severity::note;
  if (s == "warning")
    return Severity::warning;
  if (s == "error")
    return Severity::error;
  return std::nullopt;
}

std::string_view to_string(Liveness l)
{
  switch (l) {
  case Liveness::active:
    return "active";
  case Liveness::inactive:
    return "inactive";
  case Liveness::unknown:
    break;
  }
  return "unknown";
}

std::string_view to_string(Instance i)
{
  switch (i) {
  case Instance::production:
    return "production";
  case Instance::sandbox:
    return "sandbox";
  case Instance::unknown:
    return "unknown";
  }
  return "unknown";
}

std::optional<Instance> parse_instance(std::string_view s)
{
  if (s == "production")
    return Instance::production;
  if (s == "sandbox")
    return Instance::sandbox;
  if (s == "unknown")
    return Instance::unknown;
  return std::nullopt;
}

std::string_view to_string(Provenance::Kind k)
{
  switch (k) {
  case Provenance::Kind::worktree:
    return "worktree";
  case Provenance::Kind::staged:
    return "staged";
  case Provenance::Kind::history:
    return "history";
  case Provenance::Kind::object:
    return "object";
  case Provenance::Kind::stdin_:
    return "stdin";
  case Provenance::Kind::release:
    return "release";
  }
  return "worktree";
}

std::string escape_archive_component(std::string_view name)
{
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == archive_separator)
      out += "%21";
    else if (c == '%')
      out += "%25";
    else
      out += c;
  }
  return out;
}

std::string display_path(const Provenance& p)
{
  if (p.members.empty())
    return p.path;
  std::string out = escape_archive_component(p.path);
  for (const auto& m : p.members) {
    out += archive_separator;
    out += escape_archive_component(m);
  }
  return out;
}

void add_stats(ScanStats& a, const ScanStats& b)
{
  a.files += b.files;
  a.history_blobs += b.history_blobs;
  a.blobs_scanned += b.blobs_scanned;
  a.bytes_scanned += b.bytes_scanned;
  a.blobs_deduplicated += b.blobs_deduplicated;
  a.skipped_binary += b.skipped_binary;
  a.skipped_too_large += b.skipped_too_large;
  a.skipped_symlink += b.skipped_symlink;
  a.skipped_other += b.skipped_other;
  a.suppressed_inline += b.suppressed_inline;
  a.suppressed_baseline += b.suppressed_baseline;
  a.suppressed_ignore += b.suppressed_ignore;
  a.commits += b.commits;
  a.archives += b.archives;
  a.archive_members += b.archive_members;
}

} // namespace zenolint
