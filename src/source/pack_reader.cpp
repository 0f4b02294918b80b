#include "source/pack_reader.hpp"

#include "core/handle.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <libdeflate.h>
#include <new>
#include <sys/stat.h>
#include <unistd.h>

namespace zenolint::source {
namespace {

constexpr int obj_ofs_delta = EntryHeader::ofs_delta;
constexpr int obj_ref_delta = EntryHeader::ref_delta;
constexpr int max_chain = 4095;                  // git's own limit on pack.depth
constexpr std::uint64_t max_entry = 1ull << 31;  // zlib's avail_in is 32 bits; larger: libgit2
constexpr std::uint64_t max_object = UINT32_MAX; // zlib's avail_out is 32 bits; larger: libgit2
// Bytes of deltas one chain may hold while it is built (a corrupt pack could claim far more).
constexpr std::uint64_t max_chain_bytes = 1ull << 30;
// zlib cannot expand data by more than about 1032:1; a header claiming more is corrupt, and is
// refused before its buffer is allocated.
constexpr std::uint64_t max_inflate_ratio = 1100;

// Reads a delta header size: little-endian groups of 7 bits.
bool delta_size(std::string_view& d, std::uint64_t& value)
{
  value = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (d.empty())
      return false;
    auto c = static_cast<unsigned char>(d.front());
    d.remove_prefix(1);
    value |= std::uint64_t{c & 0x7fu} << shift;
    if (!(c & 0x80))
      return true;
  }
  return false;
}

} // namespace

bool parse_entry_header(const unsigned char* p, std::size_t size, std::uint64_t offset,
                        EntryHeader& out)
{
  // Type in bits 4-6 of the first byte, size in 4 + 7k bits (little-endian groups).
  const unsigned char* start = p;
  const unsigned char* stop = p + size;
  if (p == stop)
    return false;
  unsigned char c = *p++;
  out.type = (c >> 4) & 7;
  out.size = c & 15u;
  for (unsigned shift = 4; c & 0x80; shift += 7) {
    if (p == stop || shift > 57)
      return false;
    c = *p++;
    out.size |= std::uint64_t{c & 0x7fu} << shift;
  }
  if (out.type == EntryHeader::ofs_delta) { // big-endian groups of 7 bits, +1 for each but the last
    if (p == stop)
      return false;
    c = *p++;
    std::uint64_t back = c & 0x7fu;
    while (c & 0x80) {
      if (p == stop || back > (UINT64_MAX >> 8))
        return false;
      c = *p++;
      back = ((back + 1) << 7) | (c & 0x7fu);
    }
    if (back == 0 || back > offset)
      return false;
    out.base_distance = back;
  } else if (out.type == EntryHeader::ref_delta) {
    if (stop - p < 20)
      return false;
    std::memcpy(out.base_id.bytes.data(), p, 20);
    p += 20;
  } else if (out.type < 1 || out.type > 4) {
    return false;
  }
  out.length = static_cast<std::size_t>(p - start);
  return true;
}

struct Inflater::State {
  Handle<libdeflate_decompressor, libdeflate_free_decompressor> decompressor;
};

Inflater::Inflater() : m_state(std::make_unique<State>())
{
  m_state->decompressor.reset(libdeflate_alloc_decompressor());
  if (!m_state->decompressor)
    throw std::bad_alloc();
}

Inflater::~Inflater() = default;

bool Inflater::inflate_exact(const unsigned char* in, std::size_t in_size, char* out,
                             std::uint64_t size)
{
  if (size > (std::uint64_t{in_size} + 64) * max_inflate_ratio || size > max_object ||
      in_size > max_entry)
    return false;
  // Without an actual_out pointer libdeflate fails unless exactly `size` bytes come out; it
  // checks the stream's Adler-32 and ignores what follows the stream.
  std::size_t used = 0;
  return libdeflate_zlib_decompress_ex(m_state->decompressor.get(), in, in_size, out,
                                       static_cast<std::size_t>(size), &used,
                                       nullptr) == LIBDEFLATE_SUCCESS;
}

std::optional<std::uint64_t> delta_result_size(std::string_view delta)
{
  std::uint64_t base_size = 0, result_size = 0;
  if (!delta_size(delta, base_size) || !delta_size(delta, result_size))
    return std::nullopt;
  return result_size;
}

namespace {

// Walks the instructions of a git delta (after its two size headers), calling copy(offset, size)
// for each copy from the base and insert(data) for each insert. Returns false on a malformed or
// out-of-range instruction, or when the output would pass `result_size`.
template <typename Copy, typename Insert>
bool walk_delta(std::string_view base, std::string_view delta, std::uint64_t result_size,
                Copy&& copy, Insert&& insert)
{
  std::uint64_t pos = 0;
  while (!delta.empty()) {
    auto cmd = static_cast<unsigned char>(delta.front());
    delta.remove_prefix(1);
    if (cmd & 0x80) { // copy from the base: offset and size bytes flagged by the low 7 bits
      std::uint64_t offset = 0, size = 0;
      for (unsigned i = 0; i < 7; ++i) {
        if (!(cmd & (1u << i)))
          continue;
        if (delta.empty())
          return false;
        std::uint64_t byte = static_cast<unsigned char>(delta.front());
        delta.remove_prefix(1);
        if (i < 4)
          offset |= byte << (8 * i);
        else
          size |= byte << (8 * (i - 4));
      }
      if (size == 0)
        size = 0x10000;
      if (offset + size > base.size() || size > result_size - pos)
        return false;
      copy(pos, offset, size);
      pos += size;
    } else if (cmd != 0) { // insert the next `cmd` bytes
      if (cmd > delta.size() || cmd > result_size - pos)
        return false;
      insert(pos, delta.substr(0, cmd));
      pos += cmd;
      delta.remove_prefix(cmd);
    } else {
      return false; // reserved
    }
  }
  return pos == result_size;
}

} // namespace

bool apply_git_delta(std::string_view base, std::string_view delta, Bytes& out)
{
  std::uint64_t base_size = 0, result_size = 0;
  if (!delta_size(delta, base_size) || !delta_size(delta, result_size) ||
      base_size != base.size() || result_size > max_object ||
      result_size > std::uint64_t{delta.size()} * 0xffffff) // a copy yields at most 2^24-1 bytes
    return false;
  // First the instructions alone: a hostile delta claiming gigabytes that its instructions do
  // not produce is refused before anything is allocated (found by fuzz_pack_reader).
  auto nothing = [](auto&&...) {};
  if (!walk_delta(base, delta, result_size, nothing, nothing))
    return false;
  out.allocate(result_size);
  char* dest = out.data();
  return walk_delta(
      base, delta, result_size,
      [&](std::uint64_t pos, std::uint64_t offset, std::uint64_t size) {
        std::memcpy(dest + pos, base.data() + offset, size);
      },
      [&](std::uint64_t pos, std::string_view bytes) {
        std::memcpy(dest + pos, bytes.data(), bytes.size());
      });
}

PackReader::PackReader(const std::string& objects_dir, std::size_t cache_bytes,
                       std::uint64_t max_object_size)
    : PackReader(std::make_shared<const PackPositions>(objects_dir, true), cache_bytes,
                 max_object_size)
{}

PackReader::PackReader(std::shared_ptr<const PackPositions> positions, std::size_t cache_bytes,
                       std::uint64_t max_object_size)
    : m_shared(std::move(positions)), m_positions(*m_shared), m_fds(m_positions.pack_count(), -2),
      m_sizes(m_positions.pack_count(), 0), m_cache(cache_bytes),
      m_max_object(std::min(max_object_size, max_object))
{}

PackReader::~PackReader()
{
  for (int fd : m_fds)
    if (fd >= 0)
      ::close(fd);
}

int PackReader::fd_for(std::uint32_t pack)
{
  if (m_fds[pack] != -2)
    return m_fds[pack];
  // A regular file only, opened without blocking on a FIFO; reads are bounded by its size.
  std::uint64_t size = 0;
  int fd = open_regular_file(m_positions.pack_path(pack), UINT64_MAX, &size);
  if (fd >= 0 && size < 32) {
    ::close(fd);
    fd = -1;
  }
  m_fds[pack] = fd < 0 ? -1 : fd;
  if (fd >= 0)
    m_sizes[pack] = size;
  return m_fds[pack];
}

bool PackReader::read_entry(Key where, Entry& out)
{
  int fd = fd_for(where.pack);
  if (fd < 0)
    return false;
  // The entry ends where the next object starts (or at the 20-byte trailer).
  const auto& offsets = m_positions.sorted_offsets(where.pack);
  const std::uint64_t pack_end = m_sizes[where.pack] - 20;
  std::uint64_t end = pack_end;
  if (!offsets.empty()) {
    auto next = std::upper_bound(offsets.begin(), offsets.end(), where.offset);
    end = next == offsets.end() ? pack_end : *next;
  }
  if (where.offset < 12 || end <= where.offset || end > pack_end)
    return false;
  EntryHeader header;
  std::size_t length = 0;
  if (offsets.empty()) {
    // Positions without offsets (mapped indexes, a few lookups): the header first, then at most
    // what zlib can make of the inflated size (stored blocks: 5 bytes per 16 KiB, plus the zlib
    // header and checksum); libdeflate ignores what follows the stream.
    length = static_cast<std::size_t>(std::min<std::uint64_t>(end - where.offset, 64));
    m_buffer.resize(length);
    if (!pread_exact(fd, m_buffer.data(), length, where.offset) ||
        !parse_entry_header(m_buffer.data(), length, where.offset, header))
      return false;
    if (header.size > m_max_object) {
      m_too_large = header.size;
      return false;
    }
    std::uint64_t bound = header.length + header.size + header.size / 16384 * 5 + 64;
    end = std::min(end, where.offset + bound);
  }
  if (end - where.offset > max_entry)
    return false;
  length = end - where.offset;
  m_buffer.resize(length);
  if (!pread_exact(fd, m_buffer.data(), length, where.offset))
    return false;
  if (!parse_entry_header(m_buffer.data(), length, where.offset, header))
    return false;
  if (header.size > m_max_object) { // refused from the header: nothing is allocated or inflated
    m_too_large = header.size;
    return false;
  }
  out.type = header.type;
  if (header.type == EntryHeader::ofs_delta) {
    out.base = Key{where.pack, where.offset - header.base_distance};
  } else if (header.type == EntryHeader::ref_delta) {
    auto pos = m_positions.find(header.base_id);
    if (!pos)
      return false;
    out.base = Key{pos->pack, pos->offset};
  }
  const unsigned char* p = m_buffer.data() + header.length;
  const unsigned char* stop = m_buffer.data() + length;
  const std::uint64_t size = header.size;
  m_inflated += size;
  if (size > (std::uint64_t{static_cast<std::size_t>(stop - p)} + 64) * max_inflate_ratio)
    return false; // refused before its buffer is allocated
  out.payload.allocate(size);
  return m_inflater.inflate_exact(p, static_cast<std::size_t>(stop - p), out.payload.data(), size);
}

SharedPacked PackReader::read(const BlobId& id, std::uint64_t* too_large)
{
  m_too_large = 0;
  m_corrupt.clear();
  if (too_large)
    *too_large = 0;
  auto pos = m_positions.find(id);
  if (!pos)
    return nullptr;
  SharedPacked out;
  try {
    out = read_at(Key{pos->pack, pos->offset});
  } catch (const std::bad_alloc&) {
    out = nullptr; // sizes a corrupt pack claims; libgit2 gets to say what is wrong
  }
  if (!out && too_large)
    *too_large = m_too_large;
  return out;
}

SharedPacked PackReader::read_at(Key where)
{
  // Walk down the chain to a cached object or a whole one, then build back up, caching each step.
  std::vector<std::pair<Key, Bytes>> deltas;
  std::uint64_t held = 0;
  SharedPacked object;
  Key at = where;
  for (int depth = 0;; ++depth) {
    if ((object = m_cache.get(at)))
      break;
    // A cycle (REF_DELTA entries naming each other): corrupt. Too deep or too much held: not
    // read here (git reads chains deeper than it writes).
    if (std::any_of(deltas.begin(), deltas.end(), [&](const auto& d) { return d.first == at; })) {
      m_corrupt = "its delta chain is a cycle (corrupt pack)";
      return nullptr;
    }
    if (depth > max_chain || held > max_chain_bytes)
      return nullptr;
    Entry entry;
    if (!read_entry(at, entry))
      return nullptr;
    held += entry.payload.size();
    if (entry.type != obj_ofs_delta && entry.type != obj_ref_delta) {
      auto whole = std::make_shared<PackedObject>();
      whole->type = entry.type;
      whole->data = std::move(entry.payload);
      object = whole;
      m_cache.put(at, object, object->data.size());
      break;
    }
    deltas.emplace_back(at, std::move(entry.payload));
    at = entry.base;
  }
  for (auto it = deltas.rbegin(); it != deltas.rend(); ++it) {
    std::string_view header = it->second.view();
    std::uint64_t base_size = 0, result_size = 0;
    if (delta_size(header, base_size) && delta_size(header, result_size) &&
        result_size > m_max_object) {
      m_too_large = result_size;
      return nullptr;
    }
    auto next = std::make_shared<PackedObject>();
    next->type = object->type;
    if (!apply_git_delta(object->data.view(), it->second.view(), next->data))
      return nullptr;
    object = next;
    m_cache.put(it->first, object, object->data.size());
  }
  return object;
}

} // namespace zenolint::source
