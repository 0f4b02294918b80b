#pragma once
// JSON fragments shared by the json, sarif and gitlab writers.
#include "core/types.hpp"
#include "report/report.hpp"

#include <nlohmann/json.hpp>

namespace zenolint::report {

nlohmann::json commit_json(const CommitInfo& c);
nlohmann::json stats_json(const ScanStats& s);
// {in_head, branches, remotes, tags, stash_only, unreachable_only, zenodo_archived_releases}
nlohmann::json exposure_json(const Exposure& e);

// One finding and one diagnostic as `--format json` writes them (the secret as `options` allow).
nlohmann::json finding_json(const Finding& f, const ReportOptions& options);
nlohmann::json diagnostic_json(const Diagnostic& d);

// `doc` as indented JSON text. Never throws on strings that are not valid UTF-8 (a Latin-1 file
// name, a secret from a binary-ish file): each invalid byte becomes U+FFFD. Every report writer
// serialises through this.
inline std::string dump_report(const nlohmann::json& doc)
{
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace zenolint::report
