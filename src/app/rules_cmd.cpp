#include "app/rules_cmd.hpp"

#include "core/text.hpp"
#include "match/self_test.hpp"
#include "rules/loader.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zenolint::app {

int rules_list(const std::vector<std::string>& extra_dirs, bool json, std::ostream& out)
{
  auto set = rules::load(extra_dirs);
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : set.rules)
      arr.push_back({{"id", r.id},
                     {"name", r.name},
                     {"severity", to_string(r.severity)},
                     {"description", r.description},
                     {"keywords", r.keywords},
                     {"source", r.source_file}});
    out << arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
  }
  for (const auto& r : set.rules)
    out << terminal_safe(r.id) << "  " << to_string(r.severity) << "  " << terminal_safe(r.name)
        << "  " << terminal_safe(r.description) << '\n';
  out << set.rules.size() << " rules\n";
  return 0;
}

int rules_test(const std::string& dir, const std::vector<std::string>& extra_dirs, bool json,
               std::ostream& out, std::ostream& err)
{
  rules::RuleSet set;
  if (dir.empty())
    set = rules::load(extra_dirs);
  else
    rules::merge(set, rules::load_rule_dir(dir));
  auto result = match::self_test(set);
  if (json) {
    nlohmann::json doc{{"rules", result.rules},
                       {"examples", result.examples},
                       {"negative_examples", result.negative_examples},
                       {"failures", result.failures}};
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return result.failures.empty() ? 0 : 1;
  }
  for (const auto& f : result.failures)
    err << "FAIL " << terminal_safe(f) << '\n';
  out << result.rules << " rules, " << result.examples << " examples, " << result.negative_examples
      << " negative examples: " << result.failures.size() << " failures\n";
  return result.failures.empty() ? 0 : 1;
}

} // namespace zenolint::app
