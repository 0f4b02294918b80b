#include "app/scale.hpp"

#include "core/atomic_file.hpp"
#include "core/build_info.hpp"
#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "git/git.hpp"
#include "report/merged.hpp"
#include "source/worktree.hpp"
#include "zenolint_version.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint::app {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view s)
{
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return std::string(s);
}

// A list or records file: regular files only, never blocking on a FIFO, at most 16 GiB.
std::string read_whole(const std::string& path, const char* what)
{
  std::string text;
  ReadFileError err;
  if (!read_regular_file(path, std::uint64_t{16} << 30, text, &err))
    throw Error("cannot read " + std::string(what) + " '" + path + "': " + err.message);
  return text;
}

// The content of a file the scan reads anyway (rules, baseline, ignore file), for fingerprints;
// the scan itself reports a file it cannot read.
std::string content_for_fingerprint(const std::string& path)
{
  std::string text;
  if (!read_regular_file(path, std::uint64_t{256} << 20, text))
    return "unreadable";
  return text;
}

// What a scan's result depends on besides the repository: zenolint itself, extra rules and the
// options (docs/scale.md, "Resume").
std::string config_fingerprint(const ScanCommand& cmd)
{
  Sha256 h;
  auto add = [&h](std::string_view s) {
    h.update(std::to_string(s.size()));
    h.update(":");
    h.update(s);
  };
  add(ZENOLINT_VERSION);
  add(build_revision());
  for (const auto& dir : cmd.rule_dirs) {
    add(dir);
    std::error_code ec;
    std::vector<std::string> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      add(f);
      add(content_for_fingerprint(f));
    }
  }
  for (const auto* file : {&cmd.baseline, &cmd.ignore_file}) {
    add(*file);
    if (!file->empty())
      add(content_for_fingerprint(*file));
  }
  std::ostringstream opts;
  opts << cmd.no_history << cmd.history_only << cmd.all_objects << cmd.inline_allow << cmd.verify
       << cmd.out.show_secrets << ' ' << cmd.max_file_size << ' ' << cmd.max_archive_depth << ' '
       << cmd.max_archive_bytes;
  add(opts.str());
  return h.finish_hex();
}

// Every reference (name and target, symbolic or direct) and HEAD, sorted.
std::string refs_fingerprint(git_repository* repo)
{
  std::vector<std::string> lines;
  git_reference_iterator* raw_it = nullptr;
  git::check(git_reference_iterator_new(&raw_it, repo), "listing references");
  git::ReferenceIterator it(raw_it);
  for (;;) {
    git_reference* raw = nullptr;
    int rc = git_reference_next(&raw, it.get());
    if (rc == GIT_ITEROVER)
      break;
    git::check(rc, "listing references");
    git::Reference ref(raw);
    std::string line = git_reference_name(ref.get());
    if (git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC) {
      line += " -> " + std::string(git_reference_symbolic_target(ref.get()));
    } else if (const git_oid* oid = git_reference_target(ref.get())) {
      line += " " + git::to_blob_id(*oid).hex();
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string head = "HEAD";
  git_reference* raw_head = nullptr;
  if (git_reference_lookup(&raw_head, repo, "HEAD") == 0) {
    git::Reference ref(raw_head);
    if (git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC)
      head += " -> " + std::string(git_reference_symbolic_target(ref.get()));
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo, "HEAD") == 0)
      head += " " + git::to_blob_id(oid).hex();
  }
  lines.push_back(head);
  Sha256 h;
  for (const auto& l : lines) {
    h.update(l);
    h.update("\n");
  }
  return h.finish_hex();
}

// The index file's own checksum and every change git status sees in the working tree (path,
// status, size and modification time of the file), so that an edit, a new untracked file or a
// staged change makes the scan run again. Empty for a bare repository.
std::string worktree_fingerprint(git_repository* repo, bool all_objects)
{
  Sha256 h;
  std::string git_dir = git_repository_path(repo);
  if (all_objects) {
    // Unreachable objects count too: the packs and loose objects present.
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::recursive_directory_iterator it(git_dir + "objects", ec), end; !ec && it != end;
         it.increment(ec))
      if (it->is_regular_file(ec))
        names.push_back(it->path().string() + " " + std::to_string(it->file_size(ec)));
    std::sort(names.begin(), names.end());
    for (const auto& n : names)
      h.update(n + "\n");
  }
  if (git_repository_is_bare(repo))
    return all_objects ? h.finish_hex() : std::string();
  const char* workdir = git_repository_workdir(repo);
  {
    // The index's trailing checksum; a regular file only (never a FIFO planted in its place).
    std::uint64_t size = 0;
    Fd index(open_regular_file(git_dir + "index", std::uint64_t{4} << 30, &size));
    char tail[20];
    if (index && size >= 20 &&
        ::pread(index.get(), tail, sizeof tail, static_cast<off_t>(size - 20)) == 20) {
      h.update("index ");
      h.update(std::string_view(tail, sizeof tail));
    }
  }
  git_status_options opts;
  git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
  git_status_list* raw = nullptr;
  git::check(git_status_list_new(&raw, repo, &opts), "reading the working tree's status");
  git::StatusList list(raw);
  std::size_t n = git_status_list_entrycount(list.get());
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; ++i) {
    const git_status_entry* e = git_status_byindex(list.get(), i);
    const git_diff_delta* d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
    if (!d)
      continue;
    std::string path = d->new_file.path ? d->new_file.path : d->old_file.path;
    std::string line = std::to_string(e->status) + " " + path;
    struct stat st {};
    if (workdir && ::lstat((std::string(workdir) + path).c_str(), &st) == 0)
      line += " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
              std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_mode);
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines)
    h.update(l + "\n");
  return h.finish_hex();
}

// Appends whole records to a JSON Lines file: each with one write(2) on an O_APPEND descriptor,
// so a killed writer leaves whole records only (what write(2) returned is in the page cache and
// survives the process). Durability against a machine crash is batched: fdatasync at most once a
// second and at finish(), so a crash loses at worst the last second of records (--resume scans
// those repositories again) and can tear only the last line, which readers skip and report. One
// fsync per record was most of the time per small repository (about 19 ms of 30 ms).
class RecordLog {
public:
  RecordLog(const std::string& path, bool append, bool private_mode) : m_path(path)
  {
    int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (append ? 0 : O_TRUNC);
    m_fd.reset(::open(path.c_str(), flags, private_mode ? 0600 : 0666));
    if (!m_fd)
      throw Error("cannot open '" + path + "' for appending: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(m_fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
      throw Error("'" + path + "' is not a regular file");
    if (private_mode && (st.st_mode & 077) != 0 && ::fchmod(m_fd.get(), 0600) != 0)
      throw Error("cannot make '" + path + "' private: " + std::strerror(errno));
    // A torn last line (no newline) must not swallow the first record appended now.
    if (st.st_size > 0) {
      char last = '\n';
      Fd reader(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (reader && ::pread(reader.get(), &last, 1, st.st_size - 1) == 1 && last != '\n')
        write_all("\n");
    }
  }

  RecordLog(const RecordLog&) = delete;
  RecordLog& operator=(const RecordLog&) = delete;
  ~RecordLog()
  {
    if (m_dirty)
      ::fdatasync(m_fd.get()); // best effort on the way out of an error; finish() reports
  }

  void append(const std::string& line)
  {
    write_all(line);
    m_dirty = true;
    if (std::chrono::steady_clock::now() - m_last_sync >= std::chrono::seconds(1))
      sync();
  }

  // Makes every appended record durable; a failure is an error naming the file.
  void finish()
  {
    if (m_dirty)
      sync();
  }

private:
  void sync()
  {
    if (::fdatasync(m_fd.get()) != 0)
      throw Error("cannot write to '" + m_path + "' (fdatasync): " + std::strerror(errno));
    m_dirty = false;
    m_last_sync = std::chrono::steady_clock::now();
  }

  void write_all(std::string_view data)
  {
    // One write(2) for the whole record; a short write (disk full, signal) is finished, and the
    // reader would then see a torn line only if the process dies in between.
    while (!data.empty()) {
      ssize_t n = ::write(m_fd.get(), data.data(), data.size());
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        throw Error("cannot write to '" + m_path + "': " + std::strerror(errno));
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::string m_path;
  Fd m_fd;
  bool m_dirty = false;
  std::chrono::steady_clock::time_point m_last_sync = std::chrono::steady_clock::now();
};

bool same_state(const report::RepoRecord& a, const report::RepoRecord& b)
{
  return a.ok && b.ok && !a.refs_fingerprint.empty() && a.refs_fingerprint == b.refs_fingerprint &&
         a.worktree_fingerprint == b.worktree_fingerprint &&
         a.config_fingerprint == b.config_fingerprint;
}

// As for one scan: out.exit_code when a finding at or above out.fail_on remains in any repository;
// else exit_incomplete when a repository could not be scanned or read in part; else 0.
int repos_status(const std::vector<report::RepoRecord>& records, const OutputOptions& out)
{
  return exit_status(report::combined_report(records, {}), out);
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, const std::string& prefix = {})
{
  for (const auto& d : diagnostics)
    std::cerr << "zenolint: " << to_string(d.severity) << ": " << terminal_safe(prefix)
              << terminal_safe(d.subject) << ": " << terminal_safe(d.message) << '\n';
}

// Writes the merged report of `records` where `out` says.
int emit_merged(std::vector<report::RepoRecord>& records,
                const std::vector<Diagnostic>& diagnostics, const OutputOptions& out,
                std::ostream& stdout_stream)
{
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.repository < b.repository; });
  report::ReportOptions ropts;
  ropts.show_secrets = out.show_secrets;
  ropts.brief = out.brief;
  ropts.warnings = &std::cerr;
  bool to_stdout = out.output.empty() || out.output == "-";
  ropts.color =
      color_enabled(out.color, to_stdout && ::isatty(STDOUT_FILENO), std::getenv("NO_COLOR"));
  ropts.list_diagnostics = !to_stdout;
  auto produce = [&](std::ostream& o) {
    report::write_merged(out.format, o, records, diagnostics, ropts);
  };
  if (to_stdout) {
    produce(stdout_stream);
    stdout_stream.flush();
  } else {
    write_file_atomically(out.output, produce, out.show_secrets ? 0600 : 0666);
  }
  return repos_status(records, out);
}

} // namespace

Shard parse_shard(const std::string& text)
{
  auto slash = text.find('/');
  auto number = [&](std::string_view s) -> long {
    if (s.empty() || s.size() > 6 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return -1;
    return std::stol(std::string(s));
  };
  long k = slash == std::string::npos ? -1 : number(std::string_view(text).substr(0, slash));
  long n = slash == std::string::npos ? -1 : number(std::string_view(text).substr(slash + 1));
  if (k < 1 || n < 1 || k > n || n > 100000)
    throw Error("invalid --shard '" + text +
                "': expected K/N with 1 <= K <= N (e.g. 1/4 ... 4/4; N at most 100000)");
  return {static_cast<unsigned>(k), static_cast<unsigned>(n)};
}

bool in_shard(const std::string& key, const Shard& shard)
{
  auto digest = Sha256();
  digest.update(key);
  auto bytes = digest.finish();
  std::uint64_t h = 0;
  for (int i = 0; i < 8; ++i)
    h = (h << 8) | bytes[static_cast<std::size_t>(i)];
  return h % shard.count == shard.index - 1;
}

std::vector<RepoEntry> read_repo_list(const std::string& file, std::vector<Diagnostic>& diagnostics)
{
  std::string text = file == stdin_path ? [] {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }()
                                        : read_whole(file, "repository list");
  fs::path base = file == stdin_path ? fs::current_path() : fs::absolute(file).parent_path();
  std::vector<RepoEntry> out;
  std::map<std::string, std::size_t> seen; // key -> line
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    std::string_view raw(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string key = trim(raw);
    if (key.empty() || key.front() == '#')
      continue;
    std::string where = file + ":" + std::to_string(line_no);
    auto [it, fresh] = seen.try_emplace(key, line_no);
    if (!fresh) {
      diagnostics.push_back({Severity::warning, where,
                             "repository '" + key + "' is already listed on line " +
                                 std::to_string(it->second) + "; scanned once"});
      continue;
    }
    RepoEntry e;
    e.key = key;
    e.line = line_no;
    if (key.find('\0') != std::string::npos || !is_valid_utf8(key)) {
      e.error = where + ": not a usable path (NUL byte or invalid UTF-8)";
    } else {
      fs::path p = fs::path(key).is_absolute() ? fs::path(key) : base / key;
      e.path = p.lexically_normal().string();
      if (e.path.size() > 1 && e.path.back() == '/')
        e.path.pop_back();
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<report::RepoRecord> read_records(const std::string& file,
                                             std::vector<Diagnostic>& diagnostics)
{
  std::string text = read_whole(file, "records file");
  std::vector<report::RepoRecord> out;
  std::size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    bool complete = end != std::string::npos;
    if (!complete)
      end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (trim(line).empty())
      continue;
    std::string where = file + ":" + std::to_string(line_no);
    if (!complete) {
      diagnostics.push_back({Severity::warning, where,
                             "incomplete last record (" + std::to_string(line.size()) +
                                 " bytes without a newline: the writer was interrupted); ignored"});
      continue;
    }
    std::string error;
    if (auto r = report::parse_record(line, error))
      out.push_back(std::move(*r));
    else
      diagnostics.push_back(
          {Severity::warning, where, "not a valid record (" + error + "); ignored"});
  }
  return out;
}

int scan_repos(const ScanCommand& cmd, const ReposCommand& repos, std::ostream& stdout_stream)
{
  if (!cmd.paths.empty())
    throw Error("--repos FILE and path arguments cannot be combined");
  if (!cmd.release.empty() || cmd.staged || !cmd.range.empty() || cmd.fix)
    throw Error("--repos cannot be combined with --release, --staged, --range or --fix");
  if (repos.resume && !repos.jsonl)
    throw Error("--resume needs --format jsonl -o FILE (it reads the records of FILE)");
  const std::string& output = cmd.out.output;
  bool to_stdout = output.empty() || output == "-";
  if (repos.resume && to_stdout)
    throw Error("--resume needs -o FILE");

  std::vector<Diagnostic> list_diagnostics;
  std::vector<RepoEntry> entries = read_repo_list(repos.repos_file, list_diagnostics);
  print_diagnostics(list_diagnostics);
  std::vector<RepoEntry> mine;
  for (auto& e : entries)
    if (in_shard(e.key, repos.shard))
      mine.push_back(std::move(e));

  // Records already in the output: the last one of each repository.
  std::map<std::string, report::RepoRecord> previous;
  if (repos.resume && fs::exists(output)) {
    std::vector<Diagnostic> read_diagnostics;
    for (auto& r : read_records(output, read_diagnostics))
      previous[r.repository] = std::move(r);
    print_diagnostics(read_diagnostics);
  }
  std::optional<RecordLog> log;
  if (repos.jsonl && !to_stdout)
    log.emplace(output, repos.resume, cmd.out.show_secrets);

  const std::string config = config_fingerprint(cmd);
  ScanCommand one = cmd;
  one.out.output.clear();
  std::vector<report::RepoRecord> records;
  std::size_t done = 0, skipped = 0, failed = 0;
  bool chatty = cmd.progress != ProgressMode::never;
  for (const auto& e : mine) {
    ++done;
    report::RepoRecord rec;
    rec.repository = e.key;
    rec.path = e.path;
    rec.config_fingerprint = config;
    rec.raw_secrets = cmd.out.show_secrets;
    auto started = std::chrono::steady_clock::now();
    std::string error = e.error;
    if (error.empty()) {
      std::error_code ec;
      if (!fs::is_directory(e.path, ec)) {
        error = repos.repos_file + ":" + std::to_string(e.line) + ": " + e.path +
                (fs::exists(e.path, ec) ? ": not a directory" : ": no such directory");
      } else {
        std::optional<source::RootInfo> root;
        try {
          root = source::describe_root(e.path);
        } catch (const Error&) {
          // A repository libgit2 cannot open (SHA-256, an unknown extension): scan() reads its
          // files and says why its history was not read, as `zenolint scan PATH` does.
        }
        if (root && !root->in_repo)
          error = repos.repos_file + ":" + std::to_string(e.line) + ": " + e.path +
                  ": not a git repository";
        if (root && root->in_repo) {
          try {
            git::Repository repo = git::open(root->git_dir, root->workdir);
            rec.refs_fingerprint = refs_fingerprint(repo.get());
            if (!cmd.history_only || cmd.all_objects)
              rec.worktree_fingerprint = worktree_fingerprint(repo.get(), cmd.all_objects);
          } catch (const Error&) {
            // A corrupt index or object: no fingerprint, so --resume never skips it; scan()
            // reads what it can and its diagnostics name what is wrong.
            rec.refs_fingerprint.clear();
            rec.worktree_fingerprint.clear();
          }
        }
      }
    }
    if (!error.empty()) {
      rec.ok = false;
      rec.error = error;
      rec.report.started = rec.report.finished = std::chrono::system_clock::now();
      ++failed;
      std::cerr << "zenolint: error: " << terminal_safe(error) << '\n';
    } else {
      rec.ok = true;
      auto it = previous.find(e.key);
      if (repos.resume && it != previous.end() && same_state(it->second, rec)) {
        ++skipped;
        if (chatty)
          std::cerr << "zenolint: [" << done << "/" << mine.size() << "] " << terminal_safe(e.key)
                    << ": unchanged since its record, skipped\n";
        records.push_back(std::move(it->second));
        continue;
      }
      one.paths = {e.path};
      try {
        rec.report = scan(one);
      } catch (const Error& err) {
        rec.ok = false;
        rec.error =
            repos.repos_file + ":" + std::to_string(e.line) + ": " + e.path + ": " + err.what();
        rec.report = report::Report{};
        rec.report.started = rec.report.finished = std::chrono::system_clock::now();
        ++failed;
        std::cerr << "zenolint: error: " << terminal_safe(rec.error) << '\n';
      }
      print_diagnostics(rec.report.diagnostics, e.key + ": ");
    }
    if (chatty && rec.ok) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
      std::cerr << "zenolint: [" << done << "/" << mine.size() << "] " << terminal_safe(e.key)
                << ": " << rec.report.findings.size() << " findings, "
                << rec.report.diagnostics.size() << " diagnostics (" << ms << " ms)\n";
    }
    if (repos.jsonl) {
      std::string line = report::record_line(rec, cmd.out.show_secrets);
      if (log)
        log->append(line);
      else
        stdout_stream << line << std::flush;
    }
    records.push_back(std::move(rec));
  }
  if (log)
    log->finish();
  if (chatty || failed)
    std::cerr << "zenolint: shard " << repos.shard.index << "/" << repos.shard.count << ": "
              << mine.size() << " of " << entries.size() << " repositories; "
              << (mine.size() - skipped - failed) << " scanned, " << skipped << " unchanged, "
              << failed << " failed\n";
  if (repos.jsonl)
    return repos_status(records, cmd.out);
  // One process, one report: the same merge `zenolint merge` does over the shards' records.
  // List problems went to stderr; records say the rest, so this report is exactly the merge of
  // the shards' records.
  return emit_merged(records, {}, cmd.out, stdout_stream);
}

int merge(const MergeCommand& cmd, std::ostream& stdout_stream)
{
  if (cmd.files.empty())
    throw Error("merge needs at least one records file");
  std::vector<Diagnostic> diagnostics;
  std::map<std::string, report::RepoRecord> latest; // the last record of each repository
  for (const auto& file : cmd.files)
    for (auto& r : read_records(file, diagnostics)) {
      if (cmd.out.show_secrets && !r.raw_secrets)
        throw Error("--show-secrets: the records of '" + file +
                    "' hold redacted secrets (scan with --show-secrets to keep them)");
      latest[r.repository] = std::move(r);
    }
  std::vector<report::RepoRecord> records;
  for (auto& [key, r] : latest)
    records.push_back(std::move(r));
  print_diagnostics(diagnostics);
  return emit_merged(records, diagnostics, cmd.out, stdout_stream);
}

} // namespace zenolint::app
