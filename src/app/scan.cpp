#include "app/scan.hpp"

#include "app/progress.hpp"
#include "app/rules_setup.hpp"
#include "app/scan_stages.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/phases.hpp"
#include "core/text.hpp"
#include "git/git.hpp"
#include "match/matcher.hpp"
#include "scan/scanner.hpp"
#include "source/worktree.hpp"
#include "verify/verify.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <unistd.h>

namespace zenolint::app {

std::uint64_t parse_size(const std::string& text)
{
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    ++i;
  if (i == 0)
    throw Error("invalid size '" + text + "' (expected e.g. 1048576, 512K, 10M, 1G)");
  std::uint64_t value = std::stoull(text.substr(0, i));
  std::string unit = text.substr(i);
  for (auto& c : unit)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::uint64_t mult = 1;
  if (unit.empty() || unit == "b")
    mult = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib")
    mult = 1ull << 10;
  else if (unit == "m" || unit == "mb" || unit == "mib")
    mult = 1ull << 20;
  else if (unit == "g" || unit == "gb" || unit == "gib")
    mult = 1ull << 30;
  else
    throw Error("invalid size unit in '" + text + "' (use K, M or G)");
  return value * mult;
}

namespace {

// The name of what is scanned: the working tree's directory, a bare repository's directory
// without ".git", or the scanned directory itself.
std::string repository_name(const ScanCommand& cmd, const source::RootInfo& root)
{
  std::string dir = !root.workdir.empty() ? root.workdir : root.in_repo ? root.git_dir : cmd.path;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(dir, ec).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty())
    name = p.parent_path().filename().string();
  if (name == ".git")
    name = p.parent_path().filename().string();
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0)
    name.erase(name.size() - 4);
  return name;
}

// Where cmd.path is. A directory inside a repository that libgit2 cannot open (a SHA-256
// repository: libgit2 1.5 reads SHA-1 only; an unknown extension or format version) is scanned
// as a plain directory, and RootInfo::unopened says why, so that the files are still read and the
// scan says it is incomplete (exit status 3 without findings) instead of stopping.
source::RootInfo describe_or_plain(const ScanCommand& cmd)
{
  try {
    if (cmd.no_history && cmd.release.empty())
      return source::describe_checkout_root(cmd.path); // working tree only: no libgit2 if it can
    return source::describe_root(cmd.path);
  } catch (const Error& e) {
    std::error_code ec;
    if (!cmd.release.empty() || !std::filesystem::is_directory(cmd.path, ec))
      throw;
    source::RootInfo plain;
    plain.display_root = cmd.path;
    plain.unopened = e.what();
    return plain;
  }
}

// One root (cmd.path), the whole pipeline; `root` receives where it is.
report::Report scan_root(const ScanCommand& cmd, source::RootInfo& root)
{
  // Refuse bad verification settings before a long scan, not after.
  std::optional<verify::Options> verify_options;
  if (cmd.verify)
    verify_options = verify::options_from_environment();
  phase_mark("start");
  rules::RuleSet rules = load_active_rules(cmd.rule_dirs);
  phase_mark("rules loaded");
  match::Matcher matcher(rules);
  phase_mark("rules compiled");
  report::Report rep;
  rep.started = std::chrono::system_clock::now();
  rep.rules = rule_metas(rules);

  if (cmd.path == stdin_path) {
    root = source::RootInfo{};
    root.display_root = ".";
  } else if (cmd.staged && cmd.release.empty()) {
    root = describe_staged_root(cmd.path); // the pre-commit hook's path: no libgit2
  } else {
    root = describe_or_plain(cmd);
  }
  rep.root = root.display_root;

  scan::ScanOptions sopts;
  sopts.jobs = cmd.jobs;
  sopts.max_file_size = cmd.max_file_size;
  sopts.inline_allow = cmd.inline_allow;
  sopts.repo_git_dir = root.git_dir;
  sopts.max_archive_depth = cmd.max_archive_depth;
  sopts.max_archive_bytes = cmd.max_archive_bytes;
  sopts.repository_name = repository_name(cmd, root);

  // 1. Sources: what to read (app/scan_sources.cpp). A working-tree-only scan reads and matches
  // files on jobs - 1 threads while the source lists them (scan::Prefetch): the listing (git
  // status in a repository) no longer runs alone.
  const bool worktree_only = cmd.release.empty() && cmd.path != stdin_path && !cmd.staged &&
                             (cmd.no_history || !root.in_repo) && cmd.range.empty() &&
                             !cmd.history_only && !cmd.all_objects && !root.bare;
  const unsigned jobs = effective_jobs(cmd.jobs);
  std::optional<scan::Prefetch> prefetch;
  if (worktree_only && jobs > 1)
    prefetch.emplace(matcher, sopts, jobs - 1);
  auto on_listed = [&](const std::string& fs_path, const std::string& path) {
    prefetch->add(fs_path, path);
  };
  source::Batch batch =
      cmd.release.empty()
          ? collect_sources(
                cmd, root, rep.scan_kind,
                prefetch ? std::function<void(const std::string&, const std::string&)>(on_listed)
                         : nullptr)
          : collect_release(cmd, root, rep);
  if (prefetch) {
    prefetch->stop();
    sopts.prefetch = &*prefetch;
  }
  filter_sources(cmd, root, batch); // ignore-file path globs: never read those files

  // 2. Scan: every unique blob read and matched once.
  Progress progress(cmd.progress, "scanning");
  progress.set_total(batch.files.size() + batch.objects.size());
  sopts.on_progress = [&progress](std::uint64_t blobs, std::uint64_t bytes) {
    progress.update(blobs, bytes);
  };
  auto result = scan::run(batch, matcher, sopts);
  progress.finish();
  rep.findings = std::move(result.findings);
  rep.diagnostics = std::move(result.diagnostics);
  rep.stats = result.stats;
  if (!root.unopened.empty())
    rep.diagnostics.push_back(
        {cmd.no_history ? Severity::warning : Severity::error, cmd.path,
         "a git repository zenolint cannot open (" + root.unopened +
             "): " + (cmd.no_history ? "" : "its history was not scanned; ") +
             "its files were scanned as a plain directory (.gitignore not applied)",
         DiagnosticCause::none});

  // 3. Credential-file checks (app/scan_checks.cpp).
  run_checks(cmd, root, batch, rep);

  // 4. Baseline, ignore file (app/scan_filters.cpp).
  apply_filters(cmd, root, rep);

  // 5. Exposure of each secret, from the history walk's graph (app/scan_exposure.cpp).
  phase_mark("checks and filters");
  attach_exposure(root, batch, rep);
  phase_mark("exposure");

  scan::sort_findings(rep.findings);

  // 6. Live verification, opt-in: one request per unique secret (verify/verify.hpp).
  if (verify_options)
    verify::verify_findings(rep.findings, rep.diagnostics, *verify_options);
  // 7. Diagnostics that share a cause, one line unless --verbose (app/scan_diagnostics.cpp).
  group_diagnostics(root, cmd.verbose, rep.diagnostics);
  rep.finished = std::chrono::system_clock::now();
  return rep;
}

// The argument a root's report paths are prefixed with when several roots are scanned: the
// directory those paths are relative to, as the user wrote it ("" for the current directory).
std::string prefix_for(const std::string& arg, const source::RootInfo& root,
                       const std::string& stdin_name)
{
  namespace fs = std::filesystem;
  if (arg == stdin_path)
    return stdin_name.empty() ? std::string() : fs::path(stdin_name).parent_path().string();
  std::error_code ec;
  fs::path p = fs::path(arg).lexically_normal();
  if (!fs::is_directory(arg, ec))
    return p.parent_path().generic_string(); // a file is shown by its name
  std::string rel = p.generic_string();
  if (!rel.empty() && rel.back() == '/')
    rel.pop_back();
  // Inside a repository paths are relative to its work directory: drop the components of the
  // root's prefix ("repo/sub" with prefix "sub/" -> "repo").
  if (root.in_repo && !root.bare)
    for (char c : root.prefix)
      if (c == '/')
        rel = fs::path(rel).parent_path().generic_string();
  return rel == "." ? std::string() : rel;
}

std::string prefixed(const std::string& prefix, const std::string& path)
{
  return prefix.empty() ? path : prefix + "/" + path;
}

// Sorted union of two name lists.
std::vector<std::string> union_of(std::vector<std::string> a, const std::vector<std::string>& b)
{
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

// Several roots: a secret's exposure is one, whichever roots it was found in. Each root computed
// it from its own repository; merged, it is in HEAD when any root has it there (or in a working
// tree), on every branch, remote and tag any root names, stash-only and unreachable-only only when
// every root says so. Findings in a root without history (a directory, an archive) count as
// working-tree places.
void merge_exposure(std::vector<Finding>& findings)
{
  std::map<std::string, std::optional<Exposure>> merged;
  std::map<std::string, bool> local;
  for (const auto& f : findings) {
    if (f.secret.empty())
      continue;
    auto& m = merged[f.secret];
    if (f.exposure) {
      if (!m) {
        m = *f.exposure;
        continue;
      }
      m->in_head = m->in_head || f.exposure->in_head;
      m->branches = union_of(std::move(m->branches), f.exposure->branches);
      m->remotes = union_of(std::move(m->remotes), f.exposure->remotes);
      m->tags = union_of(std::move(m->tags), f.exposure->tags);
      m->stash_only = m->stash_only && f.exposure->stash_only;
      m->unreachable_only = m->unreachable_only && f.exposure->unreachable_only;
      m->zenodo_archived_releases =
          union_of(std::move(m->zenodo_archived_releases), f.exposure->zenodo_archived_releases);
    } else if (f.provenance.kind == Provenance::Kind::worktree ||
               f.provenance.kind == Provenance::Kind::staged) {
      local[f.secret] = true;
    }
  }
  for (auto& f : findings) {
    if (f.secret.empty())
      continue;
    auto& m = merged[f.secret];
    if (!m)
      continue; // no root walked a history holding it
    if (local[f.secret]) {
      m->in_head = true;
      m->stash_only = m->unreachable_only = false;
    }
    f.exposure = m;
  }
}

} // namespace

report::Report scan(const ScanCommand& cmd)
{
  std::vector<std::string> paths = cmd.paths.empty() ? std::vector{cmd.path} : cmd.paths;
  if (std::count(paths.begin(), paths.end(), stdin_path) > 1)
    throw Error("'-' (standard input) can be given only once");
  ScanCommand one = cmd;
  one.paths.clear();
  if (paths.size() == 1) {
    one.path = paths.front();
    source::RootInfo root;
    return scan_root(one, root);
  }
  // Several roots: each its own scan, paths prefixed by the argument, one report; secrets
  // verified once, after all roots (one request per unique secret, whichever roots hold it).
  std::optional<verify::Options> verify_options;
  if (cmd.verify)
    verify_options = verify::options_from_environment();
  one.verify = false;
  report::Report merged;
  merged.started = std::chrono::system_clock::now();
  merged.root = ".";
  for (const auto& arg : paths) {
    one.path = arg;
    source::RootInfo root;
    report::Report rep = scan_root(one, root);
    std::string prefix = prefix_for(arg, root, cmd.stdin_name);
    if (merged.rules.empty())
      merged.rules = rep.rules;
    merged.scan_kind =
        &arg == &paths.front() || merged.scan_kind == rep.scan_kind ? rep.scan_kind : "mixed";
    for (auto& f : rep.findings) {
      f.path = prefixed(prefix, f.path);
      f.provenance.path = prefixed(prefix, f.provenance.path);
      merged.findings.push_back(std::move(f));
    }
    for (auto& d : rep.diagnostics) {
      d.subject = prefixed(prefix, d.subject);
      merged.diagnostics.push_back(std::move(d));
    }
    add_stats(merged.stats, rep.stats);
  }
  scan::sort_findings(merged.findings);
  // A root given twice (or inside another) yields the same findings twice: keep one.
  merged.findings.erase(
      std::unique(merged.findings.begin(), merged.findings.end(),
                  [](const Finding& a, const Finding& b) {
                    return std::tie(a.path, a.line, a.column, a.rule_id, a.fingerprint) ==
                           std::tie(b.path, b.line, b.column, b.rule_id, b.fingerprint);
                  }),
      merged.findings.end());
  merge_exposure(merged.findings);
  if (verify_options)
    verify::verify_findings(merged.findings, merged.diagnostics, *verify_options);
  merged.finished = std::chrono::system_clock::now();
  return merged;
}

int exit_status(const report::Report& report, const OutputOptions& out)
{
  for (const auto& f : report.findings)
    if (f.severity >= out.fail_on)
      return out.exit_code;
  for (const auto& d : report.diagnostics)
    if (d.severity == Severity::error)
      return exit_incomplete;
  return 0;
}

bool color_enabled(ColorMode mode, bool terminal, const char* no_color)
{
  if (mode != ColorMode::auto_)
    return mode == ColorMode::always;
  return terminal && (no_color == nullptr || *no_color == '\0');
}

int emit(const report::Report& report, const OutputOptions& out, std::ostream& stdout_stream)
{
  report::ReportOptions ropts;
  ropts.show_secrets = out.show_secrets;
  ropts.brief = out.brief;
  ropts.warnings = &std::cerr;
  bool to_stdout = out.output.empty() || out.output == "-";
  bool terminal = to_stdout && ::isatty(STDOUT_FILENO);
  ropts.color = color_enabled(out.color, terminal, std::getenv("NO_COLOR"));
  if (terminal && out.started)
    ropts.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - *out.started).count();
  ropts.list_diagnostics = !to_stdout;
  if (to_stdout) {
    report::write(out.format, stdout_stream, report, ropts);
    stdout_stream.flush();
  } else {
    // A report with raw secrets is readable by its owner only.
    write_file_atomically(
        out.output, [&](std::ostream& file) { report::write(out.format, file, report, ropts); },
        out.show_secrets ? 0600 : 0666);
  }
  phase_mark("report written");
  // Whether this run needed libgit2 (the pre-commit path must not): e2e tests check it.
  phase_note("libgit2", std::string(git::initialised() ? "initialised" : "not initialised") +
                            (git::loaded() ? ", loaded" : ", not loaded"));
  // Diagnostics always go to stderr as well as into the report.
  for (const auto& d : report.diagnostics)
    std::cerr << "zenolint: " << to_string(d.severity) << ": " << terminal_safe(d.subject) << ": "
              << terminal_safe(d.message) << '\n';
  return exit_status(report, out);
}

} // namespace zenolint::app
