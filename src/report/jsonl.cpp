#include "report/jsonl.hpp"

#include "core/digest.hpp"
#include "report/json_shared.hpp"
#include "report/sarif_support.hpp"
#include "zenolint_version.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace zenolint::report {

using nlohmann::json;

namespace {

constexpr int record_version = 1;

// UTC with microseconds, "2026-11-30T08:40:01.123456Z"; empty for an unset time.
std::string time_text(std::chrono::system_clock::time_point t)
{
  if (t == std::chrono::system_clock::time_point{})
    return {};
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>((us % 1000000 + 1000000) % 1000000));
  return buf;
}

std::chrono::system_clock::time_point parse_time(const std::string& s)
{
  std::tm tm{};
  long long micros = 0;
  if (s.empty() || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6lldZ", &tm.tm_year, &tm.tm_mon,
                               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros) != 7)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs) +
                                               std::chrono::microseconds(micros));
}

json provenance_json(const Provenance& p)
{
  json j{{"kind", to_string(p.kind)}, {"path", p.path}};
  if (p.commit)
    j["commit"] = commit_json(*p.commit);
  if (p.unreachable)
    j["unreachable"] = true;
  if (!p.members.empty())
    j["members"] = p.members;
  return j;
}

CommitInfo commit_from(const json& j)
{
  CommitInfo c;
  c.id = j.at("commit").get<std::string>();
  c.author = j.at("author").get<std::string>();
  c.email = j.at("email").get<std::string>();
  c.date = j.at("date").get<std::string>();
  c.summary = j.at("summary").get<std::string>();
  return c;
}

Provenance::Kind kind_from(const std::string& s)
{
  for (auto k : {Provenance::Kind::worktree, Provenance::Kind::staged, Provenance::Kind::history,
                 Provenance::Kind::object, Provenance::Kind::stdin_, Provenance::Kind::release})
    if (to_string(k) == s)
      return k;
  throw std::runtime_error("unknown provenance kind '" + s + "'");
}

Provenance provenance_from(const json& j)
{
  Provenance p;
  p.kind = kind_from(j.at("kind").get<std::string>());
  p.path = j.at("path").get<std::string>();
  if (j.contains("commit"))
    p.commit = commit_from(j.at("commit"));
  p.unreachable = j.value("unreachable", false);
  if (j.contains("members"))
    p.members = j.at("members").get<std::vector<std::string>>();
  return p;
}

Severity severity_from(const json& j)
{
  auto s = parse_severity(j.get<std::string>());
  if (!s)
    throw std::runtime_error("unknown severity " + j.dump());
  return *s;
}

std::string secret_id(const std::string& secret)
{
  return sha256_hex("zenolint-secret:" + secret);
}

// A string whose match::redact() form is `printable` ("abcd…") and that is equal for two
// findings exactly when their secret_ids are (up to the first few hex digits for secrets shorter
// than 8 characters, whose redacted form keeps fewer than 4 characters).
std::string stand_in(const std::string& printable, const std::string& id)
{
  static const std::string ellipsis = "\u2026";
  std::string prefix = printable;
  if (prefix.size() >= ellipsis.size() &&
      prefix.compare(prefix.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0)
    prefix.erase(prefix.size() - ellipsis.size());
  if (prefix.size() >= 4)
    return prefix + id;                            // redact keeps min(4, size / 2) = 4 characters
  return prefix + id.substr(0, prefix.size() + 1); // size 2k+1: redact keeps k
}

// The report's finding (finding_json), with the provenance as one object instead of the
// fields the report flattens into the finding, and what `merge` needs to rebuild the finding.
json finding_record(const Finding& f, bool show_secrets)
{
  ReportOptions ropts;
  ropts.show_secrets = show_secrets;
  json j = finding_json(f, ropts);
  for (const char* flattened :
       {"source", "commit", "author", "email", "date", "summary", "unreachable", "archive"})
    j.erase(flattened);
  j["line_hash"] = f.line_hash;
  j["provenance"] = provenance_json(f.provenance);
  if (f.secret.empty())
    j.erase("secret");
  else
    j["secret_id"] = secret_id(f.secret);
  if (!f.history_places.empty()) {
    json places = json::array();
    for (const auto& p : f.history_places)
      places.push_back(provenance_json(p));
    j["history_places"] = std::move(places);
  }
  return j;
}

Finding finding_from(const json& j, bool raw_secrets)
{
  Finding f;
  f.rule_id = j.at("rule").get<std::string>();
  f.severity = severity_from(j.at("severity"));
  auto instance = parse_instance(j.at("instance").get<std::string>());
  if (!instance)
    throw std::runtime_error("unknown instance " + j.at("instance").dump());
  f.instance = *instance;
  f.message = j.at("message").get<std::string>();
  f.path = j.at("path").get<std::string>();
  f.line = j.at("line").get<std::uint32_t>();
  f.column = j.at("column").get<std::uint32_t>();
  f.end_line = j.at("end_line").get<std::uint32_t>();
  f.end_column = j.at("end_column").get<std::uint32_t>();
  f.fingerprint = j.at("fingerprint").get<std::string>();
  f.line_hash = j.at("line_hash").get<std::string>();
  f.provenance = provenance_from(j.at("provenance"));
  if (j.contains("secret")) {
    std::string secret = j.at("secret").get<std::string>();
    f.secret = raw_secrets ? secret : stand_in(secret, j.at("secret_id").get<std::string>());
  }
  f.label = j.value("label", std::string());
  if (j.contains("blob")) {
    auto id = BlobId::from_hex(j.at("blob").get<std::string>());
    if (!id)
      throw std::runtime_error("bad blob id " + j.at("blob").dump());
    f.blob = *id;
  }
  if (j.contains("introduced_by"))
    f.introduced_by = commit_from(j.at("introduced_by"));
  f.other_locations = j.value("other_locations", 0u);
  if (j.contains("history_places"))
    for (const auto& p : j.at("history_places"))
      f.history_places.push_back(provenance_from(p));
  if (j.contains("exposure")) {
    const auto& e = j.at("exposure");
    Exposure x;
    x.in_head = e.at("in_head").get<bool>();
    x.branches = e.at("branches").get<std::vector<std::string>>();
    x.remotes = e.at("remotes").get<std::vector<std::string>>();
    x.tags = e.at("tags").get<std::vector<std::string>>();
    x.stash_only = e.at("stash_only").get<bool>();
    x.unreachable_only = e.at("unreachable_only").get<bool>();
    x.zenodo_archived_releases = e.at("zenodo_archived_releases").get<std::vector<std::string>>();
    f.exposure = std::move(x);
  }
  if (j.contains("verified")) {
    std::string v = j.at("verified").get<std::string>();
    for (auto l : {Liveness::active, Liveness::inactive, Liveness::unknown})
      if (to_string(l) == v)
        f.verified = l;
  }
  return f;
}

ScanStats stats_from(const json& j)
{
  ScanStats s;
  s.files = j.at("files").get<std::uint64_t>();
  s.history_blobs = j.value("history_blobs", std::uint64_t{0}); // absent in older records
  s.blobs_scanned = j.at("blobs_scanned").get<std::uint64_t>();
  s.bytes_scanned = j.at("bytes_scanned").get<std::uint64_t>();
  s.blobs_deduplicated = j.at("blobs_deduplicated").get<std::uint64_t>();
  s.commits = j.at("commits").get<std::uint64_t>();
  s.archives = j.at("archives").get<std::uint64_t>();
  s.archive_members = j.at("archive_members").get<std::uint64_t>();
  const auto& sk = j.at("skipped");
  s.skipped_binary = sk.at("binary").get<std::uint64_t>();
  s.skipped_too_large = sk.at("too_large").get<std::uint64_t>();
  s.skipped_symlink = sk.at("symlink").get<std::uint64_t>();
  s.skipped_other = sk.at("other").get<std::uint64_t>();
  const auto& su = j.at("suppressed");
  s.suppressed_inline = su.at("inline").get<std::uint64_t>();
  s.suppressed_baseline = su.at("baseline").get<std::uint64_t>();
  s.suppressed_ignore = su.at("ignore_file").get<std::uint64_t>();
  return s;
}

json rule_json(const RuleMeta& r)
{
  return json{{"id", r.id},
              {"kind", to_string(r.kind)},
              {"name", r.name},
              {"description", r.description},
              {"help", r.help},
              {"references", r.references},
              {"severity", to_string(r.severity)},
              {"tags", r.tags},
              {"precision", r.precision}};
}

RuleMeta rule_from(const json& j)
{
  RuleMeta r;
  r.id = j.at("id").get<std::string>();
  auto kind = parse_rule_kind(j.at("kind").get<std::string>());
  if (!kind)
    throw std::runtime_error("unknown rule kind " + j.at("kind").dump());
  r.kind = *kind;
  r.name = j.at("name").get<std::string>();
  r.description = j.at("description").get<std::string>();
  r.help = j.at("help").get<std::string>();
  r.references = j.at("references").get<std::vector<std::string>>();
  r.severity = severity_from(j.at("severity"));
  r.tags = j.at("tags").get<std::vector<std::string>>();
  r.precision = j.at("precision").get<std::string>();
  return r;
}

} // namespace

std::string record_line(const RepoRecord& record, bool show_secrets)
{
  const Report& rep = record.report;
  json findings = json::array();
  for (const auto& f : rep.findings)
    findings.push_back(finding_record(f, show_secrets));
  json diags = json::array();
  for (const auto& d : rep.diagnostics)
    diags.push_back(
        {{"severity", to_string(d.severity)}, {"subject", d.subject}, {"message", d.message}});
  json rules = json::array();
  for (const auto& r : rep.rules)
    rules.push_back(rule_json(r));
  json j{{"zenolint_record", record_version},
         {"tool", {{"name", "zenolint"}, {"version", ZENOLINT_VERSION}}},
         {"repository", record.repository},
         {"path", record.path},
         {"status", record.ok ? "ok" : "error"},
         {"refs_fingerprint", record.refs_fingerprint},
         {"worktree_fingerprint", record.worktree_fingerprint},
         {"config_fingerprint", record.config_fingerprint},
         {"secrets", show_secrets ? "raw" : "redacted"},
         {"scan", rep.scan_kind},
         {"root", rep.root},
         {"started", time_text(rep.started)},
         {"finished", time_text(rep.finished)},
         {"findings", std::move(findings)},
         {"diagnostics", std::move(diags)},
         {"stats", stats_json(rep.stats)},
         {"rules", std::move(rules)}};
  if (!record.ok)
    j["error"] = record.error;
  // One line: dump() without indentation escapes every control character in strings, so the
  // record holds no raw newline.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<RepoRecord> parse_record(std::string_view line, std::string& error)
{
  try {
    json j = json::parse(line);
    if (!j.is_object() || !j.contains("zenolint_record")) {
      error = "not a zenolint record";
      return std::nullopt;
    }
    if (j.at("zenolint_record").get<int>() != record_version) {
      error = "record version " + j.at("zenolint_record").dump() + " is not supported (expected " +
              std::to_string(record_version) + ")";
      return std::nullopt;
    }
    RepoRecord r;
    r.repository = j.at("repository").get<std::string>();
    r.path = j.at("path").get<std::string>();
    r.ok = j.at("status").get<std::string>() == "ok";
    r.error = j.value("error", std::string());
    r.refs_fingerprint = j.at("refs_fingerprint").get<std::string>();
    r.worktree_fingerprint = j.at("worktree_fingerprint").get<std::string>();
    r.config_fingerprint = j.at("config_fingerprint").get<std::string>();
    r.raw_secrets = j.at("secrets").get<std::string>() == "raw";
    Report& rep = r.report;
    rep.scan_kind = j.at("scan").get<std::string>();
    rep.root = j.at("root").get<std::string>();
    rep.started = parse_time(j.at("started").get<std::string>());
    rep.finished = parse_time(j.at("finished").get<std::string>());
    for (const auto& f : j.at("findings"))
      rep.findings.push_back(finding_from(f, r.raw_secrets));
    for (const auto& d : j.at("diagnostics"))
      rep.diagnostics.push_back({severity_from(d.at("severity")),
                                 d.at("subject").get<std::string>(),
                                 d.at("message").get<std::string>()});
    rep.stats = stats_from(j.at("stats"));
    for (const auto& rule : j.at("rules"))
      rep.rules.push_back(rule_from(rule));
    return r;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

} // namespace zenolint::report
