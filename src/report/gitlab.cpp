// GitLab secret-detection report (security report schema 15.x), so the same gate works in GitLab
// CI (artifacts:reports:secret_detection). Times are UTC in the schema's "YYYY-MM-DDTHH:MM:SS".
#include "core/digest.hpp"
#include "report/gitlab_support.hpp"
#include "report/json_shared.hpp"
#include "report/remediation.hpp"
#include "report/report.hpp"
#include "report/sarif_support.hpp"
#include "zenolint_version.hpp"

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

namespace zenolint::report {

using nlohmann::json;

std::string gitlab_time(std::chrono::system_clock::time_point t)
{
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string gitlab_severity(const Finding& f, RuleKind kind)
{
  bool token_rule = kind == RuleKind::token;
  switch (f.severity) {
  case Severity::error:
    return token_rule ? "Critical" : "High";
  case Severity::warning:
    return "Medium";
  case Severity::note:
    return "Low";
  }
  return "Unknown";
}

std::string gitlab_vulnerability_id(const Finding& f)
{
  // Deterministic, unique per location: UUID layout (version 5 style) of a SHA-256.
  std::string commit = f.provenance.commit ? f.provenance.commit->id : "";
  std::string h = sha256_hex(f.fingerprint + "\n" + f.path + "\n" + std::to_string(f.line) + ":" +
                             std::to_string(f.column) + "\n" + commit);
  h[12] = '5';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

namespace {

// Exposure as a GitLab `details` named list (the schema's way of carrying extra fields).
json exposure_details(const Exposure& e)
{
  auto flag = [](const char* name, bool value) {
    return json{{"type", "text"}, {"name", name}, {"value", value ? "true" : "false"}};
  };
  auto list = [](const char* name, const std::vector<std::string>& values) {
    json items = json::array();
    for (const auto& v : values)
      items.push_back({{"type", "text"}, {"value", v}});
    return json{{"type", "list"}, {"name", name}, {"items", std::move(items)}};
  };
  return json{{"type", "named-list"},
              {"name", "exposure"},
              {"items",
               {{"in_head", flag("in_head", e.in_head)},
                {"branches", list("branches", e.branches)},
                {"remotes", list("remotes", e.remotes)},
                {"tags", list("tags", e.tags)},
                {"stash_only", flag("stash_only", e.stash_only)},
                {"unreachable_only", flag("unreachable_only", e.unreachable_only)},
                {"zenodo_archived_releases",
                 list("zenodo_archived_releases", e.zenodo_archived_releases)}}}};
}

} // namespace

void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options)
{
  std::map<std::string, const RuleMeta*> rule_of;
  for (const auto& r : report.rules)
    rule_of.emplace(r.id, &r);
  auto identifier = [&](const std::string& rule_id) {
    json id{{"type", "zenolint_rule_id"}, {"name", "zenolint " + rule_id}, {"value", rule_id}};
    if (auto it = rule_of.find(rule_id); it != rule_of.end() && !it->second->references.empty())
      id["url"] = it->second->references.front();
    return id;
  };

  std::map<std::string, std::vector<const Finding*>> by_secret;
  for (const auto& f : report.findings)
    if (!f.secret.empty())
      by_secret[f.secret].push_back(&f);

  json vulns = json::array();
  std::map<std::string, json> primary_identifiers;
  for (const auto& f : report.findings) {
    json commit{{"sha", "0000000000000000000000000000000000000000"}};
    const CommitInfo* c = f.provenance.commit ? &*f.provenance.commit
                          : f.introduced_by   ? &*f.introduced_by
                                              : nullptr;
    if (c) {
      commit["sha"] = c->id;
      commit["author"] = c->author;
      commit["date"] = c->date;
      commit["message"] = c->summary;
    }
    json loc{{"file", f.path},
             {"start_line", std::max<std::uint32_t>(1, f.line)},
             {"end_line", std::max<std::uint32_t>({1, f.line, f.end_line})},
             {"commit", commit}};
    const RuleMeta* rule = rule_of.count(f.rule_id) ? rule_of[f.rule_id] : nullptr;
    std::string name = rule && !rule->name.empty() ? rule->name : f.rule_id;
    std::string description = redact_in(f.message, f, options);
    json v{{"id", gitlab_vulnerability_id(f)},
           {"category", "secret_detection"},
           {"name", name.substr(0, 255)},
           {"description", description},
           {"severity", gitlab_severity(f, rule_kind(report, f))},
           {"location", loc},
           {"identifiers", json::array({identifier(f.rule_id)})}};
    if (!f.secret.empty())
      v["solution"] = numbered_steps(facts_of(by_secret[f.secret]));
    else if (rule && !rule->help.empty())
      v["solution"] = rule->help;
    if (f.verified)
      v["details"]["verified"] = {
          {"type", "text"}, {"name", "Verified"}, {"value", to_string(*f.verified)}};
    if (f.exposure)
      v["details"]["exposure"] = exposure_details(*f.exposure);
    if (auto s = printable_secret(f, options); !s.empty())
      v["raw_source_code_extract"] = s;
    primary_identifiers.emplace(f.rule_id, identifier(f.rule_id));
    vulns.push_back(std::move(v));
  }

  json scanner{{"id", "zenolint"},
               {"name", "zenolint"},
               {"version", ZENOLINT_VERSION},
               {"url", "https://github.com/zenolint/zenolint"},
               {"vendor", {{"name", "zenolint"}}}};
  auto now = std::chrono::system_clock::now();
  auto start = report.started == std::chrono::system_clock::time_point{} ? now : report.started;
  auto end = report.finished == std::chrono::system_clock::time_point{} ? now : report.finished;
  json scan{{"analyzer", scanner},
            {"scanner", scanner},
            {"type", "secret_detection"},
            {"status", "success"},
            {"start_time", gitlab_time(start)},
            {"end_time", gitlab_time(end)}};
  json messages = json::array();
  for (const auto& d : report.diagnostics)
    messages.push_back({{"level", d.severity == Severity::note ? "info" : "warn"},
                        {"value", d.subject + ": " + d.message}});
  if (!messages.empty())
    scan["messages"] = std::move(messages);
  if (!primary_identifiers.empty()) {
    json ids = json::array();
    for (auto& [id, j] : primary_identifiers)
      ids.push_back(j);
    scan["primary_identifiers"] = std::move(ids);
  }
  json doc{{"version", "15.0.7"},
           {"schema",
            "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
            "v15.0.7/dist/secret-detection-report-format.json"},
           {"scan", std::move(scan)},
           {"vulnerabilities", std::move(vulns)}};
  out << dump_report(doc) << '\n';
}

} // namespace zenolint::report
