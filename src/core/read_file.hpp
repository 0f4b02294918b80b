#pragma once
// One way to read a whole file that zenolint does not trust (.idx and .pack files, the index, rule
// files, alternates, the ignore file, baselines): opened with O_NONBLOCK so that a FIFO planted
// in its place never blocks the scan, accepted only when it is a regular file (a link to
// /dev/zero is a character device) of at most `limit` bytes, read through the descriptor that was
// checked (no check-then-open race).
#include <cstdint>
#include <string>

namespace zenolint {

struct ReadFileError {
  bool missing = false; // the file does not exist (ENOENT)
  std::string
      message; // why not, without the path: "not a regular file", "larger than ...", strerror
};

struct ReadFileOptions {
  // false: a symbolic link as the last component is refused ("is a symbolic link"), never
  // followed (O_NOFOLLOW): working-tree files, hooks.
  bool follow_final_link = true;
  // true: a file larger than `limit` gives its first `limit` bytes instead of an error.
  bool prefix_only = false;
};

// Reads `path` whole into `out`: the one reader of untrusted files. Returns true on success; else
// false with `*error` (if given) saying why: a file larger than `limit`, also one that grows past
// it while being read, is an error unless `prefix_only`. Never throws for a bad file
// (std::bad_alloc aside).
bool read_regular_file(const std::string& path, std::uint64_t limit, std::string& out,
                       ReadFileError* error = nullptr, const ReadFileOptions& options = {});

// Opens `path` read-only, non-blocking while opening, and returns the descriptor when it is a
// regular file of at most `limit` bytes (its size in `*size`); else -1 with `*error` set. The
// caller owns the descriptor.
int open_regular_file(const std::string& path, std::uint64_t limit, std::uint64_t* size,
                      ReadFileError* error = nullptr, const ReadFileOptions& options = {});

} // namespace zenolint
