#pragma once
// Checks rules against their own examples: every example must match its rule (with the expected
// instance, when one is given) and no negative example may. Returns one message per failure, each
// naming the rule file and rule id; empty when all rules pass.
#include "rules/rule.hpp"

#include <string>
#include <vector>

namespace zenolint::match {

struct SelfTestResult {
  std::size_t rules = 0, examples = 0, negative_examples = 0;
  std::vector<std::string> failures;
};

SelfTestResult self_test(const rules::RuleSet& rules);

} // namespace zenolint::match
