#pragma once
// What reporters need to know about a rule, whether it is a token rule or the metadata of a
// built-in credential-file check. Both come from rules/*.json (rules/loader.hpp); kept in core so
// reporters do not depend on the rule loader.
#include "core/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint {

// What a rule finds, from its "kind" field. Reporters and stages decide by this, never by the
// rule id. A token finding carries the secret; a credential-file finding never does.
enum class RuleKind {
  token,          // "token": a pattern rule that finds a secret in content
  credential_file // "credential-file": a built-in check of credential files (no pattern)
};
std::string_view to_string(RuleKind kind);
std::optional<RuleKind> parse_rule_kind(std::string_view s);

struct RuleMeta {
  std::string id;
  std::string name;
  std::string description; // one sentence
  std::string help;        // markdown
  std::vector<std::string> references;
  Severity severity = Severity::error;
  std::vector<std::string> tags;
  std::string precision = "high";
  RuleKind kind = RuleKind::token;
  // Token rules: a file in which this rule finds a token also gets the credential-file label
  // checks (JSON "label_checks"; e.g. tokens under an INI section).
  bool label_checks = false;
};

inline std::string_view to_string(RuleKind kind)
{
  return kind == RuleKind::token ? "token" : "credential-file";
}

inline std::optional<RuleKind> parse_rule_kind(std::string_view s)
{
  if (s == "token")
    return RuleKind::token;
  if (s == "credential-file")
    return RuleKind::credential_file;
  return std::nullopt;
}

// The rule of `id` in `rules`, or null.
inline const RuleMeta* find_rule(const std::vector<RuleMeta>& rules, std::string_view id)
{
  for (const auto& r : rules)
    if (r.id == id)
      return &r;
  return nullptr;
}

} // namespace zenolint
