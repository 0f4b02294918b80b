#include "match/instance.hpp"

#include "core/text.hpp"
#include "match/keyword.hpp"

#include <cctype>
#include <re2/re2.h>

namespace zenolint::match {
namespace {

bool ends_with(std::string_view s, std::string_view suffix)
{
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view last_component(std::string_view path)
{
  auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool iends_with(std::string_view s, std::string_view lower_text)
{
  return s.size() >= lower_text.size() &&
         starts_with_ci(s.substr(s.size() - lower_text.size()), lower_text);
}

bool host_char(char c)
{
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_';
}

RE2::Options ci_options()
{
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(false);
  return o;
}

// Combines two one-sided observations into an instance (both or neither: unknown).
Instance either(bool sandbox, bool production)
{
  if (sandbox == production)
    return Instance::unknown;
  return sandbox ? Instance::sandbox : Instance::production;
}

std::vector<std::string_view> split_keys(std::string_view keys)
{
  std::vector<std::string_view> out;
  while (!keys.empty()) {
    auto space = keys.find(' ');
    if (space != 0)
      out.push_back(keys.substr(0, space));
    if (space == std::string_view::npos)
      break;
    keys.remove_prefix(space + 1);
  }
  return out;
}

} // namespace

namespace {

// The one list of client credential-file names; checks::file_formats() names its formats from it.
struct ClientFileName {
  ClientFile kind;
  std::string_view name;
};
constexpr ClientFileName client_file_names[] = {
    {ClientFile::zenodorc, ".zenodorc"},
    {ClientFile::zenodopy, ".zenodo_token"},
    {ClientFile::uploader_toml, ".zenodo.toml"},
    {ClientFile::client_ini, "zenodo.ini"},
};

} // namespace

std::optional<ClientFile> client_file_kind(std::string_view path)
{
  std::string_view name = last_component(path);
  for (const auto& c : client_file_names)
    if (name == c.name)
      return c.kind;
  return std::nullopt;
}

std::string_view client_file_name(ClientFile kind)
{
  for (const auto& c : client_file_names)
    if (c.kind == kind)
      return c.name;
  return {};
}

// True for a run of letters and digits that looks like a secret rather than a name (24 or more
// characters with upper and lower case and a digit): its camel-case humps spell random words
// ("aSbX" -> a, sb, x) that must not count as names.
static bool secret_like(std::string_view run)
{
  if (run.size() < 24)
    return false;
  bool upper = false, lower = false, digit = false;
  for (char c : run) {
    unsigned char u = static_cast<unsigned char>(c);
    upper |= std::isupper(u) != 0;
    lower |= std::islower(u) != 0;
    digit |= std::isdigit(u) != 0;
  }
  return upper && lower && digit;
}

std::vector<std::string> name_words(std::string_view name)
{
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty())
      words.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    if (i == 0 || !std::isalnum(static_cast<unsigned char>(name[i - 1]))) {
      std::size_t end = i;
      while (end < name.size() && std::isalnum(static_cast<unsigned char>(name[end])))
        ++end;
      if (secret_like(name.substr(i, end - i))) {
        i = end - 1; // skip the whole run
        continue;
      }
    }
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])))
      flush();
    cur.push_back(static_cast<char>(std::tolower(c)));
  }
  flush();
  return words;
}

Instance word_instance(std::string_view word)
{
  std::string w = ascii_lower(word);
  if (w == "sb" || w.find("sandbox") != std::string::npos)
    return Instance::sandbox;
  if (w == "live" || ends_with(w, "prod") || ends_with(w, "production"))
    return Instance::production;
  return Instance::unknown;
}

Instance name_instance(std::string_view name)
{
  bool sandbox = false, production = false, live = false;
  for (const auto& w : name_words(name)) {
    Instance i = word_instance(w);
    sandbox |= i == Instance::sandbox;
    if (i == Instance::production)
      (w == "live" ? live : production) = true;
  }
  Hosts h = hosts_in(name);
  sandbox |= h.sandbox;
  production |= h.production;
  if (sandbox)
    return production ? Instance::unknown : Instance::sandbox; // "live_sandbox": sandbox
  return production || live ? Instance::production : Instance::unknown;
}

Instance section_instance(std::string_view section)
{
  Instance i = name_instance(section);
  if (i != Instance::unknown)
    return i;
  return ascii_lower(section).find("zenodo") != std::string::npos ? Instance::production
                                                                  : Instance::unknown;
}

Instance client_instance(ClientFile kind, std::string_view section, std::string_view key)
{
  switch (kind) {
  case ClientFile::zenodorc: {
    // zenopy reads [ZENODO] for zenodo.org and [SANDBOX] for the sandbox, whatever the label.
    Instance s = section_instance(section);
    std::string l = ascii_lower(section);
    return l == "zenodo" || l == "sandbox" || s == Instance::sandbox ? s : Instance::unknown;
  }
  case ClientFile::zenodopy:
    if (key == "ACCESS_TOKEN")
      return Instance::production;
    if (key == "ACCESS_TOKEN-sandbox")
      return Instance::sandbox;
    return Instance::unknown;
  case ClientFile::uploader_toml: {
    std::string t = ascii_lower(section);
    if (t.rfind("tokens.", 0) == 0) {
      Instance sub = section_instance(t.substr(7));
      if (sub != Instance::unknown)
        return sub;
    }
    if (t != "tokens" && t.rfind("tokens.", 0) != 0)
      return Instance::unknown;
    // In [tokens] the key names the instance; any other key is a production token.
    return name_instance(key) == Instance::sandbox ? Instance::sandbox : Instance::production;
  }
  case ClientFile::client_ini: {
    std::string s = ascii_lower(section);
    if (s == "zenodo")
      return Instance::production;
    if (s == "zenodo:sandbox" || s == "zenodo_sandbox" || s == "zenodo-sandbox")
      return Instance::sandbox;
    return Instance::unknown;
  }
  }
  return Instance::unknown;
}

Hosts hosts_in(std::string_view text)
{
  // Case-insensitive in place: a lower-cased copy of every blob that mentions Zenodo was a
  // tenth of an archive scan's CPU (bench/archives/run.sh).
  Hosts h;
  static const KeywordFinder host("zenodo.org");
  constexpr std::size_t n = 10; // "zenodo.org"
  const auto npos = std::string_view::npos;
  for (std::size_t pos = host.find(text); pos != npos;) {
    std::size_t end = pos + n;
    auto next = [&] {
      std::size_t f = host.find(text.substr(pos + 1));
      return f == npos ? npos : pos + 1 + f;
    };
    if (end < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-')) {
      pos = next(); // zenodo.organisation
      continue;
    }
    std::string_view before = text.substr(0, pos);
    if (iends_with(before, "sandbox.")) {
      h.sandbox = true;
      pos = next();
      continue;
    }
    if (iends_with(before, "www."))
      before.remove_suffix(4);
    // A host in a percent-encoded URL (`https%3A%2F%2Fzenodo.org%2Fapi`, a URL passed as a
    // query parameter): "%2F" ends the name before it and begins the path after it.
    bool encoded = iends_with(before, "%2f");
    if (!encoded && !before.empty() && host_char(before.back())) {
      pos = next(); // developers.zenodo.org, help.zenodo.org, zenodo.org in a longer name
      continue;
    }
    std::string_view rest = text.substr(end);
    bool citation = false;
    encoded = starts_with_ci(rest, "%2f");
    for (std::string_view p : {"/record", "/badge", "/communities", "/doi", "/search"})
      citation |=
          starts_with_ci(rest, p) || (encoded && starts_with_ci(rest.substr(3), p.substr(1)));
    if (!citation)
      h.production = true;
    pos = next();
  }
  return h;
}

Instance switch_in(std::string_view text)
{
  // Cheap exits first: most statements mention neither.
  std::string l = ascii_lower(text);
  bool has_sandbox = l.find("sandbox") != std::string::npos;
  if (!has_sandbox && l.find("prod") == std::string::npos)
    return Instance::unknown;
  // `sandbox = .true.` (Fortran namelists), a type annotation (`zenodo_sandbox: bool = True`),
  // a name/value pair over two lines (Kubernetes `- name: ZENODO_SANDBOX` / `value: "1"`), an
  // argument pair (`viper.SetDefault("zenodo.sandbox", true)`, `env('ZENODO_SANDBOX', true)`) and
  // an XML element (`<B N="Sandbox">true</B>` in PowerShell CliXml, `<sandbox>true</sandbox>`) too.
  static const RE2 flag(
      R"((?:^|[^a-z0-9_])[a-z0-9_]*sandbox[a-z0-9_]*["'\]]?[ \t]*(?:==|=>|=|:[ \t]*[a-z_][a-z0-9_.]*[ \t]*=|:|<-|,|>|\r?\n[ \t]*value[ \t]*:)[ \t]*["']?\.?(true|1|yes|on|false|0|no|off)\b)",
      ci_options());
  static const RE2 option(R"((?:^|[ \t"'])--sandbox\b)", ci_options());
  static const RE2 environment(
      R"(\b(?:[a-z0-9_]*env|environment|instance|server|target|mode|deployment)["']?[ \t]*(?:=|:)[ \t]*["']?(sandbox|production|prod)\b)",
      ci_options());
  bool sandbox = false, production = false;
  re2::StringPiece input(text.data(), text.size());
  std::string value;
  while (has_sandbox && RE2::FindAndConsume(&input, flag, &value)) {
    std::string v = ascii_lower(value);
    (v == "true" || v == "1" || v == "yes" || v == "on" ? sandbox : production) = true;
  }
  if (has_sandbox && RE2::PartialMatch(text, option))
    sandbox = true;
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, environment, &value))
    (ascii_lower(value) == "sandbox" ? sandbox : production) = true;
  return either(sandbox, production);
}

std::string_view to_string(Evidence e)
{
  switch (e) {
  case Evidence::none:
    return "none";
  case Evidence::client_file:
    return "client file";
  case Evidence::statement_host:
    return "host in the statement";
  case Evidence::statement_switch:
    return "sandbox switch in the statement";
  case Evidence::name:
    return "name";
  case Evidence::section:
    return "section";
  case Evidence::block:
    return "enclosing block";
  case Evidence::file:
    return "elsewhere in the file";
  case Evidence::repository:
    return "elsewhere in the repository";
  case Evidence::rule_default:
    return "rule default";
  }
  return "none";
}

TextFacts facts_of(std::string_view text)
{
  return TextFacts{hosts_in(text), switch_in(text)};
}

InstanceDecision classify(const InstanceQuery& q)
{
  auto decided = [](Instance i, Evidence e) { return InstanceDecision{i, e}; };
  if (q.client) {
    Instance i = client_instance(*q.client, q.section, q.label);
    if (i != Instance::unknown)
      return decided(i, Evidence::client_file);
  }
  // Both hosts in the statement is a conflict: names may still settle it, the rest of the file
  // cannot.
  Hosts sh = hosts_in(q.statement);
  if (sh.sandbox != sh.production)
    return decided(either(sh.sandbox, sh.production), Evidence::statement_host);
  const bool conflict = sh.sandbox && sh.production;
  if (Instance i = switch_in(q.statement); i != Instance::unknown)
    return decided(i, Evidence::statement_switch);
  // A section that says sandbox wins over the label; a label wins over a section that says
  // production. A plain [zenodo] section (production) waits for the block: `[zenodo]` with
  // `url = https://sandbox.zenodo.org` (rclone, generic INI files) is a sandbox section.
  Instance from_section = name_instance(q.section);
  if (from_section == Instance::sandbox)
    return decided(from_section, Evidence::section);
  if (Instance i = name_instance(q.label); i != Instance::unknown)
    return decided(i, Evidence::name);
  if (from_section != Instance::unknown)
    return decided(from_section, Evidence::section);
  // The nearest enclosing key that says an instance decides (`sandbox:` inside `zenodo:`).
  for (const auto& key : split_keys(q.keys))
    if (Instance i = name_instance(key); i != Instance::unknown)
      return decided(i, Evidence::section);
  if (!conflict)
    if (Instance i = name_instance(q.statement); i != Instance::unknown)
      return decided(i, Evidence::name);
  if (Instance i = name_instance(q.heading); i != Instance::unknown)
    return decided(i, Evidence::section);
  if (Instance i = name_instance(q.file_name); i != Instance::unknown)
    return decided(i, Evidence::name);
  // A directory named for a Zenodo host: HTTPie keeps a session per host
  // (`sessions/sandbox.zenodo.org/default.json`).
  Hosts dh = hosts_in(q.directory);
  if (dh.sandbox != dh.production)
    return decided(either(dh.sandbox, dh.production), Evidence::name);
  if (conflict)
    return {};
  if (q.block.switched != Instance::unknown)
    return decided(q.block.switched, Evidence::block);
  const Hosts& bh = q.block.hosts;
  if (bh.sandbox != bh.production)
    return decided(either(bh.sandbox, bh.production), Evidence::block);
  if (q.block_nearest != Instance::unknown)
    return decided(q.block_nearest, Evidence::block);
  if (bh.sandbox && bh.production)
    return {};
  if (Instance i = section_instance(q.section); i != Instance::unknown)
    return decided(i, Evidence::section);
  const Hosts& fh = q.file_hosts;
  if (fh.sandbox != fh.production)
    return decided(either(fh.sandbox, fh.production), Evidence::file);
  // Directory words (`group_vars/prod/`, `deploy/sandbox/`) are weak: a `sandbox/` folder of
  // experiments may hold a production token, so the finding stays an error.
  if (fh.sandbox && fh.production)
    return {};
  if (Instance i = name_instance(q.directory); i != Instance::unknown)
    return decided(i, Evidence::file);
  return {};
}

Severity token_severity(Severity rule_severity, const InstanceDecision& d)
{
  if (d.instance == Instance::sandbox && d.strong() && rule_severity == Severity::error)
    return Severity::warning;
  return rule_severity;
}

} // namespace zenolint::match
