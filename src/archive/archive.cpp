#include "archive/archive.hpp"

#include "core/read_file.hpp"
#include "core/shared_library.hpp"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace zenolint::archive {
namespace {

// libarchive, opened when the first archive is read (core/shared_library.hpp): every function
// this file calls, through one table.
#define ZENOLINT_LIBARCHIVE_FUNCTIONS(X)                                                           \
  X(archive_entry_filetype)                                                                        \
  X(archive_entry_hardlink)                                                                        \
  X(archive_entry_is_data_encrypted)                                                               \
  X(archive_entry_is_encrypted)                                                                    \
  X(archive_entry_pathname)                                                                        \
  X(archive_entry_size)                                                                            \
  X(archive_entry_size_is_set)                                                                     \
  X(archive_entry_symlink)                                                                         \
  X(archive_error_string)                                                                          \
  X(archive_filter_count)                                                                          \
  X(archive_format)                                                                                \
  X(archive_read_data_block)                                                                       \
  X(archive_read_free)                                                                             \
  X(archive_read_has_encrypted_entries)                                                            \
  X(archive_read_new)                                                                              \
  X(archive_read_next_header)                                                                      \
  X(archive_read_open1)                                                                            \
  X(archive_read_open_memory)                                                                      \
  X(archive_read_set_callback_data)                                                                \
  X(archive_read_set_read_callback)                                                                \
  X(archive_read_set_seek_callback)                                                                \
  X(archive_read_set_skip_callback)                                                                \
  X(archive_read_support_filter_bzip2)                                                             \
  X(archive_read_support_filter_compress)                                                          \
  X(archive_read_support_filter_gzip)                                                              \
  X(archive_read_support_filter_lz4)                                                               \
  X(archive_read_support_filter_lzma)                                                              \
  X(archive_read_support_filter_xz)                                                                \
  X(archive_read_support_filter_zstd)                                                              \
  X(archive_read_support_format_7zip)                                                              \
  X(archive_read_support_format_rar)                                                               \
  X(archive_read_support_format_rar5)                                                              \
  X(archive_read_support_format_raw)                                                               \
  X(archive_read_support_format_tar)                                                               \
  X(archive_read_support_format_zip)                                                               \
  X(archive_set_error)

struct LibArchive {
#define ZENOLINT_MEMBER(name) decltype(&::name) name = nullptr;
  ZENOLINT_LIBARCHIVE_FUNCTIONS(ZENOLINT_MEMBER)
#undef ZENOLINT_MEMBER
};

const LibArchive& lib()
{
  static const LibArchive table = [] {
    static const SharedLibrary so({ZENOLINT_LIBARCHIVE_SONAME, "libarchive.so"}, "libarchive");
    LibArchive t;
#define ZENOLINT_LOAD(name) t.name = so.function<decltype(&::name)>(#name);
    ZENOLINT_LIBARCHIVE_FUNCTIONS(ZENOLINT_LOAD)
#undef ZENOLINT_LOAD
    return t;
  }();
  return table;
}

struct ReadFree {
  void operator()(struct archive* a) const { lib().archive_read_free(a); }
};
using ReadHandle = std::unique_ptr<struct archive, ReadFree>;

bool starts_with(std::string_view data, std::string_view magic)
{
  return data.substr(0, magic.size()) == magic;
}

// Escapes control bytes so that a member name can reach a terminal or a report safely.
std::string printable(const char* raw)
{
  if (raw == nullptr || *raw == '\0')
    return "(unnamed)";
  std::string out;
  for (const char* p = raw; *p != '\0'; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// "notes.txt.gz" -> "notes.txt": the name of the one member of a compressed file.
std::string decompressed_name(const std::string& archive_name)
{
  static constexpr std::array<std::string_view, 8> exts = {".gz",  ".bz2",  ".xz", ".zst",
                                                           ".lz4", ".lzma", ".z",  ".Z"};
  std::string_view name = archive_name;
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos)
    name = name.substr(slash + 1);
  for (auto ext : exts)
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext)
      return std::string(name.substr(0, name.size() - ext.size()));
  return name.empty() ? std::string("data") : std::string(name);
}

// Names that would escape an extraction directory. Only reported: nothing is extracted.
const char* escaping_name(std::string_view name)
{
  if (!name.empty() && (name[0] == '/' || name[0] == '\\'))
    return "is an absolute path";
  if (name.size() >= 2 && name[1] == ':')
    return "starts with a drive letter";
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos)
      end = name.size();
    if (name.substr(start, end - start) == "..")
      return "contains a '..' component";
    start = end + 1;
  }
  return nullptr;
}

ReadHandle new_reader()
{
  ReadHandle a(lib().archive_read_new());
  if (!a)
    throw std::bad_alloc();
  // Only filters libarchive implements itself (Debian links zlib, bzip2, liblzma, zstd, lz4), so
  // hostile input never makes it start an external decompressor.
  lib().archive_read_support_filter_gzip(a.get());
  lib().archive_read_support_filter_bzip2(a.get());
  lib().archive_read_support_filter_xz(a.get());
  lib().archive_read_support_filter_lzma(a.get());
  lib().archive_read_support_filter_zstd(a.get());
  lib().archive_read_support_filter_lz4(a.get());
  lib().archive_read_support_filter_compress(a.get());
  lib().archive_read_support_format_zip(a.get());
  lib().archive_read_support_format_tar(a.get());
  lib().archive_read_support_format_7zip(a.get());
  lib().archive_read_support_format_rar(a.get());
  lib().archive_read_support_format_rar5(a.get());
  lib().archive_read_support_format_raw(a.get()); // a compressed single file
  return a;
}

ReadHandle open_reader(std::string_view data)
{
  ReadHandle a = new_reader();
  if (lib().archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK)
    return nullptr;
  return a;
}

// The first `size` bytes of a descriptor as libarchive's client: read, seek and skip as its
// memory client does (seeking clamps to the ends), so that formats choose the same way (the
// seekable zip reader, through the central directory).
struct FileClient {
  int fd = -1;
  std::uint64_t size = 0;
  std::uint64_t pos = 0;
  FileAhead* ahead = nullptr;
  std::unique_ptr<char[]> block{new char[stream_block_bytes]};

  static la_ssize_t read(struct archive* a, void* self, const void** buffer)
  {
    auto& c = *static_cast<FileClient*>(self);
    if (c.ahead && c.pos < c.size) {
      std::string_view got = c.ahead->at(c.pos);
      if (!got.empty()) {
        auto n = std::min<std::uint64_t>(got.size(), c.size - c.pos);
        *buffer = got.data();
        c.pos += n;
        return static_cast<la_ssize_t>(n);
      }
    }
    *buffer = c.block.get();
    auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(stream_block_bytes, c.size - c.pos));
    if (want == 0)
      return 0;
    for (;;) {
      ssize_t n = ::pread(c.fd, c.block.get(), want, static_cast<off_t>(c.pos));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        int e = errno;
        lib().archive_set_error(a, e, "cannot read the file: %s", std::strerror(e));
        return ARCHIVE_FATAL;
      }
      c.pos += static_cast<std::uint64_t>(n); // 0: the file ended early (shrank), truncated
      return static_cast<la_ssize_t>(n);
    }
  }

  static la_int64_t skip(struct archive*, void* self, la_int64_t request)
  {
    auto& c = *static_cast<FileClient*>(self);
    auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max<la_int64_t>(request, 0)),
                                     c.size - c.pos);
    c.pos += n;
    return static_cast<la_int64_t>(n);
  }

  static la_int64_t seek(struct archive*, void* self, la_int64_t offset, int whence)
  {
    auto& c = *static_cast<FileClient*>(self);
    auto size = static_cast<la_int64_t>(c.size);
    la_int64_t base = whence == SEEK_SET   ? 0
                      : whence == SEEK_CUR ? static_cast<la_int64_t>(c.pos)
                                           : size;
    la_int64_t to = offset < -base ? 0 : std::min(base + offset, size);
    c.pos = static_cast<std::uint64_t>(std::max<la_int64_t>(to, 0));
    return static_cast<la_int64_t>(c.pos);
  }
};

ReadHandle open_reader(FileClient& client)
{
  ReadHandle a = new_reader();
  lib().archive_read_set_callback_data(a.get(), &client);
  lib().archive_read_set_read_callback(a.get(), &FileClient::read);
  lib().archive_read_set_skip_callback(a.get(), &FileClient::skip);
  lib().archive_read_set_seek_callback(a.get(), &FileClient::seek);
  if (lib().archive_read_open1(a.get()) != ARCHIVE_OK)
    return nullptr;
  return a;
}

std::string error_of(struct archive* a)
{
  const char* s = lib().archive_error_string(a);
  return s ? printable(s) : std::string("unknown error");
}

} // namespace

bool looks_like_archive(std::string_view data)
{
  using namespace std::string_view_literals;
  if (data.size() < 4)
    return false;
  if (starts_with(data, "PK\x03\x04"sv) || starts_with(data, "PK\x05\x06"sv) ||
      starts_with(data, "PK\x07\x08"sv))
    return true; // zip (and jar, docx, ...), empty zip, spanned zip
  if (starts_with(data, "\x1f\x8b"sv) || starts_with(data, "BZh"sv) ||
      starts_with(data, "\xfd\x37\x7a\x58\x5a\x00"sv) || starts_with(data, "\x28\xb5\x2f\xfd"sv) ||
      starts_with(data, "\x04\x22\x4d\x18"sv) || starts_with(data, "\x1f\x9d"sv))
    return true; // gzip, bzip2, xz, zstd, lz4, compress
  if (starts_with(data, "7z\xbc\xaf\x27\x1c"sv) || starts_with(data, "Rar!\x1a\x07"sv))
    return true;
  return data.size() >= 262 && data.substr(257, 5) == "ustar"sv; // POSIX and GNU tar
}

bool has_archive_extension(std::string_view path)
{
  static constexpr std::array<std::string_view, 15> exts = {
      ".zip", ".tar", ".tgz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2",
      ".xz",  ".zst", ".7z",  ".rar",  ".lz4", ".jar",  ".whl"};
  // Called for every file of a scan: no copy, no locale. Each extension has one dot, so only
  // the last component's last dot can start it.
  auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || name.size() - dot > 5)
    return false;
  std::array<char, 5> lower{};
  for (std::size_t i = dot; i < name.size(); ++i) {
    char c = name[i];
    lower[i - dot] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view ext(lower.data(), name.size() - dot);
  return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

namespace {

// Whether libarchive skips the rest of the current member by seeking (consuming input) rather
// than by decompressing it: a tar with no compression filter around it (the caller also requires
// the member's size to be known). Not a zip: a member with the data-descriptor flag and a
// compressed size of 0 is inflated to its end to be skipped, and a hostile zip can say so while
// declaring a small size (review of session 8: a 2 MB zip inflated 2 GB outside the budget), and
// libarchive's entry API does not show the flag.
bool skips_without_inflating(struct archive* a)
{
  const int base = lib().archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
  return lib().archive_filter_count(a) == 1 && base == ARCHIVE_FORMAT_TAR;
}

// The members of an opened archive (nullptr: libarchive could not open it) of `size` bytes.
Counts read_opened(struct archive* a, std::uint64_t size, const std::string& archive_name,
                   const Limits& limits, Budget& budget, const Visitor& visitor)
{
  Counts counts;
  auto problem = [&](const std::string& member, const std::string& message) {
    if (visitor.on_problem)
      visitor.on_problem(member, message);
  };
  if (!a) {
    problem("", "not a readable archive");
    counts.stopped = true;
    return counts;
  }
  const std::uint64_t compressed = std::max<std::uint64_t>(size, 1);
  std::uint64_t inflated = 0;
  std::string content;
  int retries = 0;
  std::string skipping; // the member whose data the next header skips (its problem, if any)
  for (;;) {
    struct archive_entry* entry = nullptr;
    int rc = lib().archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF)
      break;
    if (rc == ARCHIVE_RETRY && ++retries <= 16) {
      problem("", "damaged entry header skipped: " + error_of(a));
      skipping.clear();
      continue;
    }
    if (rc < ARCHIVE_WARN || entry == nullptr) {
      problem(skipping, (counts.opened ? "corrupt or truncated archive, stopped: "
                                       : "not a readable archive: ") +
                            error_of(a));
      counts.stopped = true;
      break;
    }
    counts.opened = true;
    skipping.clear();
    const bool raw = lib().archive_format(a) == ARCHIVE_FORMAT_RAW;
    std::string name =
        raw ? decompressed_name(archive_name) : printable(lib().archive_entry_pathname(entry));
    if (rc == ARCHIVE_WARN)
      problem(name, error_of(a));
    if (!raw)
      if (const char* why = escaping_name(name))
        problem(name, std::string("member name ") + why +
                          " (would escape an extraction directory); read, never extracted");
    auto type = lib().archive_entry_filetype(entry);
    if (type != AE_IFDIR && visitor.on_entry)
      visitor.on_entry(name, type == AE_IFREG || raw);
    if (lib().archive_entry_hardlink(entry) != nullptr) {
      ++counts.symlinks;
      problem(name, "hard link to '" + printable(lib().archive_entry_hardlink(entry)) +
                        "', not followed");
      continue;
    }
    if (type == AE_IFDIR)
      continue;
    if (type == AE_IFLNK) {
      ++counts.symlinks;
      problem(name, "symbolic link to '" + printable(lib().archive_entry_symlink(entry)) +
                        "', not followed");
      continue;
    }
    if (type != AE_IFREG && !raw) {
      ++counts.skipped;
      const char* kind = type == AE_IFCHR    ? "character device"
                         : type == AE_IFBLK  ? "block device"
                         : type == AE_IFIFO  ? "FIFO"
                         : type == AE_IFSOCK ? "socket"
                                             : "special file";
      problem(name, std::string(kind) + " member, not read");
      continue;
    }
    if (lib().archive_entry_is_data_encrypted(entry) || lib().archive_entry_is_encrypted(entry)) {
      ++counts.skipped;
      problem(name, "encrypted member, cannot be read without its password; not scanned");
      continue;
    }
    // Read the whole member, counting every inflated byte against the budget and the ratio
    // guard even when the member itself is too large to keep (unless it can be skipped).
    content.clear();
    std::uint64_t inflated_member = 0; // bytes of this member so far, holes included
    bool too_large =
        lib().archive_entry_size_is_set(entry) &&
        static_cast<std::uint64_t>(lib().archive_entry_size(entry)) > limits.max_member_size;
    bool failed = false;
    // Whether skipping the member's data costs nothing (a seek): then a member too large to keep
    // is not read through, and the visitor may decide from a prefix that the rest is not needed.
    const bool cheap_skip = lib().archive_entry_size_is_set(entry) && skips_without_inflating(a);
    if (too_large && cheap_skip) {
      ++counts.too_large; // the next header skips its data
      skipping = name;
      continue;
    }
    bool ask = visitor.rest_needed && visitor.prefix_bytes > 0 && !too_large;
    bool discard = false; // the rest is read and counted (budget, ratio) but not kept
    if (!too_large && lib().archive_entry_size_is_set(entry))
      content.reserve(static_cast<std::size_t>(lib().archive_entry_size(entry)));
    // Blocks straight from libarchive's buffer (archive_read_data copied each into a chunk
    // first); a sparse member's holes come back as offsets past what was read, filled with zeros
    // as archive_read_data would.
    for (;;) {
      const void* block = nullptr;
      std::size_t block_size = 0;
      la_int64_t offset = 0;
      int got = lib().archive_read_data_block(a, &block, &block_size, &offset);
      if (got == ARCHIVE_EOF)
        break;
      la_ssize_t n = got;
      if (got >= ARCHIVE_OK) {
        std::uint64_t end =
            static_cast<std::uint64_t>(std::max<la_int64_t>(offset, 0)) + block_size;
        std::uint64_t have = inflated_member;
        n = end > have ? static_cast<la_ssize_t>(end - have) : 0;
        if (n == 0)
          continue;
      }
      if (n < 0) {
        failed = true;
        if (n == ARCHIVE_FATAL) {
          problem(name, "corrupt or truncated archive, stopped: " + error_of(a));
          counts.stopped = true;
        } else {
          bool encrypted = lib().archive_read_has_encrypted_entries(a) > 0;
          problem(name, encrypted ? "encrypted member, cannot be read without its password; "
                                    "not scanned"
                                  : "cannot read member: " + error_of(a));
        }
        break;
      }
      auto un = static_cast<std::uint64_t>(n);
      inflated += un;
      inflated_member += un;
      if (budget.used.fetch_add(un) + un > budget.limit) {
        problem("", "more than " + std::to_string(budget.limit) +
                        " uncompressed bytes (--max-archive-bytes); the rest of the archive is "
                        "not read");
        counts.stopped = true;
        failed = true;
        break;
      }
      if (inflated > limits.ratio_floor && inflated / compressed > limits.max_ratio) {
        problem("", "inflates more than " + std::to_string(limits.max_ratio) +
                        " times its size (a decompression bomb?); the rest of the archive is "
                        "not read");
        counts.stopped = true;
        failed = true;
        break;
      }
      if (too_large)
        continue;
      if (inflated_member > limits.max_member_size) { // content.size() + un, had all been kept
        too_large = true;
        std::string().swap(content);
        continue;
      }
      if (discard)
        continue;
      // `un` bytes end the member so far: a hole of zeros (sparse), then the block (or its tail,
      // should a block overlap what was read).
      std::size_t take = std::min<std::size_t>(block_size, static_cast<std::size_t>(un));
      content.append(static_cast<std::size_t>(un) - take, '\0');
      content.append(static_cast<const char*>(block) + (block_size - take), take);
      if (ask && content.size() >= visitor.prefix_bytes) {
        ask = false;
        if (!visitor.rest_needed(content)) {
          if (cheap_skip) {
            skipping = name;
            break; // the next header skips the rest
          }
          discard = true;
        }
      }
    }
    if (!failed) {
      if (too_large) {
        ++counts.too_large;
      } else {
        ++counts.members;
        if (visitor.on_member)
          visitor.on_member(name, content);
      }
    } else if (!counts.stopped) {
      ++counts.skipped;
    }
    if (counts.stopped)
      break;
  }
  return counts;
}

} // namespace

Counts read(std::string_view data, const std::string& archive_name, const Limits& limits,
            Budget& budget, const Visitor& visitor)
{
  ReadHandle a = open_reader(data);
  return read_opened(a.get(), data.size(), archive_name, limits, budget, visitor);
}

Counts read_file(int fd, std::uint64_t size, const std::string& archive_name, const Limits& limits,
                 Budget& budget, const Visitor& visitor, FileAhead* ahead)
{
  struct Done {
    FileAhead* ahead;
    ~Done()
    {
      if (ahead)
        ahead->done();
    }
  } done{ahead};
  FileClient client;
  client.fd = fd;
  client.size = size;
  client.ahead = ahead;
  ReadHandle a = open_reader(client);
  return read_opened(a.get(), size, archive_name, limits, budget, visitor);
}

FileAhead::FileAhead(int fd, std::uint64_t size, Observe observe, std::size_t blocks)
    : m_fd(fd), m_size(size), m_observe(std::move(observe)),
      m_max_blocks(std::max<std::size_t>(blocks, 1))
{
  m_thread = std::thread([this] { run(); });
}

FileAhead::~FileAhead()
{
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_consumer_done = true;
  }
  m_changed.notify_all();
  if (m_thread.joinable())
    m_thread.join();
}

std::unique_ptr<char[]> FileAhead::buffer_locked()
{
  if (m_free.empty())
    return std::unique_ptr<char[]>(new char[stream_block_bytes]);
  auto b = std::move(m_free.back());
  m_free.pop_back();
  return b;
}

void FileAhead::run()
{
  std::uint64_t offset = 0;
  try {
    while (offset < m_size) {
      std::unique_ptr<char[]> buffer;
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock,
                       [&] { return m_stop || m_consumer_done || m_queue.size() < m_max_blocks; });
        if (m_stop)
          break;
        buffer = buffer_locked();
      }
      auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(stream_block_bytes, m_size - offset));
      if (!pread_exact(m_fd, buffer.get(), want, offset))
        break; // ended early or unreadable: not complete
      m_observe(std::string_view(buffer.get(), want));
      std::lock_guard lock(m_mutex);
      offset += want;
      m_next = offset;
      if (m_consumer_done)
        m_free.push_back(std::move(buffer));
      else
        m_queue.push_back(Block{offset - want, want, std::move(buffer)});
      m_changed.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(m_mutex);
    m_failure = std::current_exception();
  }
  std::lock_guard lock(m_mutex);
  m_ended = true;
  m_complete = offset == m_size && !m_failure;
  m_changed.notify_all();
}

std::string_view FileAhead::at(std::uint64_t offset)
{
  std::unique_lock lock(m_mutex);
  if (m_current)
    m_free.push_back(std::move(m_current)); // libarchive is done with the block it had
  for (;;) {
    while (!m_queue.empty() && m_queue.front().offset + m_queue.front().size <= offset) {
      m_free.push_back(std::move(m_queue.front().data)); // skipped
      m_queue.pop_front();
      m_changed.notify_all();
    }
    if (!m_queue.empty()) {
      Block& front = m_queue.front();
      if (front.offset > offset)
        return {}; // behind what is read ahead (a seek back)
      m_current = std::move(front.data);
      auto skip = static_cast<std::size_t>(offset - front.offset);
      std::size_t size = front.size - skip;
      m_queue.pop_front();
      m_changed.notify_all();
      return {m_current.get() + skip, size};
    }
    // Nothing queued: wait for the reader only when it is about to read `offset`.
    if (m_ended || offset < m_next || offset - m_next >= m_max_blocks * stream_block_bytes)
      return {};
    m_changed.wait(lock);
  }
}

void FileAhead::done()
{
  std::lock_guard lock(m_mutex);
  m_consumer_done = true;
  for (auto& b : m_queue)
    m_free.push_back(std::move(b.data));
  m_queue.clear();
  m_current.reset();
  m_changed.notify_all();
}

bool FileAhead::finish()
{
  done();
  if (m_thread.joinable())
    m_thread.join();
  if (m_failure)
    std::rethrow_exception(m_failure);
  return m_complete;
}

} // namespace zenolint::archive
