#pragma once
// Rule ids and a Finding builder shared by the credential-file checks. Their reporter metadata
// (name, help, severity...) is data: rules/credential-files.json, kind "credential-file".
// Check findings never carry a secret: Finding::secret stays empty and fingerprints are derived
// from the rule id, the path and a stable key (label, problem kind), never from a raw token.
#include "core/types.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::checks {

inline constexpr std::string_view rule_loose_permissions = "config/loose-permissions";
inline constexpr std::string_view rule_misleading_label = "config/misleading-label";
inline constexpr std::string_view rule_placeholder_token = "config/placeholder-token";
inline constexpr std::string_view rule_tracked_file = "config/tracked-credential-file";
// Every rule id the checks emit: each has its metadata (kind credential-file) in the embedded
// rules, which a unit test checks.
inline constexpr std::array<std::string_view, 4> rule_ids = {
    rule_loose_permissions, rule_misleading_label, rule_placeholder_token, rule_tracked_file};

struct Result {
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> fixes; // one line per change made by --fix ("PATH: mode 0644 -> 0600")
};

// A finding of `rule` on `path` at a 1-based position. `key` distinguishes findings of one rule
// on one file (label, "mode", "owner", "parent:DIR"...) and feeds the fingerprint.
Finding make_finding(std::string_view rule, Severity severity, const std::string& path,
                     const std::string& key, std::string message, std::uint32_t line = 1,
                     std::uint32_t column = 1, std::uint32_t end_column = 1);

} // namespace zenolint::checks
