// SARIF 2.1.0 for GitHub code scanning. What GitHub needs and why (see docs/ci.md):
//  - every rule fully described (GitHub rejects or degrades rules without fullDescription/help),
//    tagged `security` + `secret` with a string `security-severity`;
//  - repository-relative URIs under %SRCROOT%, all four region fields;
//  - partialFingerprints computed here from the blob that was scanned: the uploader would
//    otherwise hash whatever is on that line at HEAD, which is wrong for history findings;
//  - one automationDetails.id per scan kind, so a history upload does not close worktree alerts;
//  - at most 25,000 results and 10 MB gzipped per upload.
#include "core/digest.hpp"
#include "core/text.hpp"
#include "report/json_shared.hpp"
#include "report/remediation.hpp"
#include "report/report.hpp"
#include "report/sarif_support.hpp"
#include "zenolint_version.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <zlib.h>

namespace zenolint::report {

using nlohmann::json;

namespace {

std::string first_sentence(std::string_view text)
{
  for (std::size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '.' && (text[i + 1] == ' ' || text[i + 1] == '\n'))
      return std::string(text.substr(0, i + 1));
  return std::string(text);
}

// Markdown help as plain text: emphasis and code markers removed.
std::string plain_text(std::string_view markdown)
{
  std::string out;
  out.reserve(markdown.size());
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    char c = markdown[i];
    if (c == '`')
      continue;
    if (c == '*' && i + 1 < markdown.size() && markdown[i + 1] == '*') {
      ++i;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string rule_name_from_id(std::string_view id)
{
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out.empty() ? "ZenolintRule" : out;
}

json rule_descriptor(const RuleMeta& r)
{
  std::string description = r.description.empty() ? r.name : r.description;
  if (description.empty())
    description = "zenolint rule " + r.id + ".";
  std::string help = r.help.empty() ? description : r.help;
  if (r.kind == RuleKind::token) // what to do about a leaked token
    help += "\n\n" + remediation_markdown();
  std::vector<std::string> tags{"security", "secret"};
  for (const auto& t : r.tags)
    if (std::find(tags.begin(), tags.end(), t) == tags.end() && tags.size() < 10)
      tags.push_back(t);
  json rule{{"id", r.id},
            {"name", r.name.empty() ? rule_name_from_id(r.id) : r.name},
            {"shortDescription", {{"text", first_sentence(description)}}},
            {"fullDescription", {{"text", description}}},
            {"help", {{"text", plain_text(help)}, {"markdown", help}}},
            {"defaultConfiguration", {{"level", std::string(to_string(r.severity))}}},
            {"properties",
             {{"tags", tags},
              {"precision", r.precision.empty() ? "high" : r.precision},
              {"security-severity", security_severity(r)}}}};
  if (!r.references.empty())
    rule["helpUri"] = r.references.front();
  else
    rule["helpUri"] = "https://github.com/zenolint/zenolint/blob/main/docs/rules.md";
  return rule;
}

} // namespace

std::string security_severity(const RuleMeta& rule)
{
  // GitHub: critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9.
  bool token_rule = rule.kind == RuleKind::token;
  switch (rule.severity) {
  case Severity::error:
    return token_rule ? "9.1" : "7.5";
  case Severity::warning:
    return "5.0";
  case Severity::note:
    return "2.0";
  }
  return "5.0";
}

std::string redact_in(std::string text, const Finding& f, const ReportOptions& options)
{
  if (options.show_secrets || f.secret.empty())
    return text;
  std::string replacement = printable_secret(f, options);
  for (std::size_t pos = text.find(f.secret); pos != std::string::npos;
       pos = text.find(f.secret, pos + replacement.size()))
    text.replace(pos, f.secret.size(), replacement);
  return text;
}

std::string percent_encode_path(std::string_view path)
{
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' ||
        c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' ||
        c == ',' || c == ';' || c == '=' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string sarif_relative_uri(std::string_view path)
{
  std::string out;
  std::size_t start = 0;
  for (;;) {
    auto slash = path.find('/', start);
    auto segment = path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (segment.empty())
      out += "%00";
    else if (segment == ".")
      out += "%2E";
    else if (segment == "..")
      out += "%2E%2E";
    else
      out += percent_encode_path(segment);
    if (slash == std::string_view::npos)
      break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::string root_file_uri(const std::string& root)
{
  if (root.empty())
    return {};
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec)
    return {};
  if (fs::is_regular_file(p, ec))
    p = p.parent_path();
  std::string s = p.generic_string();
  if (s.empty() || s.front() != '/')
    return {};
  if (s.back() != '/')
    s.push_back('/');
  return "file://" + percent_encode_path(s);
}

std::uint64_t gzip_size(std::string_view data)
{
  // zlib with the parameters of Node's zlib.gzipSync, which GitHub's upload-sarif action uses
  // (level 6, 32 KiB window, gzip wrapper, memLevel 8); the output goes to a small buffer that is
  // only counted and reused.
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::bad_alloc();
  std::array<unsigned char, 64 * 1024> sink;
  std::uint64_t total = 0;
  std::size_t offset = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    // avail_in is 32 bits: feed at most 1 GiB at a time.
    if (z.avail_in == 0 && offset < data.size()) {
      auto chunk = std::min<std::size_t>(data.size() - offset, std::size_t{1} << 30);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
      z.avail_in = static_cast<uInt>(chunk);
      offset += chunk;
    }
    z.next_out = sink.data();
    z.avail_out = static_cast<uInt>(sink.size());
    rc = deflate(&z, offset < data.size() ? Z_NO_FLUSH : Z_FINISH);
    total += sink.size() - z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      break; // cannot happen with a valid stream; counted so far is a lower bound
  }
  deflateEnd(&z);
  return total;
}

std::vector<std::string> primary_line_hashes(const std::vector<Finding>& findings)
{
  // N in "hash:N" numbers the distinct lines with the same hash in the same file (path and blob),
  // in line order, like GitHub's own fingerprinting does.
  std::map<std::tuple<std::string, BlobId, std::string>, std::set<std::uint32_t>> lines;
  for (const auto& f : findings)
    if (!f.line_hash.empty())
      lines[{f.path, f.blob, f.line_hash}].insert(f.line);
  std::vector<std::string> out;
  out.reserve(findings.size());
  for (const auto& f : findings) {
    if (f.line_hash.empty()) { // file-level finding (e.g. permissions): stable per rule and path
      out.push_back(sha256_hex("zenolint-file:" + f.rule_id + ":" + f.path).substr(0, 16) + ":1");
      continue;
    }
    const auto& set = lines[{f.path, f.blob, f.line_hash}];
    auto n = std::distance(set.begin(), set.find(f.line)) + 1;
    out.push_back(f.line_hash + ":" + std::to_string(n));
  }
  return out;
}

void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options)
{
  // Rules: every active rule once, plus any rule a finding names that was not declared.
  json rules = json::array();
  std::map<std::string, std::size_t> index_of;
  auto add_rule = [&](const RuleMeta& r) {
    if (index_of.count(r.id))
      return;
    index_of[r.id] = rules.size();
    rules.push_back(rule_descriptor(r));
  };
  for (const auto& r : report.rules)
    add_rule(r);
  for (const auto& f : report.findings)
    if (!index_of.count(f.rule_id)) {
      RuleMeta r;
      r.id = f.rule_id;
      r.kind = rule_kind(report, f);
      r.severity = f.severity;
      r.description = first_sentence(redact_in(f.message, f, ReportOptions{}));
      add_rule(r);
    }

  const auto line_hashes = primary_line_hashes(report.findings);
  auto result_json = [&](std::size_t i) {
    const Finding& f = report.findings[i];
    std::uint32_t start_line = std::max<std::uint32_t>(1, f.line);
    std::uint32_t start_col = std::max<std::uint32_t>(1, f.column);
    std::uint32_t end_line = std::max(start_line, f.end_line);
    std::uint32_t end_col = std::max<std::uint32_t>(1, f.end_column);
    if (end_line == start_line)
      end_col = std::max(end_col, start_col);
    json region{{"startLine", start_line},
                {"startColumn", start_col},
                {"endLine", end_line},
                {"endColumn", end_col}};
    // Archive members: the artifact is the archive itself (a file code scanning can link to); the
    // member path and its line and column go into the message and properties (docs/archives.md).
    const bool member = !f.provenance.members.empty();
    if (member)
      region = json{{"startLine", 1}};
    json props{{"instance", to_string(f.instance)}, {"source", to_string(f.provenance.kind)}};
    const CommitInfo* commit = f.provenance.commit ? &*f.provenance.commit
                               : f.introduced_by   ? &*f.introduced_by
                                                   : nullptr;
    if (commit) {
      props["commit"] = commit->id;
      props["author"] = commit->author;
      props["date"] = commit->date;
    }
    if (!f.blob.is_zero())
      props["blob"] = f.blob.hex();
    if (!f.label.empty())
      props["label"] = redact_in(f.label, f, options);
    if (f.provenance.unreachable)
      props["unreachable"] = true;
    if (f.other_locations)
      props["otherLocations"] = f.other_locations;
    if (f.verified)
      props["verified"] = to_string(*f.verified);
    if (options.show_secrets && !f.secret.empty())
      props["secret"] = f.secret;
    if (f.exposure)
      props["exposure"] = exposure_json(*f.exposure);

    std::string text = redact_in(f.message, f, options);
    if (f.provenance.kind == Provenance::Kind::history && f.provenance.commit) {
      const auto& c = *f.provenance.commit;
      text += " Found in git history: commit " + c.id.substr(0, 12) + " by " + c.author + " (" +
              c.date.substr(0, 10) + ").";
    }
    if (f.provenance.unreachable)
      text += " The blob is no longer reachable from any reference.";
    if (member) {
      std::string inner;
      for (const auto& m : f.provenance.members)
        inner +=
            (inner.empty() ? "" : std::string(1, archive_separator)) + escape_archive_component(m);
      text += " Inside archive " + f.provenance.path + ", member " + inner + " (line " +
              std::to_string(f.line) + ", column " + std::to_string(f.column) + ").";
      props["archiveMembers"] = f.provenance.members;
      props["memberLine"] = f.line;
      props["memberColumn"] = f.column;
    }

    json result{{"ruleId", f.rule_id},
                {"ruleIndex", index_of.at(f.rule_id)},
                {"level", std::string(to_string(f.severity))},
                {"message", {{"text", text}}},
                {"locations",
                 json::array({{{"physicalLocation",
                                {{"artifactLocation",
                                  {{"uri", sarif_relative_uri(member ? f.provenance.path : f.path)},
                                   {"uriBaseId", "%SRCROOT%"}}},
                                 {"region", region}}}}})},
                {"partialFingerprints",
                 {{"primaryLocationLineHash", line_hashes[i]}, {"zenolint/v1", f.fingerprint}}},
                {"properties", props}};
    return result;
  };

  // Which findings fit: the most severe first, reported in canonical order.
  std::vector<std::size_t> order(report.findings.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return report.findings[a].severity > report.findings[b].severity;
  });
  std::size_t keep = std::min(order.size(), options.sarif_max_results);

  json notifications = json::array();
  for (const auto& d : report.diagnostics)
    notifications.push_back({{"level", std::string(to_string(d.severity))},
                             {"message", {{"text", d.subject + ": " + d.message}}}});

  std::string root_uri = root_file_uri(report.root);
  json srcroot{{"description", {{"text", "The root of the scanned repository or directory."}}}};
  if (!root_uri.empty())
    srcroot["uri"] = root_uri;

  std::vector<std::string> limit_notes;
  if (keep < order.size())
    limit_notes.push_back("zenolint found " + std::to_string(order.size()) +
                          " results, more than GitHub code scanning accepts in one run (" +
                          std::to_string(options.sarif_max_results) + "); this report keeps the " +
                          std::to_string(keep) +
                          " most severe. Use --format json for all of them.");

  auto build = [&](std::size_t n, const std::vector<std::string>& notes) {
    std::vector<std::size_t> kept(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
    std::sort(kept.begin(), kept.end());
    json results = json::array();
    for (auto i : kept)
      results.push_back(result_json(i));
    json notes_json = notifications;
    for (const auto& n_text : notes)
      notes_json.push_back({{"level", "warning"}, {"message", {{"text", n_text}}}});
    json invocation{{"executionSuccessful", true}};
    if (!notes_json.empty())
      invocation["toolExecutionNotifications"] = std::move(notes_json);
    json run{{"tool",
              {{"driver",
                {{"name", "zenolint"},
                 {"semanticVersion", ZENOLINT_VERSION},
                 {"informationUri", "https://github.com/zenolint/zenolint"},
                 {"rules", rules}}}}},
             {"automationDetails", {{"id", "zenolint/" + report.scan_kind + "/"}}},
             {"originalUriBaseIds", {{"%SRCROOT%", srcroot}}},
             {"columnKind", "unicodeCodePoints"},
             {"invocations", json::array({invocation})},
             {"results", std::move(results)},
             {"properties", {{"stats", stats_json(report.stats)}}}};
    json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
             {"version", "2.1.0"},
             {"runs", json::array({std::move(run)})}};
    return dump_report(doc) + "\n";
  };

  std::string text = build(keep, limit_notes);
  // Size: certainly fine when the uncompressed text fits; otherwise gzip it (in memory, counting
  // bytes only) and drop the least severe results until it fits.
  for (int round = 0; round < 8 && text.size() > options.sarif_max_gzip_bytes; ++round) {
    std::uint64_t size = gzip_size(text);
    if (size <= options.sarif_max_gzip_bytes || keep == 0)
      break;
    double ratio =
        static_cast<double>(options.sarif_max_gzip_bytes) * 0.9 / static_cast<double>(size);
    std::size_t new_keep =
        std::min(keep - 1, static_cast<std::size_t>(static_cast<double>(keep) * ratio));
    std::vector<std::string> notes = limit_notes;
    notes.push_back("The full SARIF report would exceed GitHub's upload limit of " +
                    std::to_string(options.sarif_max_gzip_bytes) + " bytes gzipped (" +
                    std::to_string(size) + " bytes); this report keeps the " +
                    std::to_string(new_keep) + " most severe of " + std::to_string(order.size()) +
                    " results. Use --format json for all of them.");
    keep = new_keep;
    text = build(keep, notes);
    if (round == 7 || text.size() <= options.sarif_max_gzip_bytes ||
        gzip_size(text) <= options.sarif_max_gzip_bytes) {
      limit_notes = notes;
      break;
    }
  }
  if (options.warnings)
    for (const auto& n : limit_notes)
      *options.warnings << "zenolint: warning: sarif: " << terminal_safe(n) << '\n';
  out << text;
}

} // namespace zenolint::report
