#pragma once
// Parsing of Zenodo client credential files into labelled entries, with the quirks of the clients
// that read them:
//   .zenodorc      zenopy, Python configparser: [ZENODO] production, [SANDBOX] sandbox; keys are
//                  labels (configparser lowercases them), '=' or ':' delimiters, '#'/';' full-line
//                  comments only, indented lines continue the previous value, quotes are kept.
//   .zenodo_token  zenodopy: lines "KEY: value" split at the first ':'; only the exact keys
//                  ACCESS_TOKEN (production) and ACCESS_TOKEN-sandbox are read, the last one wins.
//   .zenodo.toml   zenodo-uploader: a [tokens] table (or [tokens.<instance>] tables) of strings.
// Any other INI file with a [zenodo]/[sandbox]-like section is parsed like .zenodorc.
// Parsing never throws: problems become Diagnostics naming the file and line, and parsing goes on.
#include "core/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::checks {

enum class FileKind { zenodorc, zenodopy, toml, ini };
std::string_view to_string(FileKind k);

// The client configuration file names: .zenodorc, .zenodo_token, .zenodo.toml.
const std::vector<std::string>& client_file_names();

// The kind a file name (last path component) says, or nullopt for other names.
std::optional<FileKind> kind_from_name(std::string_view filename);

// Best guess for a file whose name says nothing: zenodopy when a line starts with ACCESS_TOKEN,
// TOML when it has a [tokens] table, INI otherwise.
FileKind sniff_kind(std::string_view content);

struct Entry {
  std::string section; // as written, without brackets; "" outside any section
  std::string label;   // key as written
  std::string value;   // raw value as the client sees it (may contain quotes, spaces, '\n')
  std::string token;   // the token candidate: one 60-character [A-Za-z0-9] run of the value,
                       // or the value without surrounding quotes
  Instance instance = Instance::unknown; // what the section (or fixed key) makes it
  bool default_read = false;    // the client reads this entry when not asked for the sandbox
  std::uint32_t line = 0;       // 1-based line of the label
  std::uint32_t column = 0;     // 1-based, code points
  std::uint32_t end_column = 0; // exclusive
};

struct ParsedFile {
  FileKind kind = FileKind::ini;
  std::vector<Entry> entries; // in file order
  std::vector<Diagnostic> diagnostics;
};

// Parses `content` (any bytes). `display_path` names the file in diagnostics.
ParsedFile parse(FileKind kind, std::string_view content, const std::string& display_path);

// The instance a section or table name stands for (match::section_instance): names mentioning
// sandbox -> sandbox; zenodo, prod, production, live -> production; anything else unknown.
Instance instance_of_section(std::string_view name);

// True for values that are not a real token yet, matched as whole or anchored shapes: empty,
// <...>, [...], one repeated character, an elided "abc...", or a value that starts with FIXME,
// TODO, CHANGEME, your_, insert, paste, placeholder, xxxx... or ends with _here, xxxx... (any
// case). A value that passes the token-shape checks is never a placeholder, whatever it spells.
bool is_placeholder(std::string_view value);

// Configuration and credential files by name (last path component): .env*, *.env, *.ini, *.cfg,
// *.conf, *.toml, *.token, .netrc, .pypirc, R's .Renviron/.Rprofile, shell profiles (.profile,
// .bashrc, .bash_profile, .zshrc, .zprofile, .zshenv...), client files, token files. Only these
// get config/loose-permissions for a token found in them; a source file gets the token finding.
bool is_config_file_name(std::string_view filename);

// Files that hold a bare Zenodo token by name: .zenodo_token, .zenodo-token, zenodo.token,
// zenodo_token.txt, .zenodo_sandbox_token, zenodo-access-token (case-insensitive).
bool is_token_file_name(std::string_view filename);

// True for exactly 60 characters of [A-Za-z0-9].
bool is_token_shaped(std::string_view value);

} // namespace zenolint::checks
