#pragma once
// The stages of `zenolint scan` after argument parsing, one file each so that the history engine,
// the credential-file checks and the CI gate can grow independently:
//   collect_sources (scan_sources.cpp) -> scan::run -> run_checks (scan_checks.cpp)
//   -> apply_filters (scan_filters.cpp) -> attach_exposure (scan_exposure.cpp) -> sort -> reporter.
#include "app/scan.hpp"
#include "report/report.hpp"
#include "source/source.hpp"
#include "source/staged.hpp"
#include "source/worktree.hpp"

#include <string>

namespace zenolint::app {

// Decides what to read for `cmd` (working tree, staged index, history, range, all objects) and
// sets `scan_kind` (worktree|staged|range|history|full) for reports. `on_listed` goes to the
// working-tree source (source::WorktreeOptions::on_listed); may be empty.
source::Batch collect_sources(
    const ScanCommand& cmd, const source::RootInfo& root, std::string& scan_kind,
    const std::function<void(const std::string& fs_path, const std::string& path)>& on_listed = {});

// What git tells a hook (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE), read from the environment here
// and passed down: sources never read the environment.
source::GitEnvironment git_environment();

// Where `scan --staged` of `path` is: from the own repository discovery (source/git_layout.hpp),
// without libgit2, or describe_root where that refuses.
source::RootInfo describe_staged_root(const std::string& path);

// `scan --release`: the files `git archive cmd.release` would publish, as buffers; fills
// rep.release (published and excluded files).
source::Batch collect_release(const ScanCommand& cmd, const source::RootInfo& root,
                              report::Report& rep);

// Credential-file checks (config/...) on the files of `batch`; adds findings and diagnostics.
void run_checks(const ScanCommand& cmd, const source::RootInfo& root, const source::Batch& batch,
                report::Report& rep);

// Drops references to paths that the ignore file's path globs exclude, before anything is read
// (counted as skipped_other). Malformed ignore-file lines become diagnostics of `batch`.
void filter_sources(const ScanCommand& cmd, const source::RootInfo& root, source::Batch& batch);

// Sets Finding::exposure on every token finding, per secret, from the history walk's graph
// (batch.graph; nothing when the scan did not walk the whole history). Unreadable trees become
// diagnostics.
void attach_exposure(const source::RootInfo& root, const source::Batch& batch, report::Report& rep);

// Groups the diagnostics that share a cause (DiagnosticCause): in a partial clone every missing
// object becomes one diagnostic naming the first few paths where objects were expected ("N
// objects are not in this partial clone (promisor pack) ... see --verbose"); elsewhere more than
// ten missing objects do. With `verbose` every diagnostic stays as it is (in a partial clone,
// each says so).
void group_diagnostics(const source::RootInfo& root, bool verbose, std::vector<Diagnostic>& diags);

// Whether the repository at `git_dir` is a partial clone: a promisor pack, or a promisor remote
// in its configuration.
bool is_partial_clone(const std::string& git_dir);

// Removes findings covered by the baseline or the ignore file, counting them in rep.stats.
void apply_filters(const ScanCommand& cmd, const source::RootInfo& root, report::Report& rep);

} // namespace zenolint::app
