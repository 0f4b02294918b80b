#pragma once
// What to do about one leaked secret, in words: the same advice in the text report, the GitLab
// `solution` and (generic, per rule) the SARIF rule help. docs/remediation.md explains each step.
#include "core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zenolint::report {

// What the advice depends on, for one secret.
struct SecretFacts {
  Instance instance = Instance::unknown;
  std::optional<Exposure> exposure; // unset when the scan did not walk the whole history
  std::optional<Liveness> verified; // unset without --verify
  bool committed = false;           // some finding of it came from git history or objects
};

// Facts about a secret from all its findings (same secret value): the first non-unknown
// instance, the exposure and liveness they carry, whether any came from history.
SecretFacts facts_of(const std::vector<const Finding*>& findings);

// The page where tokens of `instance` are revoked (unknown: production's).
std::string revoke_url(Instance instance);

// Steps in the order to take them, one plain-text sentence (or two) each, no numbering.
std::vector<std::string> remediation_steps(const SecretFacts& facts);

// remediation_steps() numbered "1. ...", one per line.
std::string numbered_steps(const SecretFacts& facts);

// The advice for any token, as Markdown (SARIF rule help of token rules).
std::string remediation_markdown();

} // namespace zenolint::report
