#pragma once
// Loading and validating rule files. Any problem (bad JSON, missing or mistyped field, pattern RE2
// rejects, pattern without a `secret` group, message template with an unknown placeholder, unknown
// kind, duplicate id) throws zenolint::Error naming the file and the rule id. Examples are checked
// separately by rules::self_test (needs the matcher). Rules of kind credential-file (metadata of
// the built-in checks) come only from the embedded files; a rule directory holding one is refused.
#include "rules/rule.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace zenolint::rules {

// Parses one rule file's JSON text. `origin` names the file in errors. `check_patterns`: compile
// every pattern with RE2 to refuse a bad one here (false only for the embedded rules, which the
// build's tests check; the matcher compiles a pattern when it first runs it).
// `lean`: the file's rules come without examples (the embedded lean text), which is then allowed.
std::vector<Rule> parse_rule_file(std::string_view json_text, const std::string& origin,
                                  bool check_patterns = true, bool lean = false);

// The embedded default rules (patterns not compiled here, see above). Without `examples`, the
// rules' examples and negative examples are left out (what a scan needs; parsed in half the time).
RuleSet default_rules(bool examples = true);

// All *.json files in `dir` (sorted by name). Throws if `dir` is not a readable directory.
std::vector<Rule> load_rule_dir(const std::string& dir);

// Appends `more` to `set` (token rules to set.rules, checks to set.checks); throws on a duplicate
// id (naming both files).
void merge(RuleSet& set, std::vector<Rule> more);

// Default rules plus each of `extra_dirs`.
// `default_examples` false: the default rules without their examples (default_rules).
RuleSet load(const std::vector<std::string>& extra_dirs, bool include_defaults = true,
             bool default_examples = true);

} // namespace zenolint::rules
