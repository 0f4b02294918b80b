// Text report. By default one block per leaked secret (grouped by the secret's value, whatever
// rules matched it: one token is one thing to revoke), then credential-file findings one line
// each, then a summary in words and the counters. `--brief`: one line per finding.
#include "core/text.hpp"

#include "report/remediation.hpp"
#include "report/report.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace zenolint::report {
namespace {

const char* colour_of(Severity s)
{
  switch (s) {
  case Severity::error:
    return "\x1b[31m";
  case Severity::warning:
    return "\x1b[33m";
  case Severity::note:
    return "\x1b[36m";
  }
  return "";
}

struct Style {
  const char* reset;
  const char* bold;
  bool color;
  const char* severity(Severity s) const { return color ? colour_of(s) : ""; }
};

std::string plural(std::size_t n, const std::string& one, const std::string& many)
{
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string commit_words(const CommitInfo& c)
{
  return "commit " + terminal_safe(c.id.substr(0, 12)) + " (" + terminal_safe(c.author) + ", " +
         terminal_safe(c.date.substr(0, 10)) + ")";
}

// Where a finding (or another place of its blob) is, after "path:line:col  rule  severity".
std::string where(const Provenance& p, const BlobId& blob)
{
  std::string out;
  switch (p.kind) {
  case Provenance::Kind::worktree:
    out = "working tree";
    break;
  case Provenance::Kind::staged:
    out = "staged";
    break;
  case Provenance::Kind::stdin_:
    out = "standard input";
    break;
  case Provenance::Kind::release:
    out = "release archive";
    break;
  case Provenance::Kind::history:
  case Provenance::Kind::object:
    out = p.commit ? commit_words(*p.commit) : std::string("object ") + blob.hex().substr(0, 12);
    break;
  }
  if (p.unreachable)
    out += ", unreachable";
  return out;
}

void write_line(std::ostream& out, const Finding& f, const ReportOptions& options, const Style& st)
{
  out << st.bold << terminal_safe(f.path) << ':' << f.line << ':' << f.column << st.reset << "  "
      << terminal_safe(f.rule_id) << "  " << st.severity(f.severity) << to_string(f.severity)
      << st.reset;
  if (auto s = printable_secret(f, options); !s.empty())
    out << "  " << terminal_safe(s);
  if (f.instance != Instance::unknown && !f.secret.empty())
    out << "  [" << to_string(f.instance) << ']';
  if (f.provenance.commit)
    out << "  " << commit_words(*f.provenance.commit);
  else if (f.introduced_by)
    out << "  introduced in " << terminal_safe(f.introduced_by->id.substr(0, 12));
  if (f.provenance.unreachable)
    out << "  unreachable";
  if (f.verified)
    out << "  verified: " << to_string(*f.verified);
  out << '\n';
  if (f.secret.empty() || f.verified == Liveness::inactive)
    out << "    " << terminal_safe(f.message) << '\n';
}

// The findings of one secret, in report order.
struct Group {
  std::vector<const Finding*> findings;
  Instance instance = Instance::unknown;
  Severity severity = Severity::note;
};

std::vector<Group> group_by_secret(const std::vector<Finding>& findings)
{
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index_of;
  for (const auto& f : findings) {
    if (f.secret.empty())
      continue;
    auto [it, fresh] = index_of.try_emplace(f.secret, groups.size());
    if (fresh)
      groups.emplace_back();
    Group& g = groups[it->second];
    g.findings.push_back(&f);
    if (g.instance == Instance::unknown)
      g.instance = f.instance;
    g.severity = std::max(g.severity, f.severity);
  }
  return groups;
}

// The earliest commit that introduced the secret, and the path it was introduced at.
std::optional<std::pair<CommitInfo, std::string>> first_introduced(const Group& g)
{
  std::optional<std::pair<CommitInfo, std::string>> best;
  for (const Finding* f : g.findings) {
    auto consider = [&](const CommitInfo* c, const std::string& path) {
      if (c && (!best || std::tie(c->date, c->id) < std::tie(best->first.date, best->first.id)))
        best = std::make_pair(*c, path);
    };
    // A history place names the path the commit introduced; introduced_by only the commit.
    for (const auto& h : f->history_places)
      consider(h.commit ? &*h.commit : nullptr, display_path(h));
    consider(f->provenance.commit ? &*f->provenance.commit : nullptr, f->path);
    if (f->history_places.empty())
      consider(f->introduced_by ? &*f->introduced_by : nullptr, f->path);
  }
  return best;
}

std::string exposure_words(const Exposure& e)
{
  std::vector<std::string> parts;
  if (e.in_head)
    parts.push_back("still in HEAD (or the working tree)");
  else
    parts.push_back("not in HEAD, only in history");
  if (!e.branches.empty())
    parts.push_back("branches " + join_list(e.branches));
  if (!e.remotes.empty())
    parts.push_back("pushed: " + join_list(e.remotes));
  else if (!e.stash_only && !e.unreachable_only)
    parts.push_back("on no remote-tracking ref");
  if (!e.tags.empty())
    parts.push_back("release tags " + join_list(e.tags));
  if (!e.zenodo_archived_releases.empty())
    parts.push_back("archived on Zenodo (probably): " + join_list(e.zenodo_archived_releases));
  if (e.stash_only)
    parts.push_back("only in the stash");
  if (e.unreachable_only)
    parts.push_back("only in unreachable objects");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i ? "; " : "") + parts[i];
  return out;
}

// ", committed in <commit>" for a working-tree place whose path history has with the same content.
std::string committed_in(const Finding& f, const Provenance& p)
{
  if (&p != &f.provenance)
    return "";
  for (const auto& h : f.history_places)
    if (display_path(h) == f.path && h.commit)
      return ", committed in " + terminal_safe(h.commit->id.substr(0, 12));
  return "";
}

// Every place of a secret: each finding, then the other history places of its blob (same line).
std::vector<std::pair<const Finding*, const Provenance*>> places_of(const Group& g)
{
  std::vector<std::pair<const Finding*, const Provenance*>> out;
  std::set<std::tuple<std::string, std::uint32_t, std::string, std::string>> seen;
  auto add = [&](const Finding* f, const Provenance* p) {
    std::string commit = p->commit ? p->commit->id : "";
    if (seen.insert({display_path(*p), f->line, f->rule_id, commit}).second)
      out.emplace_back(f, p);
  };
  for (const Finding* f : g.findings)
    add(f, &f->provenance);
  // A history place at a finding's own path is where that file was committed: said on that
  // finding's line ("committed in"), not as a place of its own, also when another finding of the
  // secret (the same content at another path) lists it.
  std::set<std::string> finding_paths;
  for (const Finding* f : g.findings)
    if (!committed_in(*f, f->provenance).empty())
      finding_paths.insert(f->path);
  for (const Finding* f : g.findings)
    for (const auto& h : f->history_places)
      if (display_path(h) != f->path && finding_paths.count(display_path(h)) == 0)
        add(f, &h);
  return out;
}

void write_group(std::ostream& out, const Group& g, const ReportOptions& options, const Style& st)
{
  const Finding& first = *g.findings.front();
  std::set<std::string> rules;
  for (const Finding* f : g.findings)
    rules.insert(f->rule_id);
  std::string rule_list;
  for (const auto& r : rules)
    rule_list += (rule_list.empty() ? "" : ", ") + r;
  std::string instance =
      g.instance == Instance::unknown ? "unknown instance" : std::string(to_string(g.instance));
  out << st.bold << "Leaked token" << st.reset;
  if (auto s = printable_secret(first, options); !s.empty())
    out << ' ' << terminal_safe(s);
  out << "  " << instance << "  " << terminal_safe(rule_list) << "  " << st.severity(g.severity)
      << to_string(g.severity) << st.reset << '\n';
  if (first.verified)
    out << "  verified: " << to_string(*first.verified)
        << (*first.verified == Liveness::inactive ? " (revoked or never valid)"
            : *first.verified == Liveness::active ? " (the API accepts it)"
                                                  : " (no clear answer)")
        << '\n';
  if (auto intro = first_introduced(g))
    out << "  first introduced: commit " << terminal_safe(intro->first.id.substr(0, 12)) << " by "
        << terminal_safe(intro->first.author) << ", "
        << terminal_safe(intro->first.date.substr(0, 10)) << ", in " << terminal_safe(intro->second)
        << '\n';
  auto places = places_of(g);
  out << "  " << plural(places.size(), "place", "places") << ":\n";
  for (const auto& [f, p] : places)
    out << "    " << st.bold << terminal_safe(p == &f->provenance ? f->path : display_path(*p))
        << ':' << f->line << ':' << f->column << st.reset << "  " << terminal_safe(f->rule_id)
        << "  " << st.severity(f->severity) << to_string(f->severity) << st.reset << "  "
        << where(*p, f->blob) << committed_in(*f, *p) << '\n';
  if (first.exposure)
    out << "  exposure: " << terminal_safe(exposure_words(*first.exposure)) << '\n';
  SecretFacts facts = facts_of(g.findings);
  out << "  what to do:\n";
  auto steps = remediation_steps(facts);
  for (std::size_t i = 0; i < steps.size(); ++i)
    out << "    " << (i + 1) << ". " << terminal_safe(steps[i]) << '\n';
  out << '\n';
}

// "2 leaked tokens (1 production, 1 sandbox) in 3 places; 1 still in HEAD; 1 in release tag v1.0"
std::string summary_words(const std::vector<Group>& groups, std::size_t config_findings)
{
  if (groups.empty() && config_findings == 0)
    return "no leaked tokens";
  std::string out;
  std::size_t places = 0, production = 0, sandbox = 0, unknown = 0, in_head = 0, pushed = 0,
              revoked = 0;
  std::set<std::string> tags;
  std::size_t tagged = 0;
  for (const auto& g : groups) {
    places += places_of(g).size();
    (g.instance == Instance::production ? production
     : g.instance == Instance::sandbox  ? sandbox
                                        : unknown)++;
    const Finding& f = *g.findings.front();
    bool local = std::any_of(g.findings.begin(), g.findings.end(), [](const Finding* x) {
      return x->provenance.kind == Provenance::Kind::worktree ||
             x->provenance.kind == Provenance::Kind::staged;
    });
    if ((f.exposure && f.exposure->in_head) || (!f.exposure && local))
      ++in_head;
    if (f.exposure && !f.exposure->remotes.empty())
      ++pushed;
    if (f.exposure && !f.exposure->tags.empty()) {
      ++tagged;
      tags.insert(f.exposure->tags.begin(), f.exposure->tags.end());
    }
    if (f.verified == Liveness::inactive)
      ++revoked;
  }
  if (!groups.empty()) {
    out = plural(groups.size(), "leaked token", "leaked tokens");
    std::vector<std::string> kinds;
    if (production)
      kinds.push_back(std::to_string(production) + " production");
    if (sandbox)
      kinds.push_back(std::to_string(sandbox) + " sandbox");
    if (unknown)
      kinds.push_back(std::to_string(unknown) + " of unknown instance");
    out += " (" + join_list(kinds) + ") in " + plural(places, "place", "places");
    if (in_head)
      out += "; " + std::to_string(in_head) + " still in HEAD";
    if (pushed)
      out += "; " + std::to_string(pushed) + " pushed";
    if (tagged)
      out += "; " + std::to_string(tagged) + " in release " +
             (tags.size() == 1 ? "tag " : "tags ") +
             join_list(std::vector<std::string>(tags.begin(), tags.end()));
    if (revoked)
      out += "; " + std::to_string(revoked) + " revoked";
  } else {
    out = "no leaked tokens";
  }
  if (config_findings)
    out += "; " + plural(config_findings, "credential-file problem", "credential-file problems");
  return out;
}

} // namespace

void write_text(std::ostream& out, const Report& report, const ReportOptions& options)
{
  Style st{options.color ? "\x1b[0m" : "", options.color ? "\x1b[1m" : "", options.color};
  std::size_t config_findings = 0;
  for (const auto& f : report.findings)
    config_findings += f.secret.empty() ? 1 : 0;
  std::vector<Group> groups;
  if (options.brief) {
    for (const auto& f : report.findings)
      write_line(out, f, options, st);
  } else {
    groups = group_by_secret(report.findings);
    for (const auto& g : groups)
      write_group(out, g, options, st);
    for (const auto& f : report.findings)
      if (f.secret.empty())
        write_line(out, f, options, st);
  }
  if (options.list_diagnostics)
    for (const auto& d : report.diagnostics)
      out << to_string(d.severity) << ": " << terminal_safe(d.subject) << ": "
          << terminal_safe(d.message) << '\n';
  if (const auto& r = report.release) {
    std::size_t with_findings = 0;
    std::string last;
    for (const auto& f : report.findings)
      if (f.provenance.kind == Provenance::Kind::release && f.provenance.path != last) {
        last = f.provenance.path;
        ++with_findings;
      }
    out << "release " << terminal_safe(r->rev) << " (commit " << r->commit.id.substr(0, 12)
        << "): " << r->published.size() << " files would be published, " << with_findings
        << " of them with findings; " << r->excluded.size()
        << " left out by export-ignore (--format json lists them)\n";
  }
  if (!options.brief)
    out << terminal_safe(summary_words(groups, config_findings)) << '\n';
  const auto& s = report.stats;
  std::uint64_t skipped =
      s.skipped_binary + s.skipped_too_large + s.skipped_symlink + s.skipped_other;
  auto count = [](std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  out << report.findings.size() << (report.findings.size() == 1 ? " finding" : " findings");
  // Working-tree files and history blobs are counted apart: one file committed once is one file
  // and one blob of history, not "2 files".
  std::string where;
  if (s.files || !s.history_blobs)
    where = count(s.files, "file", "files");
  if (s.history_blobs)
    where += (where.empty() ? "" : " and ") + count(s.history_blobs, "blob", "blobs") +
             " of history (" + count(s.commits, "commit", "commits") + ")";
  out << " in " << where;
  if (s.archives)
    out << ", " << count(s.archive_members, "member", "members") << " of "
        << count(s.archives, "archive", "archives");
  out << "; read " << count(s.blobs_scanned, "unique blob", "unique blobs") << ", "
      << human_bytes(static_cast<double>(s.bytes_scanned));
  if (options.elapsed_seconds) {
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, " in %.2f s", *options.elapsed_seconds);
    out << elapsed;
  }
  out << "; skipped " << skipped << " (binary " << s.skipped_binary << ", too large "
      << s.skipped_too_large << ", symlink " << s.skipped_symlink << ", other " << s.skipped_other
      << ")";
  std::uint64_t suppressed = s.suppressed_inline + s.suppressed_baseline + s.suppressed_ignore;
  if (suppressed)
    out << "; suppressed " << suppressed << " (inline " << s.suppressed_inline << ", baseline "
        << s.suppressed_baseline << ", ignore file " << s.suppressed_ignore << ")";
  if (!report.diagnostics.empty())
    out << "; " << report.diagnostics.size() << " diagnostics";
  out << '\n';
}

} // namespace zenolint::report
