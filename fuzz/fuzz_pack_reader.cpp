// The own pack reader (source/pack_reader) and the pack resolver (source/pack_resolver) on a
// hostile .idx + .pack pair, and git delta application on hostile deltas.
//
// Input: 4-byte little-endian length L, L bytes of .idx, then the .pack. Every id the .idx names
// (at most 4096) is read by the reader, then all of them at once by the resolver. L == 0xFFFFFFFF
// instead selects delta mode: 4-byte little-endian base length B, B bytes of base, then the delta
// for apply_git_delta.
#include "fuzz_support.hpp"
#include "source/pack_reader.hpp"
#include "source/pack_resolver.hpp"

#include <algorithm>
#include <cstring>

using namespace zenolint;

namespace {

void fuzz_delta(const std::uint8_t* data, std::size_t size)
{
  if (size < 4)
    return;
  std::uint32_t base_len = fuzz::le32(data);
  data += 4;
  size -= 4;
  if (base_len > size)
    return;
  std::string_view base(reinterpret_cast<const char*>(data), base_len);
  std::string_view delta(reinterpret_cast<const char*>(data) + base_len, size - base_len);
  source::Bytes out;
  if (source::apply_git_delta(base, delta, out)) {
    volatile char sink = 0;
    for (char c : out.view())
      sink = sink ^ c;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size < 4)
    return 0;
  std::uint32_t idx_len = fuzz::le32(data);
  if (idx_len == 0xFFFFFFFFu) {
    fuzz_delta(data + 4, size - 4);
    return 0;
  }
  if (idx_len > size - 4)
    return 0;
  const std::uint8_t* idx = data + 4;
  std::string_view idx_bytes(reinterpret_cast<const char*>(idx), idx_len);
  std::string_view pack_bytes(reinterpret_cast<const char*>(idx) + idx_len, size - 4 - idx_len);
  static const std::string objects = fuzz::scratch() / "objects";
  fuzz::write_file(objects + "/pack/pack-fuzz.idx", idx_bytes);
  fuzz::write_file(objects + "/pack/pack-fuzz.pack", pack_bytes);

  source::PackReader reader(objects, 1u << 20);
  // The ids of an .idx v2: magic, version, 256 fan-out words, then the sorted 20-byte names.
  const std::size_t names_at = 8 + 256 * 4;
  if (idx_len < names_at)
    return 0;
  std::size_t count = fuzz::be32(idx + names_at - 4);
  count = std::min<std::size_t>({count, (idx_len - names_at) / 20, 4096});
  volatile std::size_t sink = 0;
  std::vector<BlobId> ids;
  for (std::size_t i = 0; i < count; ++i) {
    BlobId id;
    std::memcpy(id.bytes.data(), idx + names_at + 20 * i, 20);
    ids.push_back(id);
    if (auto obj = reader.read(id))
      sink = sink + obj->data.size() + static_cast<std::size_t>(obj->type);
  }
  source::PackPositions positions(objects, true);
  source::ResolveLimits limits;
  limits.max_object_size = 1u << 20;
  limits.max_held_bytes = 4u << 20;
  std::vector<Diagnostic> diagnostics;
  source::resolve_packed_objects(
      positions, ids, 1, limits,
      [&](std::size_t, int type, std::string_view data, unsigned) {
        sink = sink + data.size() + static_cast<std::size_t>(type);
      },
      diagnostics);
  return 0;
}
