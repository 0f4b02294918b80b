#include "checks/credential_file.hpp"

#include "checks/label_words.hpp"
#include "core/text.hpp"
#include "match/instance.hpp"
#include "match/token.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace zenolint::checks {
namespace {

struct Line {
  std::string_view text; // without the line break
  std::uint32_t number = 0;
};

// Splits on "\r\n", "\n" and "\r", like Python's universal newlines.
std::vector<Line> split_lines(std::string_view content)
{
  std::vector<Line> lines;
  std::size_t start = 0;
  std::uint32_t number = 1;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] != '\n' && content[i] != '\r')
      continue;
    lines.push_back({content.substr(start, i - start), number++});
    if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n')
      ++i;
    start = i + 1;
  }
  if (start < content.size())
    lines.push_back({content.substr(start), number});
  return lines;
}

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s)
{
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::size_t indent_of(std::string_view s)
{
  std::size_t n = 0;
  while (n < s.size() && is_space(s[n]))
    ++n;
  return n;
}

// 1-based column in code points of byte `offset` in `line`.
std::uint32_t column_of(std::string_view line, std::size_t offset)
{
  return utf8_column(line.substr(0, offset));
}

bool is_alnum(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string unquote(std::string_view v)
{
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return std::string(v.substr(1, v.size() - 2));
  return std::string(v);
}

// The single maximal 60-character alphanumeric run of `value`, if there is exactly one.
std::optional<std::string> token_run(std::string_view value)
{
  std::optional<std::string> found;
  std::size_t i = 0;
  while (i < value.size()) {
    if (!is_alnum(value[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < value.size() && is_alnum(value[j]))
      ++j;
    if (j - i == 60) {
      if (found)
        return std::nullopt;
      found = std::string(value.substr(i, 60));
    }
    i = j;
  }
  return found;
}

std::string line_ref(const std::string& path, std::uint32_t line)
{
  return path + ":" + std::to_string(line);
}

void fill_position(Entry& e, const Line& line, std::size_t key_offset, std::size_t key_len)
{
  e.line = line.number;
  e.column = column_of(line.text, key_offset);
  e.end_column = column_of(line.text, key_offset + key_len);
}

void finish_token(Entry& e)
{
  if (auto run = token_run(e.value))
    e.token = *run;
  else
    e.token = unquote(e.value);
}

// Warns when a value holds a token wrapped in something the client keeps (quotes, spaces, an
// inline comment): the client would send those characters as part of the token.
void check_wrapped_token(const Entry& e, ParsedFile& out, const std::string& path,
                         const char* client)
{
  if (is_token_shaped(e.value) || !is_token_shaped(e.token))
    return;
  out.diagnostics.push_back({Severity::warning, line_ref(path, e.line),
                             "the value of '" + e.label +
                                 "' has characters around the token (quotes, spaces or an inline "
                                 "comment); " +
                                 client + " keeps them, so the token it sends would be wrong"});
}

ParsedFile parse_ini(std::string_view content, const std::string& path, bool zenopy)
{
  ParsedFile out;
  out.kind = zenopy ? FileKind::zenodorc : FileKind::ini;
  std::optional<std::string> section;
  std::map<std::string, std::uint32_t> seen_sections;
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t current = none; // entry receiving continuation lines
  std::size_t current_indent = 0;
  bool reported_no_section = false;
  auto lines = split_lines(content);
  for (auto& line : lines) {
    std::string_view text = line.text;
    if (line.number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") {
      out.diagnostics.push_back({Severity::warning, line_ref(path, 1),
                                 "the file starts with a UTF-8 byte-order mark; Python's "
                                 "configparser (zenopy) then sees no "
                                 "section header on line 1 and rejects the file"});
      text.remove_prefix(3);
    }
    std::string_view stripped = trim(text);
    std::size_t indent = indent_of(text);
    if (stripped.empty())
      continue;
    if (stripped.front() == '#' || stripped.front() == ';') {
      current = none;
      continue;
    }
    if (current != none && indent > current_indent) {
      Entry& e = out.entries[current];
      e.value += "\n";
      e.value += stripped;
      finish_token(e);
      out.diagnostics.push_back({Severity::warning, line_ref(path, line.number),
                                 "indented line continues the value of '" + e.label + "' (line " +
                                     std::to_string(e.line) +
                                     "); configparser joins it into that value"});
      continue;
    }
    current = none;
    if (stripped.front() == '[') {
      auto close = stripped.rfind(']');
      if (close != std::string_view::npos && close > 1) {
        std::string name(stripped.substr(1, close - 1));
        if (auto it = seen_sections.find(name); it != seen_sections.end())
          out.diagnostics.push_back(
              {Severity::warning, line_ref(path, line.number),
               "section [" + name + "] appears again (first on line " + std::to_string(it->second) +
                   "); configparser rejects duplicate sections (DuplicateSectionError)"});
        else
          seen_sections.emplace(name, line.number);
        section = name;
        continue;
      }
    }
    std::size_t delim = stripped.find_first_of("=:");
    if (delim == std::string_view::npos || delim == 0) {
      out.diagnostics.push_back(
          {Severity::warning, line_ref(path, line.number),
           "not a 'label = value' line; configparser rejects the file (ParsingError)"});
      continue;
    }
    if (!section && !reported_no_section) {
      reported_no_section = true;
      out.diagnostics.push_back(
          {Severity::warning, line_ref(path, line.number),
           "'label = value' before any [section] header; configparser rejects the file "
           "(MissingSectionHeaderError)"});
    }
    std::string_view key = trim(stripped.substr(0, delim));
    Entry e;
    e.section = section.value_or("");
    e.label = std::string(key);
    e.value = std::string(trim(stripped.substr(delim + 1)));
    e.instance = !section ? Instance::unknown
                 : zenopy ? match::client_instance(match::ClientFile::zenodorc, *section, e.label)
                          : instance_of_section(*section);
    e.default_read =
        zenopy ? ascii_lower(e.section) == "zenodo" : e.instance == Instance::production;
    std::size_t key_offset = static_cast<std::size_t>(stripped.data() - text.data()) +
                             static_cast<std::size_t>(text.data() - line.text.data());
    fill_position(e, line, key_offset, key.size());
    finish_token(e);
    current = out.entries.size();
    current_indent = indent;
    out.entries.push_back(std::move(e));
  }
  if (zenopy)
    for (const auto& e : out.entries)
      check_wrapped_token(e, out, path, "configparser");
  return out;
}

ParsedFile parse_zenodopy(std::string_view content, const std::string& path)
{
  ParsedFile out;
  out.kind = FileKind::zenodopy;
  for (auto& line : split_lines(content)) {
    // zenodopy: line.strip().split(":", 1); the key is compared exactly, the value stripped.
    std::string_view stripped = trim(line.text);
    auto colon = stripped.find(':');
    if (stripped.empty() || colon == std::string_view::npos)
      continue;
    std::string_view key = stripped.substr(0, colon);
    Entry e;
    e.label = std::string(key);
    e.value = std::string(trim(stripped.substr(colon + 1)));
    if (key == "ACCESS_TOKEN") {
      e.instance = Instance::production;
      e.default_read = true;
    } else if (key == "ACCESS_TOKEN-sandbox") {
      e.instance = Instance::sandbox;
    } else {
      std::string_view k = trim(key);
      if (k == "ACCESS_TOKEN" || k == "ACCESS_TOKEN-sandbox")
        out.diagnostics.push_back(
            {Severity::warning, line_ref(path, line.number),
             "'" + std::string(k) +
                 "' has spaces before ':'; zenodopy compares keys exactly and "
                 "does not read this line"});
      else if (k.front() != '#' && token_run(e.value))
        out.diagnostics.push_back(
            {Severity::note, line_ref(path, line.number),
             "zenodopy reads only ACCESS_TOKEN and ACCESS_TOKEN-sandbox, not '" + std::string(k) +
                 "'"});
      continue; // not read by zenodopy: no entry
    }
    std::size_t key_offset = static_cast<std::size_t>(stripped.data() - line.text.data());
    fill_position(e, line, key_offset, key.size());
    finish_token(e);
    out.entries.push_back(std::move(e));
  }
  for (const auto& e : out.entries)
    check_wrapped_token(e, out, path, "zenodopy");
  return out;
}

// Parses a TOML basic ("...") or literal ('...') string at the start of `s`. Returns the string
// and sets `rest` to what follows, or nullopt when `s` does not start with a complete string.
std::optional<std::string> toml_string(std::string_view s, std::string_view& rest)
{
  if (s.empty() || (s.front() != '"' && s.front() != '\''))
    return std::nullopt;
  char q = s.front();
  std::string out;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == q) {
      rest = s.substr(i + 1);
      return out;
    }
    if (q == '"' && c == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      default:
        out += '\\';
        out += n;
        break;
      }
      continue;
    }
    out += c;
  }
  return std::nullopt;
}

ParsedFile parse_toml(std::string_view content, const std::string& path)
{
  ParsedFile out;
  out.kind = FileKind::toml;
  std::string table;
  for (auto& line : split_lines(content)) {
    std::string_view text = line.text;
    if (line.number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF")
      text.remove_prefix(3);
    std::string_view stripped = trim(text);
    if (stripped.empty() || stripped.front() == '#')
      continue;
    if (stripped.front() == '[') {
      auto close = stripped.find(']');
      if (close == std::string_view::npos) {
        out.diagnostics.push_back(
            {Severity::warning, line_ref(path, line.number), "unterminated table header"});
        continue;
      }
      table = std::string(trim(stripped.substr(stripped.substr(0, 2) == "[[" ? 2 : 1,
                                               close - (stripped.substr(0, 2) == "[[" ? 2 : 1))));
      continue;
    }
    std::string lt = ascii_lower(table);
    bool in_tokens = lt == "tokens" || lt.rfind("tokens.", 0) == 0;
    // key
    std::string key;
    std::string_view rest;
    std::size_t key_offset = static_cast<std::size_t>(stripped.data() - line.text.data());
    std::size_t key_len = 0;
    if (auto quoted = toml_string(stripped, rest)) {
      key = *quoted;
      key_len = static_cast<std::size_t>(rest.data() - stripped.data());
    } else {
      std::size_t eq = stripped.find('=');
      if (eq == std::string_view::npos) {
        if (in_tokens)
          out.diagnostics.push_back({Severity::warning, line_ref(path, line.number),
                                     "not a 'key = value' line in the [" + table + "] table"});
        continue;
      }
      key = std::string(trim(stripped.substr(0, eq)));
      key_len = key.size();
      rest = stripped.substr(eq);
    }
    rest = trim(rest);
    if (rest.empty() || rest.front() != '=') {
      if (in_tokens)
        out.diagnostics.push_back({Severity::warning, line_ref(path, line.number),
                                   "not a 'key = value' line in the [" + table + "] table"});
      continue;
    }
    if (!in_tokens)
      continue;
    rest = trim(rest.substr(1));
    Entry e;
    e.section = table;
    e.label = key;
    std::string_view after;
    if (auto value = toml_string(rest, after)) {
      e.value = *value;
      after = trim(after);
      if (!after.empty() && after.front() != '#')
        out.diagnostics.push_back({Severity::warning, line_ref(path, line.number),
                                   "unexpected text after the value of '" + key + "'"});
    } else {
      e.value = std::string(rest);
      out.diagnostics.push_back(
          {Severity::warning, line_ref(path, line.number),
           "the value of '" + key + "' is not a TOML string (quote it: " + key + " = \"...\")"});
    }
    // [tokens.sandbox] decides for all its keys; in [tokens] the key names the instance, and
    // zenodo-uploader takes every other key for production.
    e.instance = match::client_instance(match::ClientFile::uploader_toml, table, key);
    e.default_read = e.instance == Instance::production;
    fill_position(e, line, key_offset, key_len);
    finish_token(e);
    out.entries.push_back(std::move(e));
  }
  return out;
}

} // namespace

const std::vector<FileFormat>& file_formats()
{
  using match::client_file_name;
  using match::ClientFile;
  static const std::vector<FileFormat> formats{
      {.kind = FileKind::zenodorc,
       .description = "zenopy .zenodorc",
       .file_names = {client_file_name(ClientFile::zenodorc)},
       .client = "zenopy",
       .fold_labels = true,
       .duplicate_consequence = "configparser (zenopy) rejects the file (DuplicateOptionError)",
       .production_home = "[ZENODO]",
       .sandbox_home = "[SANDBOX]",
       .parse = [](std::string_view content,
                   const std::string& path) { return parse_ini(content, path, true); }},
      {.kind = FileKind::zenodopy,
       .description = "zenodopy .zenodo_token",
       .file_names = {client_file_name(ClientFile::zenodopy)},
       .client = "zenodopy",
       .sniff_prefix = "ACCESS_TOKEN",
       .fixed_keys = true,
       .duplicate_consequence = "zenodopy silently uses the last one",
       .production_home = "ACCESS_TOKEN",
       .sandbox_home = "ACCESS_TOKEN-sandbox",
       .parse = parse_zenodopy},
      {.kind = FileKind::toml,
       .description = "zenodo-uploader .zenodo.toml",
       .file_names = {client_file_name(ClientFile::uploader_toml)},
       .client = "zenodo-uploader",
       .sniff_prefix = "[tokens",
       .duplicate_consequence = "TOML rejects duplicate keys",
       .production_home = "[tokens.production]",
       .sandbox_home = "[tokens.sandbox]",
       .parse = parse_toml},
      // Any other INI file with a Zenodo section (a repository's zenodo.ini, config.ini...).
      {.kind = FileKind::ini,
       .description = "INI file",
       .fold_labels = true,
       .duplicate_consequence = "configparser (zenopy) rejects the file (DuplicateOptionError)",
       .parse = [](std::string_view content,
                   const std::string& path) { return parse_ini(content, path, false); }},
  };
  return formats;
}

const FileFormat& format_of(FileKind kind)
{
  for (const auto& f : file_formats())
    if (f.kind == kind)
      return f;
  throw std::logic_error("credential-file format without an entry in file_formats()");
}

std::string_view to_string(FileKind k)
{
  return format_of(k).description;
}

std::vector<std::string> client_file_names()
{
  std::vector<std::string> names;
  for (const auto& f : file_formats())
    for (auto name : f.file_names)
      names.emplace_back(name);
  return names;
}

std::optional<FileKind> kind_from_name(std::string_view filename)
{
  for (const auto& f : file_formats())
    for (auto name : f.file_names)
      if (filename == name)
        return f.kind;
  return std::nullopt;
}

FileKind sniff_kind(std::string_view content)
{
  for (auto& line : split_lines(content)) {
    auto s = trim(line.text);
    for (const auto& f : file_formats())
      if (!f.sniff_prefix.empty() && s.rfind(f.sniff_prefix, 0) == 0)
        return f.kind;
  }
  return FileKind::ini;
}

ParsedFile parse(FileKind kind, std::string_view content, const std::string& display_path)
{
  ParsedFile out = format_of(kind).parse(content, display_path);
  out.kind = kind;
  return out;
}

Instance instance_of_section(std::string_view name)
{
  return match::section_instance(name);
}

bool is_token_shaped(std::string_view value)
{
  return value.size() == 60 && std::all_of(value.begin(), value.end(), is_alnum);
}

bool is_placeholder(std::string_view value)
{
  std::string_view t = trim(value);
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front())
    t = trim(t.substr(1, t.size() - 2));
  // A value that passes the token checks is a real token, whatever words it happens to spell
  // ("ToDo", "xxxx" occur in about 1 random token in 8,000).
  if (is_token_shaped(t) && match::implausible_token_reason(t, 0, t.size()) == nullptr)
    return false;
  std::string v = ascii_lower(t);
  if (v.empty())
    return true;
  if ((v.front() == '<' && v.back() == '>') || (v.front() == '[' && v.back() == ']'))
    return true;
  // One character repeated ("0000", "****", "xxxxxxxx").
  if (std::all_of(v.begin(), v.end(), [&](char c) { return c == v.front(); }))
    return true;
  if (v.find("...") != std::string::npos || v.find("\u2026") != std::string::npos)
    return true; // elided
  // Anchored shapes: the value starts or ends with a placeholder word, or is one.
  auto starts = [&](std::string_view p) { return v.rfind(p, 0) == 0; };
  auto ends = [&](std::string_view p) {
    return v.size() >= p.size() && v.compare(v.size() - p.size(), p.size(), p) == 0;
  };
  static const char* const prefixes[] = {
      "fixme",    "todo",  "tbd",     "changeme", "change_me", "change-me",  "change me",
      "replace",  "your_", "your-",   "your ",    "yourtoken", "yourzenodo", "youraccess",
      "insert",   "enter", "paste",   "put_",     "put-",      "put ",       "placeholder",
      "redacted", "dummy", "example", "sample",   "xxxx",      "token_here", "token-here"};
  for (const char* p : prefixes)
    if (starts(p))
      return true;
  for (const char* p : {"_here", "-here", " here", "xxxx", "changeme", "placeholder", "example"})
    if (ends(p))
      return true;
  return false;
}

bool is_config_file_name(std::string_view filename)
{
  std::string n = ascii_lower(filename);
  auto ends = [&](std::string_view p) {
    return n.size() >= p.size() && n.compare(n.size() - p.size(), p.size(), p) == 0;
  };
  if (n.rfind(".env", 0) == 0 || ends(".env"))
    return true;
  for (const char* ext : {".ini", ".cfg", ".conf", ".toml", ".token"})
    if (ends(ext))
      return true;
  static const char* const names[] = {".netrc",    ".renviron",     ".rprofile",   ".profile",
                                      ".bashrc",   ".bash_profile", ".bash_login", ".zshrc",
                                      ".zprofile", ".zshenv",       ".zlogin",     ".kshrc",
                                      ".cshrc",    ".tcshrc",       "config.fish", ".pypirc"};
  for (const char* name : names)
    if (n == name)
      return true;
  return match::client_file_kind(n).has_value() || is_token_file_name(filename);
}

bool is_token_file_name(std::string_view filename)
{
  // .zenodo_token, .zenodo-token, zenodo.token, zenodo_token.txt, .zenodo_sandbox_token,
  // zenodo-access-token, ZENODO_TOKEN, .ZenodoToken: zenodo, then any of an instance, "access",
  // "api" or "personal", then "token", each optionally after one of '.', '_', '-', with an
  // optional .txt or .secret; the same names as zenodo/token-file's path_pattern.
  std::string n = ascii_lower(filename);
  std::string_view s = n;
  if (!s.empty() && s.front() == '.')
    s.remove_prefix(1);
  for (std::string_view ext : {".txt", ".secret"})
    if (s.size() > ext.size() && s.substr(s.size() - ext.size()) == ext) {
      s.remove_suffix(ext.size());
      break;
    }
  if (!starts_with_ci(s, "zenodo"))
    return false;
  s.remove_prefix(6);
  for (;;) {
    if (!s.empty() && (s.front() == '.' || s.front() == '_' || s.front() == '-'))
      s.remove_prefix(1);
    if (s == "token")
      return true;
    bool word = false;
    for (std::string_view w : {"sandbox", "sb", "access", "api", "personal", "production", "prod"})
      if (starts_with_ci(s, w)) {
        s.remove_prefix(w.size());
        word = true;
        break;
      }
    if (!word)
      return false;
  }
}

} // namespace zenolint::checks
