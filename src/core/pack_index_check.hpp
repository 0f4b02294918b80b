#pragma once
// Validation of a git pack index (.idx, version 2) before anything uses it: our own pack reader,
// and libgit2, which crashes on an index whose fan-out claims more objects than the file holds
// (libgit2 1.5 computes the expected size in 32 bits). Only regular files are read (a .idx that is
// a link to /dev/zero or a FIFO is refused without reading or blocking), and only after the size
// the fan-out implies has been compared with the file's size.
#include <cstdint>
#include <string>

namespace zenolint {

// The largest .idx accepted: 36 bytes per object, so about 119 million objects.
constexpr std::uint64_t max_pack_index_size = std::uint64_t{4} << 30;

// Reads and checks the .idx at `path`: a regular file, magic and version 2, a monotonic fan-out,
// and a size between what its object count needs (ids, CRCs, 32-bit offsets, two checksums) and
// that plus one 64-bit offset per object. On success returns true and, when `data` is given,
// the file's bytes in it. Else false with the reason in `*why` (without the path).
bool read_pack_index(const std::string& path, std::string* data, std::string* why);

// The checks above on an index already in memory: `head` is its first 8 + 256 * 4 bytes (magic,
// version, fan-out) and `size` the file's size (at least 8 + 256 * 4 + 40 bytes).
bool check_pack_index_header(const unsigned char* head, std::uint64_t size, std::string* why);

} // namespace zenolint
