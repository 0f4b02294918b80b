#pragma once
// One report over many repositories (`zenolint merge`, and `zenolint scan --repos` in any format
// but jsonl), written from per-repository records (report/jsonl.hpp). Layout (docs/scale.md):
//  - json: the findings of every repository, each with a `repository` field and its path
//    relative to that repository, every diagnostic likewise, a `repositories` list (status,
//    fingerprints, counts, stats), stats summed and a `summary` across the organisation;
//  - sarif: one run per repository, exactly the run `zenolint scan` writes for it (its own
//    %SRCROOT%, rules and limits), with `properties.repository` and `properties.status`; a
//    repository that could not be scanned is a run with executionSuccessful false; the summary
//    is in the log's `properties.summary`;
//  - gitlab: the combined report (below) in GitLab's format;
//  - text: the text report of all findings with paths prefixed by their repository (one secret
//    leaked in several repositories is one group), then the repository summary.
// `records` must be sorted by repository and hold each repository once.
#include "report/jsonl.hpp"
#include "report/report.hpp"

#include <ostream>
#include <vector>

namespace zenolint::report {

struct MergeSummary {
  std::size_t repositories = 0;
  std::size_t scanned = 0; // status ok
  std::size_t failed = 0;  // status error
  std::size_t with_findings = 0;
  std::size_t findings = 0;
  std::size_t errors = 0, warnings = 0, notes = 0; // findings by severity
  std::size_t secrets = 0;                         // distinct secrets (across repositories)
  std::size_t diagnostics = 0;
  ScanStats stats; // summed
};

MergeSummary summarize(const std::vector<RepoRecord>& records);

// `diagnostics`: problems of the merge itself (torn lines, duplicates), reported with the rest.
void write_merged(Format format, std::ostream& out, const std::vector<RepoRecord>& records,
                  const std::vector<Diagnostic>& diagnostics, const ReportOptions& options);

// The merged text report as one Report (paths and subjects prefixed by the repository; a failed
// repository becomes an error diagnostic), for the text writer and the exit status.
Report combined_report(const std::vector<RepoRecord>& records,
                       const std::vector<Diagnostic>& diagnostics);

} // namespace zenolint::report
