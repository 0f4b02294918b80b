#include <nlohmann/json.hpp>

#include "report/json_shared.hpp"
#include "report/report.hpp"
#include "zenolint_version.hpp"

namespace zenolint::report {

using nlohmann::json;

void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options)
{
  json vulns = json::array();
  for (const auto& f : report.findings) {
    json loc{{"file", f.path}, {"start_line", f.line}};
    if (f.provenance.commit)
      loc["commit"] = {{"sha", f.provenance.commit->id}};
    else
      loc["commit"] = {{"sha", "0000000000000000000000000000000000000000"}};
    std::string sev = f.severity == Severity::error     ? "Critical"
                      : f.severity == Severity::warning ? "High"
                                                        : "Info";
    json v{{"id", f.fingerprint},
           {"category", "secret_detection"},
           {"name", f.rule_id},
           {"message", f.message},
           {"description", f.message},
           {"severity", sev},
           {"confidence", "High"},
           {"raw_source_code_extract", printable_secret(f, options)},
           {"scanner", {{"id", "zenolint"}, {"name", "zenolint"}}},
           {"location", loc},
           {"identifiers",
            json::array({{{"type", "zenolint_rule_id"}, {"name", f.rule_id}, {"value", f.rule_id}}})}};
    vulns.push_back(std::move(v));
  }
  json scanner{{"id", "zenolint"},
               {"name", "zenolint"},
               {"version", ZENOLINT_VERSION},
               {"vendor", {{"name", "zenolint"}}}};
  json doc{{"version", "15.0.7"},
           {"vulnerabilities", vulns},
           {"scan",
            {{"analyzer", scanner},
             {"scanner", scanner},
             {"type", "secret_detection"},
             {"status", "success"},
             {"start_time", "1970-01-01T00:00:00"},
             {"end_time", "1970-01-01T00:00:00"}}}};
  out << doc.dump(2) << '\n';
}

} // namespace zenolint::report
