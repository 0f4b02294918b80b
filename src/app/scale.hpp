#pragma once
// Many repositories (docs/scale.md): `zenolint scan --repos FILE [--shard K/N] [--resume]` and
// `zenolint merge`. zenolint schedules no machines: each shard is an independent process that
// scans its part of the list one repository after another, each as `zenolint scan` would, and
// writes one JSON Lines record per repository; `merge` combines the records of every shard into
// one report, exactly the report one process scanning the whole list writes.
#include "app/scan.hpp"
#include "report/jsonl.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace zenolint::app {

struct Shard {
  unsigned index = 1; // 1..count
  unsigned count = 1;
};

// "K/N" with 1 <= K <= N <= 100000. Throws Error naming the text otherwise.
Shard parse_shard(const std::string& text);

// Whether the repository whose list line is `key` belongs to `shard`: by a hash of the line
// (SHA-256), never its position, so adding lines moves no other repository.
bool in_shard(const std::string& key, const Shard& shard);

// One line of the list. `error` is set when the line cannot name a repository (the record then
// says so); `path` is the line resolved against the list file's directory, made absolute.
struct RepoEntry {
  std::string key; // the line without surrounding white space
  std::string path;
  std::size_t line = 0;
  std::string error;
};

// Reads the list (`-`: standard input, relative lines against the current directory). Blank
// lines and lines starting with '#' are skipped; a repeated line is scanned once (a warning
// diagnostic names both lines). Throws Error when the file cannot be read.
std::vector<RepoEntry> read_repo_list(const std::string& file,
                                      std::vector<Diagnostic>& diagnostics);

struct ReposCommand {
  std::string repos_file;
  Shard shard;
  bool resume = false; // jsonl: skip repositories whose record in the output is current
  bool jsonl = false;  // --format jsonl (else cmd.out.format)
};

// Scans the shard's repositories with `cmd`'s options and writes the output `cmd.out` names
// (records appended to a jsonl file, or one merged report). Per-repository problems become
// records with status error and diagnostics naming FILE:line; fatal ones throw Error.
// Returns the exit status (findings at or above fail_on: out.exit_code).
int scan_repos(const ScanCommand& cmd, const ReposCommand& repos, std::ostream& stdout_stream);

struct MergeCommand {
  std::vector<std::string> files; // jsonl files; records of one repository: the last one wins
  OutputOptions out;
};

// Reads every record (a torn or invalid line is a diagnostic naming FILE:line, never fatal) and
// writes one report. Throws Error when a file cannot be read, or when --show-secrets is asked
// for records that hold redacted secrets. Returns the exit status as `scan` would.
int merge(const MergeCommand& cmd, std::ostream& stdout_stream);

// Records of one jsonl file in file order; torn or invalid lines become diagnostics.
std::vector<report::RepoRecord> read_records(const std::string& file,
                                             std::vector<Diagnostic>& diagnostics);

} // namespace zenolint::app
