#pragma once
// `zenolint scan`: the engine behind the subcommand. Takes plain options, returns data; the CLI
// only parses arguments into ScanCommand and prints. Throws zenolint::Error for fatal problems.
#include "core/types.hpp"
#include "report/report.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::app {

enum class ColorMode { auto_, always, never };
enum class ProgressMode { auto_, always, never };

struct OutputOptions {
  report::Format format = report::Format::text;
  std::string output; // file, or empty for stdout
  bool show_secrets = false;
  bool brief = false; // text: one line per finding instead of one block per secret
  ColorMode color = ColorMode::auto_;
  Severity fail_on = Severity::warning;
  int exit_code = 1; // status when findings at or above fail_on remain
  // When the run started: the text summary on a terminal shows the elapsed time.
  std::optional<std::chrono::steady_clock::time_point> started;
};

// The path argument that means standard input.
inline constexpr std::string_view stdin_path = "-";

struct ScanCommand {
  std::string path = "."; // one root: a repository, directory, file or archive; "-": stdin
  // Several roots (`zenolint scan A B C`): each is scanned as `path` would be, report paths are
  // prefixed by the argument, and the exit status covers them all. Empty: just `path`.
  std::vector<std::string> paths;
  std::string stdin_name; // path reported for "-" (and its file-kind hints); default "-"
  // `--release REV`: exactly what `git archive REV` would publish, instead of tree and history.
  std::string release;
  // Archives: nesting depth read (0: off) and uncompressed bytes per outermost archive (also the
  // largest archive file read, which may exceed max_file_size).
  unsigned max_archive_depth = 3;
  std::uint64_t max_archive_bytes = 1ull << 30;
  unsigned jobs = 0;
  std::uint64_t max_file_size = 10ull << 20;
  std::vector<std::string> rule_dirs;
  // What to scan (issue: history engine). Default inside a repository: working tree + history.
  bool no_history = false;
  bool history_only = false;
  bool staged = false;
  std::string range;
  bool all_objects = false;
  // Working tree: also the files git ignores (.gitignore, info/exclude, core.excludesFile) and
  // those inside submodules and nested repositories: the tree is walked as a plain directory.
  bool include_ignored = false;
  ProgressMode progress = ProgressMode::auto_;
  // Every diagnostic on its own, instead of one per shared cause (app/scan_stages.hpp).
  bool verbose = false;
  // Gating and suppression.
  std::string baseline;
  std::string ignore_file;
  bool inline_allow = true;
  bool fix = false;
  // Ask each token's Zenodo instance whether it still works (verify/verify.hpp). The caller
  // must hold a verify::CurlGlobal.
  bool verify = false;
  OutputOptions out;
};

// Runs the scan and returns the report (no printing).
report::Report scan(const ScanCommand& cmd);

// Exit status for a finished report under `out`: out.exit_code when findings at or above
// out.fail_on remain; else exit_incomplete when the scan could not read part of what it was asked
// to read (a diagnostic of severity error: an unreadable ref target, commit or tree); else 0.
constexpr int exit_incomplete = 3;
int exit_status(const report::Report& report, const OutputOptions& out);

// Writes the report where `out` says (stdout or a file); returns the exit status.
int emit(const report::Report& report, const OutputOptions& out, std::ostream& stdout_stream);

// Colour per no-color.org: `always` and `never` mean what they say (`always` wins over NO_COLOR);
// `auto` colours a terminal unless NO_COLOR (`no_color`, may be null) is set and non-empty.
bool color_enabled(ColorMode mode, bool terminal, const char* no_color);

// Parses sizes such as 1048576, 512K, 10M, 10MiB, 1G. Throws Error on bad input.
std::uint64_t parse_size(const std::string& text);

} // namespace zenolint::app
