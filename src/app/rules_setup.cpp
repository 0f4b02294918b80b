#include "app/rules_setup.hpp"

#include "core/error.hpp"
#include "match/self_test.hpp"
#include "rules/loader.hpp"

namespace zenolint::app {

rules::RuleSet load_active_rules(const std::vector<std::string>& extra_dirs)
{
  // A scan needs no rule's examples: the default rules without them parse in half the time.
  rules::RuleSet set = rules::load(extra_dirs, true, false);
  if (!extra_dirs.empty()) {
    rules::RuleSet extra = rules::load(extra_dirs, false);
    auto result = match::self_test(extra);
    if (!result.failures.empty())
      throw Error(result.failures.front() +
                  (result.failures.size() > 1
                       ? " (and " + std::to_string(result.failures.size() - 1) + " more failures)"
                       : std::string()));
  }
  return set;
}

std::vector<RuleMeta> rule_metas(const rules::RuleSet& rules)
{
  std::vector<RuleMeta> out;
  for (const auto* list : {&rules.rules, &rules.checks})
    for (const auto& r : *list)
      out.push_back(rules::to_meta(r));
  return out;
}

} // namespace zenolint::app
