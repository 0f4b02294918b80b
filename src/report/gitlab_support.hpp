#pragma once
// Pieces of the GitLab writer exposed for unit tests.
#include "core/types.hpp"

#include <chrono>
#include <string>

namespace zenolint::report {

// UTC time as the GitLab schema wants it: "YYYY-MM-DDTHH:MM:SS" (no zone, no fraction).
std::string gitlab_time(std::chrono::system_clock::time_point t);
// Critical (token, severity error), High (config/ rule, error), Medium (warning), Low (note).
std::string gitlab_severity(const Finding& f);
// Deterministic UUID-shaped id, unique per finding location (fingerprint, path, position, commit).
std::string gitlab_vulnerability_id(const Finding& f);

} // namespace zenolint::report
