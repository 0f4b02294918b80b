#pragma once
// JSON fragments shared by the json, sarif and gitlab writers.
#include "core/types.hpp"

#include <nlohmann/json.hpp>

namespace zenolint::report {

nlohmann::json commit_json(const CommitInfo& c);
nlohmann::json stats_json(const ScanStats& s);

} // namespace zenolint::report
