#include "checks/findings.hpp"

#include "core/digest.hpp"

namespace zenolint::checks {

Finding make_finding(std::string_view rule, Severity severity, const std::string& path,
                     const std::string& key, std::string message, std::uint32_t line,
                     std::uint32_t column, std::uint32_t end_column)
{
  Finding f;
  f.rule_id = std::string(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.path = path;
  f.line = f.end_line = line;
  f.column = column;
  f.end_column = std::max(end_column, column);
  std::string id = f.rule_id + ":" + path + ":" + key;
  f.fingerprint = sha256_hex(id);
  f.line_hash = sha256_hex(f.rule_id + ":" + key).substr(0, 16);
  f.provenance.kind = Provenance::Kind::worktree;
  f.provenance.path = path;
  return f;
}

} // namespace zenolint::checks
