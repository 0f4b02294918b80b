#pragma once
// Loading the active rule set for a command: the embedded defaults plus --rules directories, whose
// rules must also pass their own examples (a failing example is a fatal error naming file and
// rule).
#include "core/rule_meta.hpp"
#include "rules/rule.hpp"

#include <string>
#include <vector>

namespace zenolint::app {

rules::RuleSet load_active_rules(const std::vector<std::string>& extra_dirs);

// Reporter-facing metadata of `rules`: the token rules, then the credential-file checks.
std::vector<RuleMeta> rule_metas(const rules::RuleSet& rules);

} // namespace zenolint::app
