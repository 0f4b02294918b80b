#pragma once
// JSON Lines records, one per repository (`zenolint scan --repos FILE --format jsonl`), and their
// reader for `zenolint merge` and `--resume`. A record is one line of JSON ending in '\n' that
// holds everything the reporters need to write that repository's part of a report exactly as
// `zenolint scan` would have (docs/scale.md, "Record format"):
//   {"zenolint_record": 1, "repository": "<the line of the list>", "status": "ok"|"error", ...}
// Secrets: unless the record was written with show_secrets, a record holds only the redacted
// secret, the fingerprint and `secret_id` (SHA-256 of "zenolint-secret:" + secret, which groups the
// places of one secret across rules and repositories); messages and labels are redacted as well.
#include "report/report.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace zenolint::report {

struct RepoRecord {
  std::string repository; // the list's line (trimmed): the key of the record
  std::string path;       // where it was found (the line resolved against the list's directory)
  bool ok = false;        // false: `error` says why nothing was scanned
  std::string error;
  // What the scan's result depends on (docs/scale.md, "Resume"): every ref and HEAD; the index
  // and the working tree's changes; zenolint, its rules and the options. Empty when unknown.
  std::string refs_fingerprint;
  std::string worktree_fingerprint;
  std::string config_fingerprint;
  // True when secrets were written raw (scan --show-secrets); false: redacted stand-ins (below).
  bool raw_secrets = false;
  Report report; // findings, diagnostics, stats, rules, scan kind, root, started/finished
};

// The record as one line ('\n'-terminated). Secrets, messages and labels are redacted unless
// `show_secrets`.
std::string record_line(const RepoRecord& record, bool show_secrets);

// Parses one line (without its '\n'). Returns nothing and sets `error` when the line is not a
// complete, valid record (a torn line from a killed writer, another file...).
// Findings of a redacted record get a stand-in `secret`: its printable (redacted) form is the one
// the scan printed, and two stand-ins are equal exactly when the secrets were; it is never the
// secret itself, so it must not be printed as one (merge refuses --show-secrets on such records).
std::optional<RepoRecord> parse_record(std::string_view line, std::string& error);

} // namespace zenolint::report
