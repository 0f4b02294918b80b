#pragma once
// The programs tests run besides git and zenolint (node, npm, pre-commit, bsdtar...), and what to
// say when one is missing: which program, and that `scripts/setup.sh --test` installs it (with
// the Debian package), instead of a bare "127 == 0".
#include <string>

namespace zenolint::test {

// The Debian package scripts/setup.sh --test installs for `command` ("node" -> "nodejs"), or ""
// for a command the setup script does not know.
std::string setup_package_of(const std::string& command);

// "`node` is not installed (not on PATH): scripts/setup.sh --test installs it (Debian package
// nodejs)".
std::string missing_tool_message(const std::string& command);

// True when `command` (no slash: searched on PATH; with a slash: that file) can be executed.
bool tool_available(const std::string& command);

// Throws std::runtime_error(missing_tool_message(command)) when it is not available.
void require_tool(const std::string& command);

} // namespace zenolint::test
