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

struct ParsedFile;

// One entry per credential-file format: everything that differs between formats is here, so a
// new client format is one parser plus one entry in file_formats(). Name detection, history
// watching (scan), `config check`'s default files and help text, label checks and their messages
// all read this table.
// Entries are written with designated initializers; a field left out keeps its default.
struct FileFormat {
  FileKind kind = FileKind::ini;
  std::string_view description{}; // what messages call it: "zenopy .zenodorc"
  // File names (last path component) that mean this format; the client reads them from the
  // user's home and config directories. Empty: chosen by content or by the caller (generic INI).
  std::vector<std::string_view> file_names{};
  std::string_view client{}; // program that reads a token by default; empty: none (no placeholder
                             // check, since nothing reads the file by default)
  // A line starting with this (after spaces) means the format when the name says nothing.
  std::string_view sniff_prefix{};
  bool fold_labels = false; // labels are compared case-insensitively (configparser lowercases)
  bool fixed_keys = false;  // entries are fixed keys (not labels): no label-claim check
  std::string_view duplicate_consequence{}; // what the client does with a repeated label
  // Where a token of each instance belongs, for suggestions ("[ZENODO]", "ACCESS_TOKEN").
  // Empty: an INI section spelled in the case of the file's own section.
  std::string_view production_home{};
  std::string_view sandbox_home{};
  ParsedFile (*parse)(std::string_view content, const std::string& display_path) = nullptr;
};

// Every format, the generic INI file last.
const std::vector<FileFormat>& file_formats();

// The entry of `kind` (every FileKind has one; a unit test checks).
const FileFormat& format_of(FileKind kind);

std::string_view to_string(FileKind k); // format_of(k).description

// The client configuration file names of every format: .zenodorc, .zenodo_token, .zenodo.toml.
std::vector<std::string> client_file_names();

// The kind a file name (last path component) says, or nullopt for other names. Cheap enough to
// be called for every path of the history walk.
std::optional<FileKind> kind_from_name(std::string_view filename);

// Best guess for a file whose name says nothing: the first format whose sniff_prefix starts a
// line (zenodopy for ACCESS_TOKEN, TOML for a [tokens] table), INI otherwise.
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
