#include "scan/scanner.hpp"

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "git/git.hpp"
#include "match/token.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace zenolint::scan {
namespace {

struct BlobResult {
  std::vector<match::Match> matches;
  std::vector<Provenance> provenances;
  BlobId id;
  bool scanned = false;
};

// Reads a regular file without following a final symlink and without blocking on FIFOs.
bool read_file(const std::string& path, std::uint64_t limit, std::string& out, std::string& err)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    err = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    err = "not a regular file";
    return false;
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = std::string("read error: ") + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  ::close(fd);
  if (out.size() > limit) {
    err = "grew beyond the size limit while reading";
    return false;
  }
  return true;
}

// Runs fn(i, worker) for i in [0, n). Workers take `chunk` consecutive items at a time, so that
// each one reads neighbouring objects (pack locality, delta bases still in its cache).
template <typename Fn>
void parallel_for(std::size_t n, unsigned jobs, Fn&& fn, std::size_t chunk = 1)
{
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&](unsigned worker_id) {
    try {
      for (std::size_t begin = next.fetch_add(chunk); begin < n; begin = next.fetch_add(chunk))
        for (std::size_t i = begin; i < std::min(n, begin + chunk); ++i)
          fn(i, worker_id);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure)
        failure = std::current_exception();
      next = n;
    }
  };
  unsigned count = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < count; ++w)
    threads.emplace_back(worker, w);
  worker(0);
  for (auto& t : threads)
    t.join();
  if (failure)
    std::rethrow_exception(failure);
}

Finding make_finding(const match::Match& m, const BlobId& id, const Provenance& prov)
{
  Finding f;
  f.rule_id = m.rule->id;
  f.severity = m.severity;
  f.instance = m.instance;
  f.path = prov.path;
  f.line = m.line;
  f.column = m.column;
  f.end_line = m.end_line;
  f.end_column = m.end_column;
  f.secret = m.secret;
  f.fingerprint = sha256_hex(m.rule->id + ":" + m.secret);
  f.line_hash = m.line_hash;
  f.label = m.label;
  f.blob = id;
  f.provenance = prov;
  std::string what = m.instance == Instance::unknown
                         ? std::string("Zenodo access token")
                         : "Zenodo " + std::string(to_string(m.instance)) + " access token";
  f.message = what + " in plain text (" + m.rule->name + ")";
  if (!m.label.empty())
    f.message += " under '" + m.label + "'";
  f.message += ". Revoke it on Zenodo and load it from a secret store or environment variable.";
  return f;
}

} // namespace

bool looks_binary(std::string_view data)
{
  return data.substr(0, 8000).find('\0') != std::string_view::npos;
}

unsigned effective_jobs(unsigned jobs)
{
  if (jobs > 0)
    return jobs;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void sort_findings(std::vector<Finding>& findings)
{
  auto key = [](const Finding& f) {
    return std::tie(f.path, f.line, f.column, f.rule_id, f.end_line, f.end_column);
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
    if (key(a) != key(b))
      return key(a) < key(b);
    std::string ca = a.provenance.commit ? a.provenance.commit->id : "";
    std::string cb = b.provenance.commit ? b.provenance.commit->id : "";
    return ca < cb;
  });
}

ScanResult run(const source::Batch& batch, const match::Matcher& matcher,
               const ScanOptions& options)
{
  ScanResult result;
  result.stats = batch.stats;
  result.diagnostics = batch.diagnostics;
  const unsigned jobs = effective_jobs(options.jobs);
  match::MatchOptions mopts;
  mopts.inline_allow = options.inline_allow;

  // One slot per unique blob id; objects are keyed up front, files once hashed.
  std::mutex mutex;
  std::unordered_map<BlobId, std::size_t, BlobIdHash> slot_of;
  std::vector<BlobResult> slots;
  std::vector<std::size_t> object_slots; // unique object ids in source order
  for (const auto& o : batch.objects) {
    auto [it, inserted] = slot_of.try_emplace(o.id, slots.size());
    if (inserted) {
      slots.emplace_back();
      slots.back().id = o.id;
      object_slots.push_back(it->second);
    } else {
      ++result.stats.blobs_deduplicated;
    }
    slots[it->second].provenances.push_back(o.provenance);
  }
  // Files may be content-identical to history blobs: those blobs are then taken from the file.
  std::atomic<std::uint64_t> blobs_done{0}, bytes_done{0};
  std::vector<Diagnostic> diags;
  std::vector<std::uint64_t> skipped_binary(jobs, 0), bytes(jobs, 0), scanned(jobs, 0),
      dedup(jobs, 0), skipped_other(jobs, 0), skipped_large(jobs, 0);
  // One blob read and matched by worker `w`: per-worker counters, then progress.
  auto count_scanned = [&](unsigned w, std::size_t size) {
    ++scanned[w];
    bytes[w] += size;
    auto done = ++blobs_done;
    auto b = bytes_done += size;
    if (options.on_progress)
      options.on_progress(done, b);
  };
  std::vector<char> claimed_by_file; // per slot: content already matched from a file
  std::vector<std::pair<std::size_t, std::vector<match::Match>>> pending; // guarded by mutex

  parallel_for(batch.files.size(), jobs, [&](std::size_t i, unsigned w) {
    const auto& ref = batch.files[i];
    std::string data, err;
    if (!read_file(ref.fs_path, options.max_file_size, data, err)) {
      std::lock_guard lock(mutex);
      diags.push_back({Severity::warning, ref.provenance.path, err});
      ++skipped_other[w];
      return;
    }
    if (looks_binary(data)) {
      ++skipped_binary[w];
      return;
    }
    // Content no rule can match needs neither an id nor a match when no history blob could share
    // it: skip hashing (most of a token-free tree's cost).
    if (!ref.known_id && batch.objects.empty() && !matcher.may_match(ref.provenance.path, data)) {
      count_scanned(w, data.size());
      return;
    }
    BlobId id = ref.known_id ? *ref.known_id : git::blob_hash(data);
    bool do_match = false;
    std::size_t slot = 0;
    {
      std::lock_guard lock(mutex);
      auto [it, inserted] = slot_of.try_emplace(id, slots.size());
      if (inserted) {
        slots.emplace_back();
        slots.back().id = id;
      }
      slot = it->second;
      if (!slots[slot].scanned) {
        slots[slot].scanned = true;
        do_match = true;
      } else {
        ++dedup[w];
      }
      slots[slot].provenances.push_back(ref.provenance);
    }
    if (!do_match)
      return;
    auto matches = matcher.match(ref.provenance.path, data, mopts);
    count_scanned(w, data.size());
    std::lock_guard lock(mutex);
    pending.emplace_back(slot, std::move(matches));
  });
  for (auto& [slot, matches] : pending)
    slots[slot].matches = std::move(matches);

  // Objects not already seen as files: read from the object database, one handle per worker.
  std::vector<std::size_t> todo;
  for (auto s : object_slots)
    if (!slots[s].scanned)
      todo.push_back(s);
    else
      ++result.stats.blobs_deduplicated;
  if (!todo.empty()) {
    if (options.repo_git_dir.empty())
      throw Error("internal: objects to scan but no repository");
    // One repository and object database per worker: libgit2 handles are not shared between
    // threads, and each keeps its own delta-base cache warm for its run of neighbouring objects.
    std::vector<std::optional<git::Repository>> repos(jobs);
    std::vector<git::Odb> odbs(jobs);
    parallel_for(
        todo.size(), jobs,
        [&](std::size_t i, unsigned w) {
          auto& slot = slots[todo[i]];
          if (!repos[w]) {
            repos[w] = git::open(options.repo_git_dir);
            git_odb* raw_odb = nullptr;
            git::check(git_repository_odb(&raw_odb, repos[w]->get()), "opening object database");
            odbs[w].reset(raw_odb);
          }
          git_odb* odb = odbs[w].get();
          git_oid oid = git::to_oid(slot.id);
          std::size_t len = 0;
          git_object_t type{};
          if (git_odb_read_header(&len, &type, odb, &oid) < 0) {
            std::lock_guard lock(mutex);
            diags.push_back({Severity::warning, slot.id.hex(),
                             "cannot read object: " + git::last_error_message()});
            ++skipped_other[w];
            return;
          }
          if (len > options.max_file_size) {
            ++skipped_large[w];
            return;
          }
          git_odb_object* raw = nullptr;
          if (git_odb_read(&raw, odb, &oid) < 0) {
            std::lock_guard lock(mutex);
            diags.push_back({Severity::warning, slot.id.hex(),
                             "cannot read object: " + git::last_error_message()});
            ++skipped_other[w];
            return;
          }
          git::OdbObject obj(raw);
          std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                                git_odb_object_size(raw));
          if (looks_binary(data)) {
            ++skipped_binary[w];
            return;
          }
          const auto& path = slot.provenances.front().path;
          slot.matches = matcher.match(path, data, mopts);
          slot.scanned = true;
          count_scanned(w, data.size());
        },
        64);
  }

  for (unsigned w = 0; w < jobs; ++w) {
    result.stats.skipped_binary += skipped_binary[w];
    result.stats.skipped_other += skipped_other[w];
    result.stats.skipped_too_large += skipped_large[w];
    result.stats.blobs_scanned += scanned[w];
    result.stats.bytes_scanned += bytes[w];
    result.stats.blobs_deduplicated += dedup[w];
  }
  result.diagnostics.insert(result.diagnostics.end(), diags.begin(), diags.end());

  // Findings: one per match at every working-tree/staged location; a blob seen only in history
  // is reported once, at its first (earliest) provenance.
  for (auto& slot : slots) {
    if (slot.matches.empty())
      continue;
    std::vector<const Provenance*> local, history;
    for (const auto& p : slot.provenances)
      (p.kind == Provenance::Kind::worktree || p.kind == Provenance::Kind::staged ? local : history)
          .push_back(&p);
    std::optional<CommitInfo> introduced;
    for (const auto* p : history)
      if (p->commit) {
        introduced = p->commit;
        break;
      }
    std::vector<const Provenance*> primary = local;
    if (primary.empty())
      primary.push_back(history.empty() ? &slot.provenances.front() : history.front());
    for (const auto& m : slot.matches) {
      if (m.suppressed) {
        ++result.stats.suppressed_inline;
        continue;
      }
      for (const auto* p : primary) {
        Finding f = make_finding(m, slot.id, *p);
        if (p->kind == Provenance::Kind::worktree || p->kind == Provenance::Kind::staged)
          f.introduced_by = introduced;
        f.other_locations = static_cast<std::uint32_t>(slot.provenances.size() - 1);
        result.findings.push_back(std::move(f));
      }
    }
  }
  sort_findings(result.findings);
  std::sort(result.diagnostics.begin(), result.diagnostics.end(),
            [](const Diagnostic& a, const Diagnostic& b) {
              return std::tie(a.subject, a.message) < std::tie(b.subject, b.message);
            });
  return result;
}

} // namespace zenolint::scan
