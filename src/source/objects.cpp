#include "source/objects.hpp"

#include "core/bytes.hpp"
#include "core/pack_index_check.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace zenolint::source {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t header_size = 8 + 256 * 4;

// Pack offset of the index's i-th object; nullopt when its 64-bit offset lies outside the index.
std::optional<std::uint64_t> object_offset(const std::vector<unsigned char>& data,
                                           std::uint32_t count, std::uint32_t i)
{
  const unsigned char* offsets = data.data() + header_size + std::size_t{count} * 24;
  std::uint64_t off = load_be32(offsets + std::size_t{i} * 4);
  if (!(off & 0x80000000u))
    return off;
  std::size_t large = header_size + std::size_t{count} * 28 + (off & 0x7fffffffu) * 8;
  if (large + 8 > data.size())
    return std::nullopt;
  return load_be64(data.data() + large);
}

std::vector<std::uint64_t> offsets_of(const std::vector<unsigned char>& data, std::uint32_t count)
{
  std::vector<std::uint64_t> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i)
    if (auto off = object_offset(data, count, i)) // unusable entries: reads fall back to libgit2
      out.push_back(*off);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

PackPositions::PackPositions(const std::string& objects_dir, bool with_offsets)
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
    if (!read_pack_index(path.string(), &bytes, &why)) {
      m_rejected.push_back({path.string(), why});
      continue;
    }
    PackIndex idx;
    idx.data.assign(bytes.begin(), bytes.end());
    std::string().swap(bytes);
    const auto& d = idx.data;
    if (d.size() < header_size || std::memcmp(d.data(), "\377tOc", 4) != 0 ||
        load_be32(d.data() + 4) != 2)
      continue;
    idx.count = load_be32(d.data() + 8 + 255 * 4);
    idx.pack_path = fs::path(path).replace_extension(".pack").string();
    // ids, CRCs, 32-bit offsets must fit; large offsets are bounds-checked on use.
    if (d.size() < header_size + std::uint64_t{idx.count} * 28)
      continue;
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
    const unsigned char* d = idx.data.data();
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
        auto off = object_offset(idx.data, idx.count, mid);
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
