#pragma once
// Archive members as a content source: reads zip, tar (plain, gzip, bzip2, xz, zstd, lz4), 7z,
// rar, and single compressed files (.gz, .bz2, .xz, .zst: one member) with libarchive, streaming
// from memory. Nothing is ever written to disk: member names are only reported, never used as
// paths, so absolute and `../` names, links and devices are harmless and only reported.
//
// Hostile input is bounded: every member is at most Limits::max_member_size bytes (larger ones
// are read through and counted, not kept); a Budget of uncompressed bytes is shared by an archive
// and every archive nested in it; a ratio guard stops an archive that inflates more than
// Limits::max_ratio times its own size. Any problem becomes a Problem passed to the visitor and
// the reading goes on where it can (next member) or stops that archive; read() never throws
// except std::bad_alloc, and zenolint::Error when libarchive itself cannot be loaded (it is
// opened at the first archive, not at start-up: core/shared_library.hpp).
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace zenolint::archive {

// True when `data` starts with the signature of a format or compression libarchive reads here
// (zip, gzip, bzip2, xz, zstd, lz4, 7z, rar, or "ustar" at offset 257 for tar). Magic bytes only:
// file names are not consulted.
bool looks_like_archive(std::string_view data);

// True when the last component of `path` ends in a common archive extension (.zip, .tar, .tgz,
// .gz, .7z, ...). Used only to decide whether content larger than --max-file-size is worth
// reading to look at its magic bytes; what is opened is decided by looks_like_archive().
bool has_archive_extension(std::string_view path);

struct Limits {
  std::uint64_t max_member_size = 10ull << 20; // larger members are skipped (too_large)
  std::uint64_t max_ratio = 200;               // uncompressed / compressed bytes of one archive...
  std::uint64_t ratio_floor = 16ull << 20;     // ...checked once this much has been inflated
};

// Uncompressed bytes left for one outermost archive, shared by the archives nested in it (which
// may be read on other threads: `used` is atomic).
struct Budget {
  std::uint64_t limit = 1ull << 30;
  std::atomic<std::uint64_t> used{0};
};

struct Counts {
  std::uint64_t members = 0;   // regular-file members handed to on_member
  std::uint64_t too_large = 0; // members over max_member_size
  std::uint64_t symlinks = 0;  // symbolic and hard links (not read)
  std::uint64_t skipped = 0;   // devices, FIFOs, encrypted or unreadable members
  bool stopped = false;        // the archive was abandoned (corrupt, budget, ratio)
  bool opened = false;         // libarchive recognised the data at all
};

struct Visitor {
  // One regular-file member: its name as stored (control characters escaped, never a path to
  // open) and its complete content, which the callee may move from (the reader starts the next
  // member's content afresh). Called in archive order.
  std::function<void(const std::string& name, std::string& content)> on_member;
  // Every entry but directories, before it is read (may be empty): links, devices and members
  // too large to read included; `regular` tells regular files apart.
  std::function<void(const std::string& name, bool regular)> on_entry;
  // Optional: asked once the first `prefix_bytes` bytes of a member have been read (a shorter
  // member is read whole and never asked about). False when the rest is not needed (binary
  // content, say): on_member then gets only the prefix. Where the container skips the rest
  // without decompressing anything (a tar without a compression filter, the member's size known)
  // it is not read at all; elsewhere (zip, compressed tar, 7z, rar: skipping could mean
  // inflating unaccounted) it is read through, counted against the budget and the ratio guard,
  // but not kept.
  std::function<bool(std::string_view prefix)> rest_needed;
  std::size_t prefix_bytes = 0;
  // A problem with one member (`member` set) or the archive as a whole (`member` empty).
  std::function<void(const std::string& member, const std::string& message)> on_problem;
};

// Reads the archive in `data`. `archive_name` is the archive's own file name (last component),
// used to name the single member of a compressed file ("notes.txt.gz" -> "notes.txt").
Counts read(std::string_view data, const std::string& archive_name, const Limits& limits,
            Budget& budget, const Visitor& visitor);

// What read_file() hands libarchive at a time: the most it holds of the archive itself.
constexpr std::size_t stream_block_bytes = 256u << 10;

// As read(), for the archive in the first `size` bytes of the open regular file `fd` (the size
// fstat gave when it was opened): streamed with pread(2) in blocks of stream_block_bytes, so
// memory does not grow with the archive. The file is never read past `size`; one that ends
// before (it shrank) reads as a truncated archive, a read error as a corrupt one: a Problem each,
// never an exception. The descriptor's offset is neither used nor moved, so other threads may
// pread the same descriptor meanwhile; it stays the caller's. Results are those of read() on the
// same bytes (zip archives are read by their central directory, seeking, as from memory).
class FileAhead;
Counts read_file(int fd, std::uint64_t size, const std::string& archive_name, const Limits& limits,
                 Budget& budget, const Visitor& visitor, FileAhead* ahead = nullptr);

// Reads the first `size` bytes of `fd` once, in order, on a thread of its own, passing each block
// to `observe` (there: the archive's hash) and keeping up to `blocks` of them for read_file(),
// which then takes the bytes it needs from here instead of reading them again (one copy out of
// the page cache instead of two). What read_file() wants elsewhere (a seek back, the end of a
// zip first) it reads itself. Blocks are observed to the end whatever read_file() does.
class FileAhead {
public:
  using Observe = std::function<void(std::string_view block)>;
  FileAhead(int fd, std::uint64_t size, Observe observe, std::size_t blocks = 8);
  FileAhead(const FileAhead&) = delete;
  FileAhead& operator=(const FileAhead&) = delete;
  ~FileAhead(); // stops reading and joins

  // Waits until every byte is observed. True when all `size` bytes were (false: the file ended
  // early or could not be read); rethrows what `observe` threw.
  bool finish();

  // For read_file(): the bytes at `offset` when read ahead (valid until the next call), else
  // empty (read them directly). done(): nothing more is wanted.
  std::string_view at(std::uint64_t offset);
  void done();

private:
  struct Block {
    std::uint64_t offset = 0;
    std::size_t size = 0;
    std::unique_ptr<char[]> data;
  };
  void run();
  std::unique_ptr<char[]> buffer_locked();

  int m_fd;
  std::uint64_t m_size;
  Observe m_observe;
  std::size_t m_max_blocks;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Block> m_queue;
  std::vector<std::unique_ptr<char[]>> m_free;
  std::unique_ptr<char[]> m_current; // the block read_file() has now
  std::uint64_t m_next = 0;          // blocks before this offset are read
  bool m_ended = false, m_complete = false, m_consumer_done = false, m_stop = false;
  std::exception_ptr m_failure;
  std::thread m_thread;
};

} // namespace zenolint::archive
