#include "report/merged.hpp"

#include "report/json_shared.hpp"
#include "zenolint_version.hpp"

#include <set>
#include <sstream>

namespace zenolint::report {

using nlohmann::json;

namespace {

std::string prefixed(const std::string& repository, const std::string& path)
{
  if (repository.empty())
    return path;
  return repository.back() == '/' ? repository + path : repository + "/" + path;
}

Diagnostic failure_diagnostic(const RepoRecord& r)
{
  return {Severity::error, r.repository, "not scanned: " + r.error};
}

json summary_json(const MergeSummary& s)
{
  return json{{"repositories", s.repositories},
              {"scanned", s.scanned},
              {"failed", s.failed},
              {"with_findings", s.with_findings},
              {"findings", s.findings},
              {"by_severity", {{"error", s.errors}, {"warning", s.warnings}, {"note", s.notes}}},
              {"secrets", s.secrets},
              {"diagnostics", s.diagnostics}};
}

void write_merged_json(std::ostream& out, const std::vector<RepoRecord>& records,
                       const std::vector<Diagnostic>& diagnostics, const ReportOptions& options)
{
  json repos = json::array();
  json findings = json::array();
  json diags = json::array();
  for (const auto& d : diagnostics)
    diags.push_back(diagnostic_json(d));
  for (const auto& r : records) {
    json entry{{"repository", r.repository},
               {"path", r.path},
               {"status", r.ok ? "ok" : "error"},
               {"scan", r.report.scan_kind},
               {"refs_fingerprint", r.refs_fingerprint},
               {"findings", r.report.findings.size()},
               {"diagnostics", r.report.diagnostics.size()},
               {"stats", stats_json(r.report.stats)}};
    if (!r.ok)
      entry["error"] = r.error;
    repos.push_back(std::move(entry));
    for (const auto& f : r.report.findings) {
      json j = finding_json(f, options);
      j["repository"] = r.repository;
      findings.push_back(std::move(j));
    }
    if (!r.ok) {
      json j = diagnostic_json(failure_diagnostic(r));
      j["repository"] = r.repository;
      diags.push_back(std::move(j));
    }
    for (const auto& d : r.report.diagnostics) {
      json j = diagnostic_json(d);
      j["repository"] = r.repository;
      diags.push_back(std::move(j));
    }
  }
  MergeSummary s = summarize(records);
  s.diagnostics += diagnostics.size();
  json doc{{"tool", {{"name", "zenolint"}, {"version", ZENOLINT_VERSION}}},
           {"schema_version", 1},
           {"scan", "repositories"},
           {"repositories", std::move(repos)},
           {"findings", std::move(findings)},
           {"diagnostics", std::move(diags)},
           {"stats", stats_json(s.stats)},
           {"summary", summary_json(s)}};
  out << dump_report(doc) << '\n';
}

void write_merged_sarif(std::ostream& out, const std::vector<RepoRecord>& records,
                        const std::vector<Diagnostic>& diagnostics, const ReportOptions& options)
{
  json runs = json::array();
  for (const auto& r : records) {
    Report rep = r.report;
    if (!r.ok)
      rep.diagnostics.insert(rep.diagnostics.begin(), failure_diagnostic(r));
    // The run `zenolint scan` writes for this repository, limits included.
    std::ostringstream text;
    write_sarif(text, rep, options);
    json doc = json::parse(text.str());
    json run = std::move(doc.at("runs").at(0));
    run["properties"]["repository"] = r.repository;
    run["properties"]["status"] = r.ok ? "ok" : "error";
    if (!r.ok)
      run["invocations"][0]["executionSuccessful"] = false;
    runs.push_back(std::move(run));
  }
  MergeSummary s = summarize(records);
  s.diagnostics += diagnostics.size();
  json props{{"summary", summary_json(s)}};
  if (!diagnostics.empty()) {
    json notes = json::array();
    for (const auto& d : diagnostics)
      notes.push_back(d.subject + ": " + d.message);
    props["mergeDiagnostics"] = std::move(notes);
  }
  json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", std::move(runs)},
           {"properties", std::move(props)}};
  out << dump_report(doc) << '\n';
}

std::string plural(std::size_t n, const char* one, const char* many)
{
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

MergeSummary summarize(const std::vector<RepoRecord>& records)
{
  MergeSummary s;
  std::set<std::string> secrets;
  for (const auto& r : records) {
    ++s.repositories;
    ++(r.ok ? s.scanned : s.failed);
    s.with_findings += r.report.findings.empty() ? 0 : 1;
    s.findings += r.report.findings.size();
    s.diagnostics += r.report.diagnostics.size() + (r.ok ? 0 : 1);
    for (const auto& f : r.report.findings) {
      ++(f.severity == Severity::error     ? s.errors
         : f.severity == Severity::warning ? s.warnings
                                           : s.notes);
      if (!f.secret.empty())
        secrets.insert(f.secret);
    }
    add_stats(s.stats, r.report.stats);
  }
  s.secrets = secrets.size();
  return s;
}

Report combined_report(const std::vector<RepoRecord>& records,
                       const std::vector<Diagnostic>& diagnostics)
{
  Report out;
  out.scan_kind = "repositories";
  out.root = ".";
  out.diagnostics = diagnostics;
  for (const auto& r : records) {
    if (out.rules.empty())
      out.rules = r.report.rules;
    if (!r.ok)
      out.diagnostics.push_back(failure_diagnostic(r));
    for (Finding f : r.report.findings) {
      f.path = prefixed(r.repository, f.path);
      f.provenance.path = prefixed(r.repository, f.provenance.path);
      out.findings.push_back(std::move(f));
    }
    for (Diagnostic d : r.report.diagnostics) {
      d.subject = prefixed(r.repository, d.subject);
      out.diagnostics.push_back(std::move(d));
    }
    add_stats(out.stats, r.report.stats);
    if (out.started == std::chrono::system_clock::time_point{} || r.report.started < out.started)
      out.started = r.report.started;
    out.finished = std::max(out.finished, r.report.finished);
  }
  return out;
}

void write_merged(Format format, std::ostream& out, const std::vector<RepoRecord>& records,
                  const std::vector<Diagnostic>& diagnostics, const ReportOptions& options)
{
  switch (format) {
  case Format::json:
    write_merged_json(out, records, diagnostics, options);
    return;
  case Format::sarif:
    write_merged_sarif(out, records, diagnostics, options);
    return;
  case Format::gitlab:
    write_gitlab(out, combined_report(records, diagnostics), options);
    return;
  case Format::text: {
    Report rep = combined_report(records, diagnostics);
    write_text(out, rep, options);
    MergeSummary s = summarize(records);
    out << plural(s.repositories, "repository", "repositories") << ": " << s.scanned << " scanned, "
        << s.failed << " failed; " << s.with_findings << " with findings ("
        << plural(s.findings, "finding", "findings") << ", "
        << plural(s.secrets, "secret", "secrets") << ")\n";
    return;
  }
  }
}

} // namespace zenolint::report
