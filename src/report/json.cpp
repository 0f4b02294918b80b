#include "report/json_shared.hpp"
#include "report/report.hpp"
#include "report/sarif_support.hpp"
#include "zenolint_version.hpp"

#include <nlohmann/json.hpp>

namespace zenolint::report {

using nlohmann::json;

json commit_json(const CommitInfo& c)
{
  return json{{"commit", c.id},
              {"author", c.author},
              {"email", c.email},
              {"date", c.date},
              {"summary", c.summary}};
}

json stats_json(const ScanStats& s)
{
  return json{{"files", s.files},
              {"history_blobs", s.history_blobs},
              {"blobs_scanned", s.blobs_scanned},
              {"bytes_scanned", s.bytes_scanned},
              {"blobs_deduplicated", s.blobs_deduplicated},
              {"commits", s.commits},
              {"archives", s.archives},
              {"archive_members", s.archive_members},
              {"skipped",
               {{"binary", s.skipped_binary},
                {"too_large", s.skipped_too_large},
                {"symlink", s.skipped_symlink},
                {"other", s.skipped_other}}},
              {"suppressed",
               {{"inline", s.suppressed_inline},
                {"baseline", s.suppressed_baseline},
                {"ignore_file", s.suppressed_ignore}}}};
}

json exposure_json(const Exposure& e)
{
  return json{{"in_head", e.in_head},
              {"branches", e.branches},
              {"remotes", e.remotes},
              {"tags", e.tags},
              {"stash_only", e.stash_only},
              {"unreachable_only", e.unreachable_only},
              {"zenodo_archived_releases", e.zenodo_archived_releases}};
}

json diagnostic_json(const Diagnostic& d)
{
  return json{{"severity", to_string(d.severity)}, {"subject", d.subject}, {"message", d.message}};
}

json finding_json(const Finding& f, const ReportOptions& options)
{
  json j{{"rule", f.rule_id},
         {"severity", to_string(f.severity)},
         {"instance", to_string(f.instance)},
         {"message", redact_in(f.message, f, options)},
         {"path", f.path},
         {"line", f.line},
         {"column", f.column},
         {"end_line", f.end_line},
         {"end_column", f.end_column},
         {"fingerprint", f.fingerprint},
         {"secret", printable_secret(f, options)},
         {"source", to_string(f.provenance.kind)}};
  if (!f.blob.is_zero())
    j["blob"] = f.blob.hex();
  if (!f.label.empty())
    j["label"] = redact_in(f.label, f, options);
  if (!f.written.empty())
    j["encoding"] = "base64"; // the file holds the secret base64-encoded
  if (f.provenance.commit)
    j.update(commit_json(*f.provenance.commit));
  if (f.introduced_by)
    j["introduced_by"] = commit_json(*f.introduced_by);
  if (f.provenance.unreachable)
    j["unreachable"] = true;
  if (!f.provenance.members.empty())
    j["archive"] = {{"path", f.provenance.path}, {"members", f.provenance.members}};
  if (f.other_locations)
    j["other_locations"] = f.other_locations;
  if (f.verified)
    j["verified"] = to_string(*f.verified);
  if (f.exposure)
    j["exposure"] = exposure_json(*f.exposure);
  return j;
}

void write_json(std::ostream& out, const Report& report, const ReportOptions& options)
{
  json findings = json::array();
  for (const auto& f : report.findings)
    findings.push_back(finding_json(f, options));
  json diags = json::array();
  for (const auto& d : report.diagnostics)
    diags.push_back(diagnostic_json(d));
  json doc{{"tool", {{"name", "zenolint"}, {"version", ZENOLINT_VERSION}}},
           {"schema_version", 1},
           {"scan", report.scan_kind},
           {"findings", std::move(findings)},
           {"diagnostics", std::move(diags)},
           {"stats", stats_json(report.stats)}};
  if (report.release)
    doc["release"] = {{"rev", report.release->rev},
                      {"commit", commit_json(report.release->commit)},
                      {"published", report.release->published},
                      {"excluded", report.release->excluded}};
  out << dump_report(doc) << '\n';
}

} // namespace zenolint::report
