#pragma once
// Baselines: accepted findings recorded so that a repository with old findings can adopt the CI
// gate.
//
// A baseline is a JSON file (see docs/ci.md):
//   {"zenolint_baseline": 1,
//    "findings": [{"rule": "zenodo/assignment", "fingerprint": "<64 hex>", "path": "a.sh",
//                  "occurrences": 2}, ...]}
// An entry matches a finding by rule id and fingerprint only (Finding::fingerprint is a hash of the
// rule id and the secret), so it stays valid when lines move or files are renamed. `path` and
// `occurrences` are for humans. No secret and no line number is ever written. Entries are sorted,
// so the same findings always give byte-identical baselines.
#include "app/scan.hpp"
#include "core/types.hpp"

#include <iosfwd>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace zenolint::app {

class Baseline {
public:
  // Reads `path`. Throws Error when it cannot be read, is not JSON, or is not a zenolint baseline
  // of a known version; a malformed entry becomes a diagnostic naming the file and entry.
  static Baseline load(const std::string& path, std::vector<Diagnostic>& diagnostics);

  bool contains(const Finding& f) const { return m_keys.count({f.rule_id, f.fingerprint}) != 0; }
  std::size_t size() const { return m_keys.size(); }

private:
  std::set<std::pair<std::string, std::string>> m_keys; // (rule id, lowercase fingerprint)
};

// Writes the baseline of `findings` to `out`.
void write_baseline(std::ostream& out, const std::vector<Finding>& findings);

// `zenolint baseline create`: scans as `cmd` says (without applying cmd.baseline) and writes the
// baseline to `output` ("-" for `out`). Diagnostics go to `err`; so does the summary ("baseline of
// N findings written to FILE"), unless `json_summary`: then `out` gets it as one JSON object,
// {baseline, findings, entries, rules: {id: entries}, diagnostics: [...]}, and `output` must be a
// file. Returns the exit status (0). Throws Error on failure.
int baseline_create(ScanCommand cmd, const std::string& output, bool json_summary,
                    std::ostream& out, std::ostream& err);

} // namespace zenolint::app
