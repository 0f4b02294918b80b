#pragma once
// The one place that decides whether a Zenodo token belongs to zenodo.org (production) or
// sandbox.zenodo.org. The matcher, the credential-file parser and the label checks all call it, so
// a token is never "sandbox" in one report line and "production" in the next.
//
// Evidence, strongest first (classify()):
//   1. the client file's own semantics: zenopy .zenodorc [ZENODO]/[SANDBOX], zenodopy
//      ACCESS_TOKEN/ACCESS_TOKEN-sandbox, zenodo-uploader [tokens] keys, zenodo-client's
//      zenodo.ini [zenodo]/[zenodo:sandbox];
//   2. a host in the same statement or URL (sandbox.zenodo.org / zenodo.org);
//   3. a sandbox switch in the statement (sandbox=True, --sandbox, use_sandbox: false,
//      ZENODO_SANDBOX=1, environment: sandbox);
//   4. names: the label the token is assigned to, the enclosing section, the keys of the
//      enclosing YAML/JSON blocks (`sandbox:` above `token: ...`), the other words of the
//      statement (`# sandbox`), the document headings above, the file's name, a Zenodo host
//      named by a directory (HTTPie's `sessions/sandbox.zenodo.org/`);
//   5. hosts and switches in the enclosing block (the paragraph around the token and the rule's
//      context window; when it names both, the nearest line that names one), then a section
//      named for Zenodo without an instance word (`[zenodo]`: production);
//   6. hosts elsewhere in the file, then the words of the directories (`group_vars/prod/`) (weak);
//   7. hosts elsewhere in the repository (weak, repository-context findings only).
// Levels 1-5 are strong: only they make a sandbox finding a warning. Both hosts at one level (and
// nothing at a stronger one) is a real conflict: unknown, and weaker levels are not asked.
#include "core/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::match {

// Credential files of Zenodo clients, whose own format says which instance a token is for.
enum class ClientFile {
  zenodorc,      // zenopy ~/.zenodorc (INI)
  zenodopy,      // zenodopy ~/.zenodo_token ("ACCESS_TOKEN: ...")
  uploader_toml, // zenodo-uploader .zenodo.toml ([tokens])
  client_ini,    // zenodo-client (pystow) ~/.config/zenodo.ini ([zenodo] api_token)
};

// The client file kind a path says (by its last component): .zenodorc, .zenodo_token,
// .zenodo.toml, zenodo.ini. Other names: nullopt.
std::optional<ClientFile> client_file_kind(std::string_view path);

// The file name (last path component) of `kind`'s credential file: ".zenodorc" for zenodorc.
// This and client_file_kind() read the one list of client file names, which
// checks::file_formats() also takes its formats' names from.
std::string_view client_file_name(ClientFile kind);

// Words of a name, lower-cased: split at non-alphanumerics and at lower-to-upper case changes
// ("zenodoTokenSb" -> zenodo, token, sb; "MYTOKEN_ALL_SB" -> mytoken, all, sb).
std::vector<std::string> name_words(std::string_view name);

// What one word says: sandbox for "sb" or a word containing "sandbox"; production for "prod",
// "production", "live" or a word ending in "prod"/"production"; else unknown.
Instance word_instance(std::string_view word);

// What a name (label, variable, key, section) says: a sandbox word wins over "live" (a
// "token_live_sandbox" is for the sandbox); sandbox and prod/production together are a conflict
// (unknown); a zenodo.org host written in the name counts too.
Instance name_instance(std::string_view name);

// What an INI/TOML section or Markdown heading says: name_instance(), else production for a name
// mentioning zenodo ([zenodo], [ZENODO], [tool.zenodo]).
Instance section_instance(std::string_view section);

// The instance a client reads `key` in `section` for, or unknown when that client does not read
// it (another section of a .zenodorc, another key of a .zenodo_token).
Instance client_instance(ClientFile kind, std::string_view section, std::string_view key);

// Which Zenodo hosts `text` names: exactly zenodo.org / www.zenodo.org (production) and
// sandbox.zenodo.org; records, badges and DOIs (zenodo.org/records/1, /badge/) are not hosts a
// token is used with and do not count; nor do developers.zenodo.org, help.zenodo.org.
struct Hosts {
  bool production = false;
  bool sandbox = false;
};
Hosts hosts_in(std::string_view text);

// Sandbox switches in `text`: sandbox=True/--sandbox/ZENODO_SANDBOX=1/environment: sandbox say
// sandbox; sandbox=False/use_sandbox: false/environment: production say production; both: unknown.
Instance switch_in(std::string_view text);

enum class Evidence {
  none,
  client_file,
  statement_host,
  statement_switch,
  name,
  section,
  block,
  file,
  repository,
  rule_default,
};
std::string_view to_string(Evidence e);

// What a stretch of text says about the instance: the hosts it names and its sandbox switches.
struct TextFacts {
  Hosts hosts;
  Instance switched = Instance::unknown;
};
TextFacts facts_of(std::string_view text);

struct InstanceQuery {
  std::optional<ClientFile> client; // the file is this client's credential file
  std::string_view section;         // enclosing INI/TOML section or document heading, or empty
  std::string_view label;           // name the token is assigned to, or empty
  std::string_view heading;         // the document headings the token is under, or empty
  std::string_view keys;            // keys of the enclosing YAML/JSON blocks, nearest first
  std::string_view file_name;       // last path component (".env.sandbox", "prod.env")
  std::string_view directory;       // the path before file_name ("deploy/sandbox/", "")
  std::string_view statement;       // the matched text and the token's line (bounded)
  TextFacts block;                  // facts_of() the enclosing paragraph and context window
  // When the block names both instances (hosts or switches): what the nearest line of the block
  // that names one says (the line above wins a tie: a URL or `target:` line usually comes first),
  // e.g. `if sandbox: url = …sandbox…; token = …` / `else: url = …; token = …`.
  Instance block_nearest = Instance::unknown;
  Hosts file_hosts; // hosts_in() the whole content
};

struct InstanceDecision {
  Instance instance = Instance::unknown;
  Evidence evidence = Evidence::none;
  bool strong() const { return evidence != Evidence::file && evidence != Evidence::repository; }
};

// Decides from the evidence of `q`, strongest first (see the top of this file).
InstanceDecision classify(const InstanceQuery& q);

// Severity of a token finding of rule severity `rule_severity`: an error is lowered to a warning
// only for a sandbox token on strong evidence.
Severity token_severity(Severity rule_severity, const InstanceDecision& d);

} // namespace zenolint::match
