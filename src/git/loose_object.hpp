#pragma once
// Loose objects (`objects/ab/cdef...`: zlib over "<type> <size>\0<content>") read with certainty,
// and a libgit2 object-database backend that reads them that way.
//
// libgit2 1.5 must never inflate a loose file we have not checked: a truncated one makes it loop
// forever (libgit2 issue 7342, fixed upstream in 2026) and one whose content is longer than its
// header says makes it write past its buffer (issue 7177).
#include <cstdint>
#include <functional>
#include <git2.h>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::git {

// zlib counts output space in 32 bits.
inline constexpr std::uint64_t max_loose_object_size = UINT32_MAX;

struct LooseObject {
  enum class Status { ok, too_large, corrupt };
  Status status = Status::corrupt;
  int type = 0;              // 1 commit, 2 tree, 3 blob, 4 tag (from the header)
  std::uint64_t size = 0;    // declared in the header (when ok or too_large)
  const char* why = nullptr; // when corrupt: what is wrong, for a diagnostic
};

// Inflates `file` (a loose object file's bytes). The header must be "<commit|tree|blob|tag>
// <decimal size>", and the stream must end right after exactly `size` bytes of content. Objects
// declared larger than `max_size` (or than zlib could make of `file`) are refused from the header.
// `out(type, size)` is called once, after the header passed, and returns a buffer of `size` bytes
// that receives the content (its bytes are unspecified unless the result is ok). Never throws
// for bad data; `out` may throw (std::bad_alloc).
LooseObject inflate_loose_object(std::string_view file, std::uint64_t max_size,
                                 const std::function<char*(int type, std::uint64_t size)>& out);

// The entries of an objects directory's `info/alternates` text, in order, as written (a quoted
// entry keeps its quotes); empty and comment lines left out.
std::vector<std::string> alternates_entries(std::string_view text);
// An unquoted alternates entry of `objects_dir` as a directory path: a relative entry is
// relative to `objects_dir`; trailing slashes removed.
std::string alternate_dir(const std::string& objects_dir, const std::string& entry);

// Adds to `odb` (the object database of the repository whose objects directory is `objects_dir`)
// a backend that answers reads of every loose object in `objects_dir` and the alternates it names
// (as libgit2 follows them: 5 levels), checked with inflate_loose_object. It sits after the pack
// backends and before libgit2's loose backends, so packed objects are read as before and
// libgit2 only ever reads loose files that are absent. A corrupt loose object is an error
// ("loose object <id> is corrupt (<why>): <file>"), which libgit2 returns to the caller.
// Throws zenolint::Error when the backend cannot be added.
void add_checked_loose_backend(git_odb* odb, const std::string& objects_dir);

} // namespace zenolint::git
