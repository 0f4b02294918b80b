#pragma once
// `zenolint config check [FILE...]`: the credential-file checks on the user's own files. With no
// FILE: ~/.zenodorc, ~/.zenodo_token, ~/.zenodo.toml, the same names in $XDG_CONFIG_HOME (default
// ~/.config) and in $XDG_CONFIG_HOME/zenodo/; $HOME decides where home is. Missing default files
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
};

// The files checked when none is named, in order (reads HOME and XDG_CONFIG_HOME).
// Throws Error when HOME is unset or empty.
std::vector<std::string> default_config_files();

// Runs the checks; prints nothing. Throws Error only for fatal problems (HOME unset).
ConfigCheckResult config_check(const ConfigCheckCommand& cmd);

} // namespace zenolint::app
