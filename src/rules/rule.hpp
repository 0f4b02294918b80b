#pragma once
// A rule, as loaded from rules/*.json. Rules are data: see docs/rules.md for the schema. A rule is
// either a token rule (a pattern, examples and a message template) or the metadata of a built-in
// credential-file check (kind "credential-file": reporter fields only; the check is code).
#include "core/rule_meta.hpp"
#include "core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zenolint::rules {

// One example (or negative example) carried by a rule and checked by `zenolint rules test`.
struct Example {
  std::string text;
  std::string path = "example.txt"; // file name the example is matched as (path-scoped rules)
  std::optional<Instance> instance; // expected instance (examples only)
};

// Extra context a match must have, beyond its own pattern.
struct Context {
  // Case-insensitive RE2 pattern that must match within `window` lines above or below the secret
  // (or anywhere in the file when `whole_file`). The same text feeds instance inference.
  std::string near;
  int window = 5;
  bool whole_file = false; // JSON: "scope": "file" (default "lines")
  // JSON "scope": "heading": `near` may also match the Markdown/reST headings the secret is
  // under (the nearest one and its parents), however far up they are.
  bool heading = false;
  // JSON "scope": "repository": the rule runs on every blob that holds a token-shaped string
  // (no keyword needed), and its matches count only when the scan as a whole talks to Zenodo
  // (another file calls the Zenodo API or names its hosts, or the repository's name or README
  // mentions Zenodo). Decided after every blob is matched; no blob is read twice.
  bool repository = false;
  // RE2 pattern (case-insensitive, whole name) the enclosing INI/TOML section name must match.
  std::string section;
};

// How the instance of a finding is decided: a fixed value, or inferred from context.
enum class InstancePolicy { infer, production, sandbox };

struct Rule {
  std::string id; // stable, e.g. "zenodo/assignment"
  RuleKind kind = RuleKind::token;
  std::string name;        // UpperCamelCase, e.g. "ZenodoTokenAssignment"
  std::string description; // one sentence
  Severity severity = Severity::error;
  // Token rules: the finding's message, a template (rules/message.hpp) checked at load.
  std::string message;
  bool label_checks = false; // JSON "label_checks": see RuleMeta::label_checks
  std::string pattern; // RE2, multi-line mode, with a named group `secret` (and optional `label`)
  std::vector<std::string> keywords; // lowercase; the rule runs only if the text contains one
  std::string path_pattern;          // optional RE2 on the path: the rule also runs when it matches
  bool path_required = false;        // when true the rule runs only on paths matching path_pattern
  Context context;
  InstancePolicy instance = InstancePolicy::infer;
  // Instance when inference finds no hint (JSON "default_instance"); unset means unknown.
  std::optional<Instance> default_instance;
  bool token_checks =
      true; // apply the token-shape filters (entropy, digits, mixed case, boundaries)
  double min_entropy = 4.2; // entropy floor of the token checks, bits per character
  // JSON "decode": "base64": the `secret` group holds the token base64-encoded (a Kubernetes
  // Secret's `data:`, `echo $TOKEN | base64`); the match counts only when it decodes to a token
  // (optionally followed by one line end) that passes the token checks, and the finding's secret
  // is the decoded token, so it groups, verifies and fingerprints with its plain occurrences.
  bool decode_base64 = false;
  // Optional case-insensitive RE2: a match whose line matches it is dropped (e.g. secret-store
  // references such as `${{ secrets.X }}` or checksum lines).
  std::string exclude;
  std::string help; // markdown
  std::vector<std::string> references;
  std::vector<Example> examples;
  std::vector<Example> negative_examples;
  std::string source_file; // where the rule was loaded from, for diagnostics
  std::vector<std::string> tags;
  std::string precision = "high"; // SARIF precision: very-high|high|medium|low
};

struct RuleSet {
  std::vector<Rule> rules;  // token rules (what the matcher runs)
  std::vector<Rule> checks; // metadata of the built-in credential-file checks
  // The token rule or check of `id`, or null.
  const Rule* find(std::string_view id) const;
};

// What reporters need of `rule`.
RuleMeta to_meta(const Rule& rule);

} // namespace zenolint::rules
