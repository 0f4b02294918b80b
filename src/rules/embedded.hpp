#pragma once
// The default rules, compiled into the binary from rules/*.json (see cmake/EmbedRules.cmake).
#include <string_view>
#include <vector>

namespace zenolint::rules {

struct EmbeddedRuleFile {
  std::string_view name;    // "rules/<file>.json"
  std::string_view content; // the JSON text
  std::string_view lean;    // the same without examples and negative_examples (a scan's rules)
};

const std::vector<EmbeddedRuleFile>& embedded_rule_files();

} // namespace zenolint::rules
