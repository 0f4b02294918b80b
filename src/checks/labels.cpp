#include "checks/labels.hpp"

#include "checks/label_words.hpp"
#include "core/text.hpp"

#include <cctype>
#include <map>

namespace zenolint::checks {
namespace {

// Where an entry sits, as a user would name it in a message.
std::string place_of(const ParsedFile& file, const Entry& e)
{
  if (format_of(file.kind).fixed_keys)
    return "key " + e.label;
  if (e.section.empty())
    return "no section";
  return "[" + e.section + "]";
}

std::string instance_host(Instance i)
{
  return i == Instance::sandbox ? "sandbox.zenodo.org" : "zenodo.org";
}

// The section a token of instance `i` belongs in, for suggestions.
std::string home_section(const ParsedFile& file, const Entry& e, Instance i)
{
  const FileFormat& format = format_of(file.kind);
  std::string_view home = i == Instance::sandbox ? format.sandbox_home : format.production_home;
  if (!home.empty())
    return std::string(home);
  bool upper = !e.section.empty() && std::isupper(static_cast<unsigned char>(e.section[0]));
  if (i == Instance::sandbox)
    return upper ? "[SANDBOX]" : "[sandbox]";
  return upper ? "[ZENODO]" : "[zenodo]";
}

Finding label_finding(const ParsedFile& file, const Entry& e, const std::string& path,
                      const BlobId& blob, Severity sev, const std::string& key, std::string msg,
                      std::string_view rule = rule_misleading_label)
{
  Finding f = make_finding(rule, sev, path, key + ":" + e.section + ":" + e.label, std::move(msg),
                           e.line, e.column, e.end_column);
  f.instance = e.instance;
  f.label = e.label;
  f.blob = blob;
  (void)file;
  return f;
}

void check_claims(const ParsedFile& file, const std::string& path, const BlobId& blob, Result& out)
{
  if (format_of(file.kind).fixed_keys)
    return; // fixed keys say the instance themselves; see check_same_token
  for (const auto& e : file.entries) {
    if (e.instance == Instance::unknown)
      continue;
    Instance claim = label_claim(e.label);
    if (claim == Instance::unknown || claim == e.instance)
      continue;
    std::string claimed = std::string(to_string(claim));
    std::string actual = std::string(to_string(e.instance));
    std::string msg = "label '" + e.label + "' says " + claimed + ", but it is in " +
                      place_of(file, e) + ", the " + actual + " section (" +
                      instance_host(e.instance) + "); if it is a " + claimed +
                      " token, move it to " + home_section(file, e, claim) + " as " +
                      suggest_label(e.label, claim) + ", otherwise rename the label to " +
                      suggest_label(e.label, e.instance);
    out.findings.push_back(
        label_finding(file, e, path, blob, Severity::warning, "claim", std::move(msg)));
  }
}

void check_same_token(const ParsedFile& file, const std::string& path, const BlobId& blob,
                      Result& out)
{
  // First production entry per token (by position), then every sandbox entry with that token.
  std::map<std::string, const Entry*> production;
  for (const auto& e : file.entries)
    if (e.instance == Instance::production && is_token_shaped(e.token))
      production.emplace(e.token, &e);
  for (const auto& e : file.entries) {
    if (e.instance != Instance::sandbox || !is_token_shaped(e.token))
      continue;
    auto it = production.find(e.token);
    if (it == production.end())
      continue;
    const Entry& p = *it->second;
    std::string msg;
    if (format_of(file.kind).fixed_keys)
      msg = e.label + " holds the same token as " + p.label + " (line " + std::to_string(p.line) +
            "); a token works on one instance only (zenodo.org or "
            "sandbox.zenodo.org), so one of the two keys holds the wrong token";
    else
      msg = "the token under '" + e.label + "' in " + place_of(file, e) +
            " (sandbox) is the same token as under '" + p.label + "' in " + place_of(file, p) +
            " (production, line " + std::to_string(p.line) +
            "); a token belongs to one instance, so one of the two labels is wrong: keep it "
            "only in the section of the instance that issued it";
    out.findings.push_back(
        label_finding(file, e, path, blob, Severity::warning, "same-token", std::move(msg)));
  }
}

void check_duplicates(const ParsedFile& file, const std::string& path, const BlobId& blob,
                      Result& out)
{
  // configparser lowercases option names and rejects duplicates (strict mode); TOML rejects
  // duplicate keys; zenodopy silently uses the last one.
  const FileFormat& format = format_of(file.kind);
  bool fold = format.fold_labels;
  std::map<std::pair<std::string, std::string>, const Entry*> first;
  for (const auto& e : file.entries) {
    std::pair<std::string, std::string> key{e.section, fold ? ascii_lower(e.label) : e.label};
    auto [it, inserted] = first.emplace(key, &e);
    if (inserted)
      continue;
    const Entry& p = *it->second;
    std::string consequence(format.duplicate_consequence);
    std::string where = format.fixed_keys ? "" : " in " + place_of(file, e);
    std::string msg =
        "label '" + e.label + "' appears twice" + where + " (lines " + std::to_string(p.line) +
        " and " + std::to_string(e.line) + "); " + consequence +
        ". Give each token its own label, e.g. " +
        suggest_label(e.label + "_2",
                      e.instance == Instance::sandbox ? Instance::sandbox : Instance::production);
    if (format.fixed_keys)
      msg = "key '" + e.label + "' appears twice (lines " + std::to_string(p.line) + " and " +
            std::to_string(e.line) + "); " + consequence + ", so the token on line " +
            std::to_string(p.line) + " is never used: remove one of them";
    out.findings.push_back(label_finding(file, e, path, blob, Severity::warning,
                                         "duplicate:" + std::to_string(e.line), std::move(msg)));
  }
}

void check_placeholders(const ParsedFile& file, const std::string& path, const BlobId& blob,
                        Result& out)
{
  std::string client(format_of(file.kind).client);
  if (client.empty())
    return; // no known client reads it by default
  for (const auto& e : file.entries) {
    if (!e.default_read || !is_placeholder(e.value))
      continue;
    // Show the placeholder only when it cannot be a token in disguise.
    bool printable = e.value.size() <= 40;
    std::string shown = e.value.empty() ? "empty"
                        : printable     ? "'" + e.value + "'"
                                        : "a placeholder";
    std::string msg = "'" + e.label + "' in " + place_of(file, e) + " is still a placeholder (" +
                      shown + "); " + client + " reads it by default, so requests to " +
                      instance_host(e.instance) + " will fail. Paste a token from https://" +
                      instance_host(e.instance) +
                      "/account/settings/applications/ or remove the label";
    out.findings.push_back(label_finding(file, e, path, blob, Severity::note, "placeholder",
                                         std::move(msg), rule_placeholder_token));
  }
}

} // namespace

void check_labels(const ParsedFile& file, const std::string& path, const BlobId& blob, Result& out)
{
  check_claims(file, path, blob, out);
  check_same_token(file, path, blob, out);
  check_duplicates(file, path, blob, out);
  check_placeholders(file, path, blob, out);
}

} // namespace zenolint::checks
