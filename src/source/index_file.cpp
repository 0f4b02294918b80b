#include "source/index_file.hpp"

#include "core/bytes.hpp"
#include "core/fd.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint::source {

namespace {

constexpr std::size_t k_hash_size = 20;
constexpr std::size_t k_header_size = 12;
// ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), id, 16-bit flags.
constexpr std::size_t k_entry_fixed = 40 + k_hash_size + 2;
constexpr std::size_t k_mode_offset = 24;
constexpr std::uint16_t k_flag_extended = 0x4000;
constexpr std::uint16_t k_flag_stage_mask = 0x3000;
constexpr std::uint16_t k_flag_name_mask = 0x0fff;
constexpr std::uint16_t k_ext_intent_to_add = 0x2000;
constexpr std::uint16_t k_ext_skip_worktree = 0x4000;

// Regular files only, opened without blocking on a FIFO; an index over 4 GiB is refused. Mapped
// rather than read: a 50k-file repository's index is 4.4 MB, and reading it into a buffer (zeroed
// first, then copied into) was a fifth of the hook's CPU, mostly page faults. The entries' paths
// point into the mapping, which is populated at once (every page is read anyway; one call instead
// of a page fault per 64 KiB).
bool map_whole_file(const std::string& path, std::shared_ptr<const char>& out, std::size_t& size,
                    bool& missing, std::string& why, struct stat& st)
{
  ReadFileError err;
  std::uint64_t file_size = 0;
  Fd fd(open_regular_file(path, std::uint64_t{4} << 30, &file_size, &err));
  if (!fd) {
    missing = err.missing;
    why = path + ": " + err.message;
    return false;
  }
  size = static_cast<std::size_t>(file_size);
  if (::fstat(fd.get(), &st) != 0) {
    why = path + ": cannot stat: " + std::strerror(errno);
    return false;
  }
  if (size == 0) {
    out = std::shared_ptr<const char>(new char[1], std::default_delete<char[]>());
    return true;
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.get(), 0);
  if (p == MAP_FAILED) {
    why = path + ": cannot map: " + std::strerror(errno);
    return false;
  }
  out = std::shared_ptr<const char>(
      static_cast<const char*>(p), [size](const char* q) { ::munmap(const_cast<char*>(q), size); });
  return true;
}

// git's varint (varint.c): 7 bits per byte, most significant group first, with an offset of one
// added per continuation so every value has a single encoding.
bool decode_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& value)
{
  if (p >= end)
    return false;
  unsigned char c = *p++;
  std::uint64_t v = c & 127u;
  while (c & 128u) {
    if (p >= end || v >= (std::uint64_t{1} << 56))
      return false;
    c = *p++;
    v = ((v + 1) << 7) | (c & 127u);
  }
  value = v;
  return true;
}

class TreeParser {
public:
  TreeParser(const unsigned char* p, const unsigned char* end) : m_p(p), m_end(end) {}

  bool parse(CachedTree& root) { return node(root, 0) && m_p == m_end; }
  // True when parse() failed only because the tree is nested deeper than the reader follows.
  bool too_deep() const { return m_too_deep; }

private:
  bool number(std::int64_t& value, char terminator)
  {
    bool negative = m_p < m_end && *m_p == '-';
    if (negative)
      ++m_p;
    const unsigned char* start = m_p;
    std::int64_t v = 0;
    while (m_p < m_end && *m_p >= '0' && *m_p <= '9' && v < (std::int64_t{1} << 40))
      v = v * 10 + (*m_p++ - '0');
    if (m_p == start || m_p >= m_end || *m_p != terminator)
      return false;
    ++m_p;
    value = negative ? -v : v;
    return true;
  }

  bool node(CachedTree& out, int depth)
  {
    // Recursion bounded by a constant, not by the input: a path 30,000 directories deep is legal,
    // its cached tree is then simply not used.
    if (depth > max_depth) {
      m_too_deep = true;
      return false;
    }
    const void* nul = std::memchr(m_p, 0, static_cast<std::size_t>(m_end - m_p));
    if (!nul)
      return false;
    const auto* name_end = static_cast<const unsigned char*>(nul);
    out.name.assign(reinterpret_cast<const char*>(m_p), static_cast<std::size_t>(name_end - m_p));
    m_p = name_end + 1;
    std::int64_t entries = 0, subtrees = 0;
    if (!number(entries, ' ') || !number(subtrees, '\n') || subtrees < 0 || entries < -1 ||
        entries > INT32_MAX)
      return false;
    out.entry_count = static_cast<std::int32_t>(entries);
    if (entries >= 0) {
      if (static_cast<std::size_t>(m_end - m_p) < k_hash_size)
        return false;
      std::memcpy(out.id.data(), m_p, k_hash_size);
      m_p += k_hash_size;
    }
    if (subtrees > m_end - m_p) // each subtree takes at least one byte
      return false;
    out.children.resize(static_cast<std::size_t>(subtrees));
    for (auto& child : out.children)
      if (!node(child, depth + 1))
        return false;
    // git writes subtrees ordered by name length first; lookups want plain byte order.
    std::sort(out.children.begin(), out.children.end(),
              [](const CachedTree& a, const CachedTree& b) { return a.name < b.name; });
    return true;
  }

  static constexpr int max_depth = 1024;
  const unsigned char* m_p;
  const unsigned char* m_end;
  bool m_too_deep = false;
};

std::optional<IndexFile> refuse(std::string* why_not, std::string reason)
{
  if (why_not)
    *why_not = std::move(reason);
  return std::nullopt;
}

} // namespace

const CachedTree* CachedTree::child(std::string_view child_name) const
{
  auto it = std::lower_bound(
      children.begin(), children.end(), child_name,
      [](const CachedTree& t, std::string_view n) { return std::string_view(t.name) < n; });
  return it != children.end() && it->name == child_name ? &*it : nullptr;
}

std::optional<IndexFile> read_index_file(const std::string& path, std::string* why_not,
                                         bool with_stats)
{
  IndexFile index;
  std::shared_ptr<const char> mapping;
  std::size_t data_size = 0;
  bool missing = false;
  std::string why;
  struct stat st {};
  if (!map_whole_file(path, mapping, data_size, missing, why, st)) {
    if (missing)
      return index;
    return refuse(why_not, why);
  }
  index.mtime_s = st.st_mtim.tv_sec;
  index.mtime_ns = st.st_mtim.tv_nsec;
  if (data_size < k_header_size + k_hash_size)
    return refuse(why_not, path + ": too short for an index file");
  const auto* base = reinterpret_cast<const unsigned char*>(mapping.get());
  const unsigned char* end = base + data_size - k_hash_size; // the checksum is not read
  if (std::memcmp(base, "DIRC", 4) != 0)
    return refuse(why_not, path + ": no DIRC signature");
  index.version = load_be32(base + 4);
  if (index.version < 2 || index.version > 4)
    return refuse(why_not, path + ": index version " + std::to_string(index.version));
  std::uint32_t count = load_be32(base + 8);
  if (count > data_size / k_entry_fixed)
    return refuse(why_not, path + ": entry count larger than the file");
  index.entries.reserve(count); // filled in order: no zeroing pass over 50k entries first
  if (with_stats)
    index.stats.reserve(count);

  // v2/v3 paths are read in place; v4 paths are rebuilt (prefix-compressed) into `paths`, and the
  // views are filled once it no longer grows.
  const bool v4 = index.version == 4;
  std::string paths;
  std::vector<std::pair<std::size_t, std::size_t>> spans; // v4: offset and size in `paths`
  if (v4) {
    spans.resize(count);
    paths.reserve(data_size); // >= 32 bytes: on the heap, so moves keep the views valid
  }
  std::size_t previous_offset = 0, previous_size = 0;

  const unsigned char* p = base + k_header_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    const unsigned char* entry_start = p;
    if (static_cast<std::size_t>(end - p) < k_entry_fixed)
      return refuse(why_not, path + ": truncated entry " + std::to_string(i));
    IndexEntry& e = index.entries.emplace_back();
    e.mode = load_be32(p + k_mode_offset);
    if (with_stats) {
      IndexEntryStat& es = index.stats.emplace_back();
      es.ctime_s = load_be32(p);
      es.ctime_ns = load_be32(p + 4);
      es.mtime_s = load_be32(p + 8);
      es.mtime_ns = load_be32(p + 12);
      es.dev = load_be32(p + 16);
      es.ino = load_be32(p + 20);
      es.uid = load_be32(p + 28);
      es.gid = load_be32(p + 32);
      es.size = load_be32(p + 36);
    }
    std::memcpy(e.id.data(), p + 40, k_hash_size);
    std::uint16_t flags = load_be16(p + 40 + k_hash_size);
    p += k_entry_fixed;
    e.stage = (flags & k_flag_stage_mask) >> 12;
    if (e.stage != 0 && index.first_unmerged < 0)
      index.first_unmerged = i;
    if (flags & k_flag_extended) {
      if (index.version < 3 || end - p < 2)
        return refuse(why_not, path + ": bad extended flags in entry " + std::to_string(i));
      e.intent_to_add = (load_be16(p) & k_ext_intent_to_add) != 0;
      e.skip_worktree = (load_be16(p) & k_ext_skip_worktree) != 0;
      p += 2;
    }
    switch (e.mode) {
    case 0100644:
    case 0100755:
    case 0120000:
    case 0160000:
      break;
    default: // includes sparse-index directory entries (040000)
      return refuse(why_not, path + ": unsupported mode " + std::to_string(e.mode) + " in entry " +
                                 std::to_string(i));
    }

    std::uint64_t strip = 0;
    if (v4 && !decode_varint(p, end, strip))
      return refuse(why_not, path + ": bad path prefix in entry " + std::to_string(i));
    std::size_t name_size = flags & k_flag_name_mask;
    if (name_size == k_flag_name_mask || v4) {
      const void* nul = std::memchr(p, 0, static_cast<std::size_t>(end - p));
      if (!nul)
        return refuse(why_not, path + ": unterminated path in entry " + std::to_string(i));
      name_size = static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - p);
    }
    if (static_cast<std::size_t>(end - p) <= name_size || p[name_size] != 0)
      return refuse(why_not, path + ": bad path length in entry " + std::to_string(i));
    if (v4) {
      if (strip > previous_size)
        return refuse(why_not, path + ": bad path prefix in entry " + std::to_string(i));
      std::size_t keep = previous_size - static_cast<std::size_t>(strip);
      std::size_t offset = paths.size();
      paths.resize(offset + keep + name_size);
      std::memcpy(paths.data() + offset, paths.data() + previous_offset, keep);
      std::memcpy(paths.data() + offset + keep, p, name_size);
      previous_offset = offset;
      previous_size = keep + name_size;
      spans[i] = {offset, previous_size};
      p += name_size + 1;
    } else {
      e.path = std::string_view(reinterpret_cast<const char*>(p), name_size);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      std::size_t size = static_cast<std::size_t>(p - entry_start) + name_size;
      std::size_t padded = (size + 8) & ~std::size_t{7};
      if (static_cast<std::size_t>(end - entry_start) < padded)
        return refuse(why_not, path + ": truncated entry " + std::to_string(i));
      p = entry_start + padded;
    }
    if (e.path.empty() && !v4)
      return refuse(why_not, path + ": empty path in entry " + std::to_string(i));
  }

  while (p < end) {
    if (end - p < 8)
      return refuse(why_not, path + ": truncated extension header");
    std::string signature(reinterpret_cast<const char*>(p), 4);
    std::uint32_t size = load_be32(p + 4);
    p += 8;
    if (size > static_cast<std::size_t>(end - p))
      return refuse(why_not, path + ": truncated extension " + signature);
    if (signature == "TREE") {
      CachedTree root;
      TreeParser parser(p, p + size);
      if (parser.parse(root))
        index.cached_tree = std::move(root);
      else if (!parser.too_deep()) // too deep: go on without the cache (it only saves time)
        return refuse(why_not, path + ": malformed TREE extension");
    } else if (signature[0] < 'A' || signature[0] > 'Z') {
      // Lower-case signatures are required for correctness (split index, sparse index, ...).
      return refuse(why_not, path + ": unsupported index extension " + signature);
    }
    p += size;
  }

  if (v4) {
    index.storage = std::move(paths);
    for (std::uint32_t i = 0; i < count; ++i) {
      if (spans[i].second == 0)
        return refuse(why_not, path + ": empty path in entry " + std::to_string(i));
      index.entries[i].path =
          std::string_view(index.storage.data() + spans[i].first, spans[i].second);
    }
  } else {
    index.mapping = std::move(mapping); // the views point into the mapping
  }
  return index;
}

} // namespace zenolint::source
