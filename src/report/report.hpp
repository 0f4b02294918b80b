#pragma once
// Reporters: one writer per format. They take a finished Report and never see a secret they are
// not allowed to print: the raw secret is emitted only when ReportOptions::show_secrets is set.
#include "core/rule_meta.hpp"
#include "core/types.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::report {

enum class Format { text, json, sarif, gitlab };
std::optional<Format> parse_format(std::string_view s);

// `scan --release REV`: what the release archive would publish.
struct ReleaseInfo {
  std::string rev;
  CommitInfo commit;
  std::vector<std::string> published; // sorted
  std::vector<std::string> excluded;  // sorted: in the commit's tree, left out (export-ignore)
};

struct Report {
  std::string scan_kind =
      "worktree";   // worktree|staged|range|history|full|config; SARIF automation id
  std::string root; // what finding paths are relative to
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;
  std::vector<RuleMeta> rules;        // every rule that was active (SARIF lists them all)
  std::optional<ReleaseInfo> release; // set by `scan --release`
  // When the scan started and finished (GitLab reports need both); unset: the writer uses now.
  std::chrono::system_clock::time_point started{};
  std::chrono::system_clock::time_point finished{};
};

struct ReportOptions {
  bool show_secrets = false;
  bool color = false;
  // Text format: one line per finding (grep-friendly) instead of one block per leaked secret.
  bool brief = false;
  // Text format: list each diagnostic in the report (a file); on a terminal they go to stderr
  // only, and the summary line counts them.
  bool list_diagnostics = true;
  // Text format: the run's elapsed time, shown in the summary (set only on a terminal, so reports
  // written to files stay byte-identical across runs).
  std::optional<double> elapsed_seconds;
  // GitHub code scanning limits: results per SARIF run, and size of the gzipped upload. The SARIF
  // writer keeps the most severe results within them and says so (in the report and on `warnings`).
  std::size_t sarif_max_results = 25000;
  std::uint64_t sarif_max_gzip_bytes = 10'000'000;
  // Where writers report problems with the report itself (e.g. truncation); may be null.
  std::ostream* warnings = nullptr;
};

// The kind of `f`'s rule: from report.rules, or for a rule the report does not declare, a token
// rule when the finding carries a secret.
RuleKind rule_kind(const Report& report, const Finding& f);

// The secret as it may be printed under `options`.
std::string printable_secret(const Finding& f, const ReportOptions& options);

void write_text(std::ostream& out, const Report& report, const ReportOptions& options);
void write_json(std::ostream& out, const Report& report, const ReportOptions& options);
void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options);
void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options);

void write(Format format, std::ostream& out, const Report& report, const ReportOptions& options);

} // namespace zenolint::report
