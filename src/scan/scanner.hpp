#pragma once
// The scanner: reads each unique blob once, whatever source gave it (files from disk, objects from
// the repository's object database, buffers in memory, members of archives it finds among them),
// skips binaries and oversize content, runs the matcher, and turns matches into findings carrying
// every provenance. Content that is an archive (by its magic bytes) is opened instead of matched,
// up to max_archive_depth levels deep, and each member is one more unit with a nested provenance.
// Output is sorted, so it is identical whatever the number of jobs.
#include "core/types.hpp"
#include "match/matcher.hpp"
#include "source/source.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zenolint::scan {

struct ScanOptions {
  unsigned jobs = 0; // 0: all cores
  std::uint64_t max_file_size = 10ull << 20;
  bool inline_allow = true;
  std::string repo_git_dir; // repository to read ObjectRefs from (each worker opens its own handle)
  // Archives: nesting depth read (0: archives are not opened and count as binary); uncompressed
  // bytes one outermost archive may inflate to, nested archives included.
  unsigned max_archive_depth = 3;
  std::uint64_t max_archive_bytes = 1ull << 30;
  // The repository's (or scanned directory's) name: one that mentions Zenodo is repository
  // context for rules with context.scope "repository". May be empty.
  std::string repository_name;
  // Called from worker threads after each unique blob (for progress); may be empty.
  std::function<void(std::uint64_t blobs_done, std::uint64_t bytes_done)> on_progress;
  // Files already read and matched while the sources were listing (see Prefetch); may be null.
  const class Prefetch* prefetch = nullptr;
};

// Working-tree files read and matched while their source is still listing (the directory walk,
// or git status in a repository), on threads of their own, so that listing and reading overlap.
// Only outcomes that need nothing else are kept: binary content, and text in which the matcher
// finds nothing at all (no match, no token candidate, no mention of Zenodo), with its size; a
// file with anything else (an archive, something found, a read error, over the size limit) is
// read again by run(), which settles every file exactly as it would without a Prefetch
// (deduplication by known blob id included). A Prefetch only helps scans whose batch has no
// repository objects (run() ignores outcomes where a file's id would have to be hashed).
//
// add() and stop() are called from one thread (the lister's). The Prefetch must outlive run().
class Prefetch {
public:
  // `threads` reading threads (at least 1); `options` as for run() (sizes, archives, inline
  // allow); `matcher` and `options` must outlive the Prefetch.
  Prefetch(const match::Matcher& matcher, const ScanOptions& options, unsigned threads);
  ~Prefetch();
  Prefetch(const Prefetch&) = delete;
  Prefetch& operator=(const Prefetch&) = delete;

  // Queues a file: `fs_path` to read, `path` the report path (the matcher's file-kind hint).
  void add(const std::string& fs_path, const std::string& path);
  // Files not started yet are dropped (run() reads them), unless `read_queued`; waits for the
  // ones being read. Then outcomes are final.
  void stop(bool read_queued = false);

  struct Outcome {
    enum class Kind : unsigned char { none, binary, empty_text };
    Kind kind = Kind::none;
    std::uint64_t size = 0; // bytes read (empty_text)
    source::FileStat stat;  // of the descriptor read: FileRef::index_stat is compared with it
  };
  // After stop(): the outcome for `fs_path` (Kind::none when not read or not settled).
  Outcome outcome(const std::string& fs_path) const;

private:
  struct State;
  std::unique_ptr<State> m_state;
};

struct ScanResult {
  std::vector<Finding> findings;       // sorted by path, line, column, rule, commit
  std::vector<Diagnostic> diagnostics; // sorted
  ScanStats stats;
};

// What the bytes of a blob are, judged from its first 8000 bytes (the window git uses):
// - utf16le / utf16be: a byte-order mark (FF FE / FE FF, not FF FE 00 00, which is UTF-32), or
//   no mark and at least 64 bytes of which over 30 % are NULs, nearly all (>= 95 %) at odd (LE)
//   or even (BE) offsets: ASCII-heavy UTF-16 as Windows tools write it;
// - binary: more NUL bytes than 1 + one per 1000 bytes of the window (ELF, images, archives,
//   UTF-32 have dozens in their first bytes);
// - text: anything else, including text with a stray NUL or two.
enum class ContentKind { text, utf16le, utf16be, binary };
constexpr std::size_t content_window = 8000; // the bytes classify_content looks at
ContentKind classify_content(std::string_view data);

// classify_content(data) == ContentKind::binary.
bool looks_binary(std::string_view data);

// The text the matcher sees: `data` itself, or for UTF-16 its UTF-8 decoding (BOM dropped,
// unpaired surrogates and a trailing odd byte as U+FFFD) stored in `storage`. Line and column
// numbers of findings are those of the decoded text. nullopt for binary content.
std::optional<std::string_view> text_of(std::string_view data, std::string& storage);

ScanResult run(const source::Batch& batch, const match::Matcher& matcher,
               const ScanOptions& options);

// Sorts findings into the canonical report order.
void sort_findings(std::vector<Finding>& findings);

} // namespace zenolint::scan
