#pragma once
// Writing an output file so that a failure never destroys what was there: the content goes to a
// fresh temporary file in the target's directory, is flushed to disk, and only then renamed over
// the target. A reader (or a later run) sees either the complete old file or the complete new one.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace zenolint {

// Replaces `path` with `content`, atomically:
// - the temporary file is created next to `path` (`.NAME.zenolint-XXXXXX`) with
//   O_CREAT|O_EXCL|O_NOFOLLOW, so it never reuses or follows an existing name;
// - a new file gets `mode` as filtered by the umask; an existing regular file keeps its permission
//   bits, narrowed to `mode` (a report asked for with 0600 turns an existing 0644 file into 0600;
//   an existing 0600 file never becomes wider);
// - the data and then the directory are fsync'ed; rename(2) replaces `path`. A symbolic link at
//   `path` is replaced by the file, never followed; a directory or block device at `path` is an
//   error.
// - Exceptions, where there is nothing to replace: a character device, FIFO or socket at `path`
//   (/dev/null, /dev/full, a named pipe), and a symbolic link under /dev/ or /proc/ (/dev/stdout,
//   /dev/fd/N, /proc/self/fd/N), are opened and written in place (a link followed; a regular
//   file behind one is appended to, as the shell prepared it). A FIFO without a reader is an
//   error, not a wait. Such a write is not atomic.
// Throws zenolint::Error naming `path` on any failure, after removing the temporary file; `path`
// is then unchanged.
void write_file_atomically(const std::string& path, std::string_view content, mode_t mode = 0666);

// Same, with the content produced by `produce` into a memory buffer first. If `produce` throws,
// nothing is written and the exception propagates unchanged.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& produce, mode_t mode = 0666);

} // namespace zenolint
