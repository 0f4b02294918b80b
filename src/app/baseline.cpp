#include "app/baseline.hpp"

#include "app/ignore.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

namespace zenolint::app {

using nlohmann::json;

namespace {
constexpr int baseline_version = 1;
}

Baseline Baseline::load(const std::string& path, std::vector<Diagnostic>& diagnostics)
{
  std::string text; // a regular file, opened without blocking on a FIFO
  ReadFileError err;
  if (!read_regular_file(path, std::uint64_t{256} << 20, text, &err))
    throw Error(path + ": cannot read baseline: " + err.message);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) { // parse errors, numbers out of range
    throw Error(path + ": not a valid JSON baseline: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("zenolint_baseline") ||
      !doc["zenolint_baseline"].is_number_integer())
    throw Error(path + ": not a zenolint baseline (no \"zenolint_baseline\" version field)");
  // Compared as JSON numbers: get<int>() would wrap 4294967297 to 1.
  if (doc["zenolint_baseline"] != baseline_version)
    throw Error(path + ": unsupported baseline version " + doc["zenolint_baseline"].dump() +
                " (this zenolint reads version " + std::to_string(baseline_version) + ")");
  if (!doc.contains("findings") || !doc["findings"].is_array())
    throw Error(path + ": baseline has no \"findings\" array");
  Baseline b;
  std::size_t i = 0;
  for (const auto& e : doc["findings"]) {
    std::string where = path + ": findings[" + std::to_string(i++) + "]";
    if (!e.is_object() || !e.contains("rule") || !e["rule"].is_string() ||
        !e.contains("fingerprint") || !e["fingerprint"].is_string()) {
      diagnostics.push_back({Severity::warning, where,
                             "entry needs string fields \"rule\" and \"fingerprint\"; ignored"});
      continue;
    }
    std::string fp = e["fingerprint"].get<std::string>();
    if (!is_fingerprint(fp)) {
      diagnostics.push_back(
          {Severity::warning, where, "fingerprint is not 64 hex digits; entry ignored"});
      continue;
    }
    for (auto& c : fp)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    b.m_keys.emplace(e["rule"].get<std::string>(), std::move(fp));
  }
  return b;
}

void write_baseline(std::ostream& out, const std::vector<Finding>& findings)
{
  struct Entry {
    std::string path; // smallest path, for humans
    std::size_t occurrences = 0;
  };
  std::map<std::pair<std::string, std::string>, Entry> entries;
  for (const auto& f : findings) {
    auto& e = entries[{f.rule_id, f.fingerprint}];
    if (e.occurrences == 0 || f.path < e.path)
      e.path = f.path;
    ++e.occurrences;
  }
  json list = json::array();
  for (const auto& [key, e] : entries)
    list.push_back({{"rule", key.first},
                    {"fingerprint", key.second},
                    {"path", e.path},
                    {"occurrences", e.occurrences}});
  json doc{{"zenolint_baseline", baseline_version},
           {"comment", "Accepted zenolint findings: rule id + fingerprint (SHA-256 of rule id and "
                       "secret). Use with `zenolint scan --baseline FILE`."},
           {"findings", std::move(list)}};
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

int baseline_create(ScanCommand cmd, const std::string& output, bool json_summary,
                    std::ostream& out, std::ostream& err)
{
  const bool to_stdout = output.empty() || output == "-";
  if (json_summary && to_stdout)
    throw Error("--format json prints the summary on stdout: write the baseline to a file with "
                "-o FILE");
  cmd.baseline.clear(); // a new baseline records everything that is currently found
  report::Report rep = scan(cmd);
  for (const auto& d : rep.diagnostics)
    err << "zenolint: " << to_string(d.severity) << ": " << terminal_safe(d.subject) << ": "
        << terminal_safe(d.message) << '\n';
  if (to_stdout) {
    write_baseline(out, rep.findings);
    out.flush();
  } else {
    write_file_atomically(output, [&](std::ostream& file) { write_baseline(file, rep.findings); });
  }
  if (json_summary) {
    std::set<std::pair<std::string, std::string>> entries;
    for (const auto& f : rep.findings)
      entries.emplace(f.rule_id, f.fingerprint);
    json rules = json::object();
    for (const auto& [rule, fingerprint] : entries)
      rules[rule] = rules.value(rule, 0) + 1;
    json diagnostics = json::array();
    for (const auto& d : rep.diagnostics)
      diagnostics.push_back(
          {{"severity", to_string(d.severity)}, {"subject", d.subject}, {"message", d.message}});
    json doc{{"baseline", output},
             {"findings", rep.findings.size()},
             {"entries", entries.size()},
             {"rules", std::move(rules)},
             {"diagnostics", std::move(diagnostics)}};
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    return 0;
  }
  err << "zenolint: baseline of " << rep.findings.size()
      << (rep.findings.size() == 1 ? " finding" : " findings") << " written to "
      << (to_stdout ? std::string("stdout") : terminal_safe(output)) << '\n';
  return 0;
}

} // namespace zenolint::app
