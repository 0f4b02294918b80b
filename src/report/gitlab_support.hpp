#pragma once
// Pieces of the GitLab writer exposed for unit tests.
#include "core/rule_meta.hpp"
#include "core/types.hpp"

#include <chrono>
#include <string>

namespace zenolint::report {

// UTC time as the GitLab schema wants it: "YYYY-MM-DDTHH:MM:SS" (no zone, no fraction).
std::string gitlab_time(std::chrono::system_clock::time_point t);
// Critical (token rule, severity error), High (credential-file check, error), Medium (warning),
// Low (note). `kind` is the kind of the finding's rule.
std::string gitlab_severity(const Finding& f, RuleKind kind);
// Deterministic UUID-shaped id, unique per finding location (fingerprint, path, position, commit).
std::string gitlab_vulnerability_id(const Finding& f);

} // namespace zenolint::report
