#include <map>
#include <nlohmann/json.hpp>

#include "report/json_shared.hpp"
#include "report/report.hpp"
#include "zenolint_version.hpp"

namespace zenolint::report {

using nlohmann::json;

namespace {

const char* sarif_level(Severity s)
{
  switch (s) {
  case Severity::error:
    return "error";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "note";
  }
  return "warning";
}

} // namespace

void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options)
{
  json rules = json::array();
  std::map<std::string, std::size_t> index_of;
  for (const auto& r : report.rules) {
    if (index_of.count(r.id))
      continue;
    index_of[r.id] = rules.size();
    json rule{{"id", r.id},
              {"name", r.name},
              {"shortDescription", {{"text", r.description}}},
              {"fullDescription", {{"text", r.description}}},
              {"help", {{"text", r.help}, {"markdown", r.help}}},
              {"defaultConfiguration", {{"level", sarif_level(r.severity)}}},
              {"properties", {{"tags", r.tags}, {"precision", r.precision}}}};
    if (!r.references.empty())
      rule["helpUri"] = r.references.front();
    rules.push_back(std::move(rule));
  }
  json results = json::array();
  for (const auto& f : report.findings) {
    json region{{"startLine", std::max<std::uint32_t>(1, f.line)},
                {"startColumn", std::max<std::uint32_t>(1, f.column)},
                {"endLine", std::max<std::uint32_t>(1, f.end_line)},
                {"endColumn", std::max<std::uint32_t>(1, f.end_column)}};
    json props{{"instance", to_string(f.instance)}, {"source", to_string(f.provenance.kind)}};
    if (f.provenance.commit) {
      const auto& c = *f.provenance.commit;
      props.update(commit_json(c));
    }
    if (f.provenance.unreachable)
      props["unreachable"] = true;
    if (options.show_secrets && !f.secret.empty())
      props["secret"] = f.secret;
    json result{{"ruleId", f.rule_id},
                {"level", sarif_level(f.severity)},
                {"message", {{"text", f.message}}},
                {"locations",
                 json::array({{{"physicalLocation",
                                {{"artifactLocation", {{"uri", f.path}, {"uriBaseId", "%SRCROOT%"}}},
                                 {"region", region}}}}})},
                {"partialFingerprints",
                 {{"primaryLocationLineHash", f.line_hash + ":1"}, {"zenolint/v1", f.fingerprint}}},
                {"properties", props}};
    if (auto it = index_of.find(f.rule_id); it != index_of.end())
      result["ruleIndex"] = it->second;
    results.push_back(std::move(result));
  }
  json run{{"tool",
            {{"driver",
              {{"name", "zenolint"},
               {"semanticVersion", ZENOLINT_VERSION},
               {"informationUri", "https://github.com/zenolint/zenolint"},
               {"rules", rules}}}}},
           {"automationDetails", {{"id", "zenolint/" + report.scan_kind + "/"}}},
           {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file:///"}}}}},
           {"results", results}};
  json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", json::array({run})}};
  out << doc.dump(2) << '\n';
}

} // namespace zenolint::report
