#pragma once
// One way to read a whole file that zenolint does not trust (.idx and .pack files, the index, rule
// files, alternates, the ignore file, baselines): opened with O_NONBLOCK so that a FIFO planted
// in its place never blocks the scan, accepted only when it is a regular file (a link to
// /dev/zero is a character device) of at most `limit` bytes, read through the descriptor that was
// checked (no check-then-open race).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <sys/stat.h>

namespace zenolint {

struct ReadFileError {
  bool missing = false;   // the file does not exist (ENOENT)
  bool too_large = false; // a regular file larger than the limit (not `prefix_only`)
  bool link = false;      // a symbolic link, refused (`follow_final_link` false)
  std::string
      message; // why not, without the path: "not a regular file", "larger than ...", strerror
};

struct ReadFileOptions {
  // false: a symbolic link as the last component is refused ("is a symbolic link"), never
  // followed (O_NOFOLLOW): working-tree files, hooks.
  bool follow_final_link = true;
  // A relative path is resolved from this directory descriptor (openat(2)); AT_FDCWD: the
  // current directory. A scan opens its files relative to the root it lists, so the kernel walks
  // only the components below it for each file.
  int dir_fd = -100; // AT_FDCWD
  // true: a file larger than `limit` gives its first `limit` bytes instead of an error.
  bool prefix_only = false;
  // When set, receives the fstat(2) of the descriptor that is read (valid when the open
  // succeeded): the working-tree scan compares it with the index entry's stat data.
  struct ::stat* stat_out = nullptr;
  // When set, a file larger than `head_bytes` is read in two steps: its first `head_bytes` are
  // passed to `want_rest`, and when that says false the read stops there (`*stopped_early` set,
  // the buffer holding only those bytes). A scan settles binary files by their first bytes and
  // need not copy the rest (ReadBuffer reads only).
  std::size_t head_bytes = 0;
  bool (*want_rest)(std::string_view head) = nullptr;
  bool* stopped_early = nullptr;
};

// Reads `path` whole into `out`: the one reader of untrusted files. Returns true on success; else
// false with `*error` (if given) saying why: a file larger than `limit`, also one that grows past
// it while being read, is an error unless `prefix_only`. A file is read as large as it was when
// opened (bytes appended meanwhile are not read), or to its end when its size is 0 (/proc) or
// the limit. Never throws for a bad file (std::bad_alloc aside).
bool read_regular_file(const std::string& path, std::uint64_t limit, std::string& out,
                       ReadFileError* error = nullptr, const ReadFileOptions& options = {});

// A reusable read buffer: grows, never shrinks, and is not zero-filled (a fresh, zeroed
// std::string per file was a tenth of a working-tree scan's CPU). Move-only.
class ReadBuffer {
public:
  std::string_view view() const { return {m_data.get(), m_size}; }
  std::size_t size() const { return m_size; }

  // Room for at least `n` bytes, never zero-filled: the first size() bytes are kept, the rest is
  // uninitialised. A scratch buffer (size() 0) is just grown.
  char* reserve(std::size_t n);

private:
  friend bool read_regular_file(const std::string&, std::uint64_t, ReadBuffer&, ReadFileError*,
                                const ReadFileOptions&);
  std::unique_ptr<char[]> m_data;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
};

// As above, into `out` (whose earlier content is gone). The hot path of working-tree scans.
bool read_regular_file(const std::string& path, std::uint64_t limit, ReadBuffer& out,
                       ReadFileError* error = nullptr, const ReadFileOptions& options = {});

// openat(2) of relative `path` below the directory `dir_fd` following no symbolic link in any
// component (openat2 with RESOLVE_NO_SYMLINKS: ELOOP when there is one), so a directory swapped
// for a link while a scan runs cannot lead it out of the tree. Where the kernel has no openat2
// (before 5.6), plain openat, whose O_NOFOLLOW guards the last component only. Returns the
// descriptor or -1 with errno set.
int open_below(int dir_fd, const char* path, int flags);

// Whether `path` is a directory, following links (stat(2)); false when it cannot be stat'ed.
bool is_dir(const std::string& path);

// Whether `path` is a regular file; `follow_final_link` false: a symbolic link is not one
// (lstat(2)). False when it cannot be stat'ed.
bool is_regular(const std::string& path, bool follow_final_link = true);

// Reads exactly `size` bytes at `offset` of `fd` into `out` (pread(2); short reads and EINTR
// continued); false on an error or end of file before `size` bytes.
bool pread_exact(int fd, void* out, std::size_t size, std::uint64_t offset);

// Opens `path` read-only, non-blocking while opening, and returns the descriptor when it is a
// regular file of at most `limit` bytes (its size in `*size`); else -1 with `*error` set. The
// caller owns the descriptor.
int open_regular_file(const std::string& path, std::uint64_t limit, std::uint64_t* size,
                      ReadFileError* error = nullptr, const ReadFileOptions& options = {});

} // namespace zenolint
