#include "core/text.hpp"

#include "report/report.hpp"

#include <iomanip>

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

} // namespace

void write_text(std::ostream& out, const Report& report, const ReportOptions& options)
{
  const char* reset = options.color ? "\x1b[0m" : "";
  const char* bold = options.color ? "\x1b[1m" : "";
  for (const auto& f : report.findings) {
    out << bold << terminal_safe(f.path) << ':' << f.line << ':' << f.column << reset << "  "
        << terminal_safe(f.rule_id) << "  " << (options.color ? colour_of(f.severity) : "")
        << to_string(f.severity) << reset;
    if (auto s = printable_secret(f, options); !s.empty())
      out << "  " << terminal_safe(s);
    if (f.instance != Instance::unknown && f.rule_id.rfind("zenodo/", 0) == 0)
      out << "  [" << to_string(f.instance) << ']';
    if (f.provenance.commit)
      out << "  commit " << f.provenance.commit->id.substr(0, 12) << " ("
          << terminal_safe(f.provenance.commit->author) << ", "
          << terminal_safe(f.provenance.commit->date.substr(0, 10)) << ')';
    else if (f.introduced_by)
      out << "  introduced in " << f.introduced_by->id.substr(0, 12);
    if (f.provenance.unreachable)
      out << "  unreachable";
    if (f.verified)
      out << "  verified: " << to_string(*f.verified);
    out << '\n';
    if (f.rule_id.rfind("zenodo/", 0) != 0 || f.verified == Liveness::inactive)
      out << "    " << terminal_safe(f.message) << '\n';
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
  const auto& s = report.stats;
  std::uint64_t skipped =
      s.skipped_binary + s.skipped_too_large + s.skipped_symlink + s.skipped_other;
  out << report.findings.size() << (report.findings.size() == 1 ? " finding" : " findings")
      << " in " << s.files << " files (" << s.blobs_scanned << " blobs, " << s.bytes_scanned
      << " bytes scanned";
  if (s.commits)
    out << ", " << s.commits << " commits";
  if (s.archives)
    out << ", " << s.archive_members << " members of " << s.archives
        << (s.archives == 1 ? " archive" : " archives");
  out << "); skipped " << skipped << " (binary " << s.skipped_binary << ", too large "
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
