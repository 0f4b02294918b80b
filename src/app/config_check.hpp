#pragma once
// `zenolint config check [FILE...]`: the credential-file checks on the user's own files, and the
// token rules on the other files where people keep Zenodo tokens (shell profiles, .Renviron, token
// files). With no FILE: default_config_files(); $HOME decides where home is. Missing default files
// are skipped silently; a named FILE that is missing is an error diagnostic (and exit status 2
// after the report, so the other files are still checked).
#include "app/scan.hpp"
#include "report/report.hpp"

#include <string>
#include <vector>

namespace zenolint::app {

struct ConfigCheckCommand {
  std::vector<std::string> files; // empty: the default list
  bool fix = false;               // set credential files to mode 0600
  OutputOptions out;
};

struct ConfigCheckResult {
  report::Report report;          // scan_kind "config"
  std::vector<std::string> fixes; // one line per mode change made by --fix
  bool missing_named_file = false;
  // Every file looked at, in order, with what was found: "PATH: missing", "PATH: zenopy
  // .zenodorc", "PATH: shell profile, 1 token" (the CLI prints these on stderr).
  std::vector<std::string> looked_at;
};

// The files checked when none is named, in order (reads HOME and XDG_CONFIG_HOME): the client
// files (.zenodorc, .zenodo_token, .zenodo.toml in HOME, XDG_CONFIG_HOME and
// XDG_CONFIG_HOME/zenodo), zenodo-client's XDG_CONFIG_HOME/zenodo.ini, token files
// (.zenodo_sandbox_token, .zenodo-token, zenodo.token, zenodo_token.txt), R's .Renviron and
// .Rprofile, shell profiles (.profile, .bashrc, .bash_profile, .bash_login, .zshrc, .zprofile,
// .zshenv, fish's config.fish) and .netrc.
// Throws Error when HOME is unset or empty.
std::vector<std::string> default_config_files();

// The client credential files as help text lists them: "~/.zenodorc, ~/.zenodo_token, ..." (one
// per name of checks::file_formats()).
std::string client_files_in_home();

// Runs the checks; prints nothing. Throws Error only for fatal problems (HOME unset).
ConfigCheckResult config_check(const ConfigCheckCommand& cmd);

} // namespace zenolint::app
