#pragma once
// What reporters need to know about a rule, whether it comes from rules/*.json or is a built-in
// check (config/...). Kept in core so reporters do not depend on the rule loader.
#include "core/types.hpp"

#include <string>
#include <vector>

namespace zenolint {

struct RuleMeta {
  std::string id;
  std::string name;
  std::string description; // one sentence
  std::string help;        // markdown
  std::vector<std::string> references;
  Severity severity = Severity::error;
  std::vector<std::string> tags;
  std::string precision = "high";
};

} // namespace zenolint
