#include "core/pack_index_check.hpp"

#include "core/bytes.hpp"
#include "core/fd.hpp"
#include "core/read_file.hpp"

#include <cstring>

namespace zenolint {
namespace {

bool fail(std::string* why, std::string message)
{
  if (why)
    *why = std::move(message);
  return false;
}

} // namespace

bool check_pack_index_header(const unsigned char* head, std::uint64_t size, std::string* why)
{
  constexpr std::size_t header = 8 + 256 * 4;
  if (std::memcmp(head, "\377tOc", 4) != 0 || load_be32(head + 4) != 2)
    return fail(why, "not a version 2 pack index");
  std::uint32_t previous = 0;
  for (int i = 0; i < 256; ++i) {
    std::uint32_t n = load_be32(head + 8 + i * 4);
    if (n < previous)
      return fail(why, "pack index fan-out is not monotonic");
    previous = n;
  }
  const std::uint64_t count = previous;
  const std::uint64_t min_size = header + count * 28 + 40;
  const std::uint64_t max_size = min_size + count * 8;
  if (size < min_size || size > max_size)
    return fail(why, "pack index claims " + std::to_string(count) + " objects, which need " +
                         std::to_string(min_size) + " bytes, but has " + std::to_string(size));
  return true;
}

bool read_pack_index(const std::string& path, std::string* data, std::string* why)
{
  constexpr std::size_t header = 8 + 256 * 4;
  ReadFileError err;
  std::uint64_t size = 0;
  Fd fd(open_regular_file(path, max_pack_index_size, &size, &err));
  if (!fd)
    return fail(why, err.message);
  if (size < header + 40)
    return fail(why, "truncated pack index (" + std::to_string(size) + " bytes)");
  unsigned char head[header];
  if (!pread_exact(fd.get(), head, header, 0))
    return fail(why, "cannot read pack index header");
  if (!check_pack_index_header(head, size, why))
    return false;
  if (!data)
    return true;
  data->resize(static_cast<std::size_t>(size));
  if (!pread_exact(fd.get(), data->data(), static_cast<std::size_t>(size), 0))
    return fail(why, "cannot read pack index");
  return true;
}

} // namespace zenolint
