#include "report/report.hpp"

#include "match/token.hpp"

namespace zenolint::report {

std::optional<Format> parse_format(std::string_view s)
{
  if (s == "text")
    return Format::text;
  if (s == "json")
    return Format::json;
  if (s == "sarif")
    return Format::sarif;
  if (s == "gitlab")
    return Format::gitlab;
  return std::nullopt;
}

RuleKind rule_kind(const Report& report, const Finding& f)
{
  if (const RuleMeta* rule = find_rule(report.rules, f.rule_id))
    return rule->kind;
  return f.secret.empty() ? RuleKind::credential_file : RuleKind::token;
}

std::string printable_secret(const Finding& f, const ReportOptions& options)
{
  if (f.secret.empty())
    return {};
  return options.show_secrets ? f.secret : match::redact(f.secret);
}

void write(Format format, std::ostream& out, const Report& report, const ReportOptions& options)
{
  switch (format) {
  case Format::text:
    write_text(out, report, options);
    break;
  case Format::json:
    write_json(out, report, options);
    break;
  case Format::sarif:
    write_sarif(out, report, options);
    break;
  case Format::gitlab:
    write_gitlab(out, report, options);
    break;
  }
}

} // namespace zenolint::report
