#pragma once
// Reporters: one writer per format. They take a finished Report and never see a secret they are
// not allowed to print: the raw secret is emitted only when ReportOptions::show_secrets is set.
#include <ostream>
#include <string>
#include <vector>

#include "core/rule_meta.hpp"
#include "core/types.hpp"

namespace zenolint::report {

enum class Format { text, json, sarif, gitlab };
std::optional<Format> parse_format(std::string_view s);

struct Report {
  std::string scan_kind = "worktree"; // worktree|staged|range|history|full|config; SARIF automation id
  std::string root;                   // what finding paths are relative to
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;
  std::vector<RuleMeta> rules; // every rule that was active (SARIF lists them all)
};

struct ReportOptions {
  bool show_secrets = false;
  bool color = false;
};

// The secret as it may be printed under `options`.
std::string printable_secret(const Finding& f, const ReportOptions& options);

void write_text(std::ostream& out, const Report& report, const ReportOptions& options);
void write_json(std::ostream& out, const Report& report, const ReportOptions& options);
void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options);
void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options);

void write(Format format, std::ostream& out, const Report& report, const ReportOptions& options);

} // namespace zenolint::report
