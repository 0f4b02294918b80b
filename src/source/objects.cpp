#include "source/objects.hpp"

#include "core/bytes.hpp"
#include "core/fd.hpp"
#include "core/pack_index_check.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <sys/mman.h>

namespace zenolint::source {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t header_size = 8 + 256 * 4;

// Pack offset of the index's i-th object; nullopt when its 64-bit offset lies outside the index.
std::optional<std::uint64_t> object_offset(const unsigned char* data, std::size_t size,
                                           std::uint32_t count, std::uint32_t i)
{
  const unsigned char* offsets = data + header_size + std::size_t{count} * 24;
  std::uint64_t off = load_be32(offsets + std::size_t{i} * 4);
  if (!(off & 0x80000000u))
    return off;
  std::size_t large = header_size + std::size_t{count} * 28 + (off & 0x7fffffffu) * 8;
  if (large + 8 > size)
    return std::nullopt;
  return load_be64(data + large);
}

std::vector<std::uint64_t> offsets_of(const std::vector<unsigned char>& data, std::uint32_t count)
{
  std::vector<std::uint64_t> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i)
    if (auto off = object_offset(data.data(), data.size(), count,
                                 i)) // unusable entries: reads fall back to libgit2
      out.push_back(*off);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

PackPositions::PackPositions(const std::string& objects_dir, bool with_offsets)
{
  load(objects_dir, with_offsets, false);
}

PackPositions::PackPositions(const std::string& objects_dir, Mapped)
{
  load(objects_dir, false, true);
}

PackPositions::~PackPositions()
{
  for (auto& idx : m_packs)
    if (idx.mapped)
      ::munmap(const_cast<unsigned char*>(idx.bytes), idx.size);
}

namespace {

// Maps the index at `path` after the checks read_pack_index makes; nullptr with `why` on failure.
const unsigned char* map_pack_index(const std::string& path, std::size_t& size, std::string& why)
{
  ReadFileError err;
  std::uint64_t file_size = 0;
  Fd fd(open_regular_file(path, max_pack_index_size, &file_size, &err));
  if (!fd) {
    why = err.message;
    return nullptr;
  }
  if (file_size < header_size + 40) {
    why = "truncated pack index (" + std::to_string(file_size) + " bytes)";
    return nullptr;
  }
  void* p = ::mmap(nullptr, file_size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) {
    why = "cannot map pack index";
    return nullptr;
  }
  auto* bytes = static_cast<const unsigned char*>(p);
  if (!check_pack_index_header(bytes, file_size, &why)) {
    ::munmap(p, file_size);
    return nullptr;
  }
  size = static_cast<std::size_t>(file_size);
  return bytes;
}

} // namespace

void PackPositions::load(const std::string& objects_dir, bool with_offsets, bool mapped)
{
  std::error_code ec;
  std::vector<fs::path> idx_files;
  for (fs::directory_iterator it(fs::path(objects_dir) / "pack", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".idx")
      idx_files.push_back(it->path());
  std::sort(idx_files.begin(), idx_files.end());
  for (const auto& path : idx_files) {
    // Regular files only, sizes checked against the fan-out before the rest is read (a link to
    // /dev/zero, a FIFO or a fan-out claiming 2^32 objects is refused, and named).
    std::string bytes, why;
    PackIndex idx;
    if (mapped) {
      idx.bytes = map_pack_index(path.string(), idx.size, why);
      if (!idx.bytes) {
        m_rejected.push_back({path.string(), why});
        continue;
      }
      idx.mapped = true;
    } else {
      if (!read_pack_index(path.string(), &bytes, &why)) {
        m_rejected.push_back({path.string(), why});
        continue;
      }
      idx.data.assign(bytes.begin(), bytes.end());
      std::string().swap(bytes);
      idx.bytes = idx.data.data(); // a vector keeps its buffer when moved
      idx.size = idx.data.size();
    }
    const unsigned char* d = idx.bytes;
    // Checked by read_pack_index / map_pack_index: magic, version, fan-out, size; ids, CRCs and
    // 32-bit offsets fit; large offsets are bounds-checked on use.
    idx.count = load_be32(d + 8 + 255 * 4);
    idx.pack_path = fs::path(path).replace_extension(".pack").string();
    if (with_offsets)
      idx.offsets = offsets_of(idx.data, idx.count);
    m_packs.push_back(std::move(idx));
  }
}

const std::vector<std::uint64_t>& PackPositions::sorted_offsets(std::uint32_t pack) const
{
  return m_packs[pack].offsets;
}

std::optional<PackPositions::Position> PackPositions::find(const BlobId& id) const
{
  for (std::uint32_t p = 0; p < m_packs.size(); ++p) {
    const auto& idx = m_packs[p];
    const unsigned char* d = idx.bytes;
    const unsigned char first = id.bytes[0];
    std::uint32_t lo = first == 0 ? 0 : load_be32(d + 8 + (first - 1u) * 4);
    std::uint32_t hi = load_be32(d + 8 + first * 4u);
    if (hi > idx.count || lo > hi)
      continue;
    const unsigned char* ids = d + header_size;
    while (lo < hi) {
      std::uint32_t mid = lo + (hi - lo) / 2;
      int c = std::memcmp(ids + std::size_t{mid} * 20, id.bytes.data(), 20);
      if (c == 0) {
        auto off = object_offset(idx.bytes, idx.size, idx.count, mid);
        return off ? std::optional<Position>(Position{p, *off}) : std::nullopt;
      }
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  return std::nullopt;
}

} // namespace zenolint::source
