// Archives (archive/archive.hpp) from hostile bytes, read twice: from memory (read(), the path of
// nested archives, history blobs and stdin) and streamed from a file descriptor (read_file(), the
// path of archive files in a working tree). Both must give the same members, entries, problems
// and counts: a difference aborts, so the fuzzer also checks that streaming changes nothing.
#include "archive/archive.hpp"
#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace zenolint;

namespace {

struct Seen {
  std::vector<std::string> events;
  archive::Counts counts;
};

archive::Visitor recorder(Seen& seen)
{
  archive::Visitor v;
  v.on_member = [&seen](const std::string& name, std::string& content) {
    seen.events.push_back("member " + name + " " + std::to_string(content.size()) + " " +
                          content.substr(0, 64));
  };
  v.on_entry = [&seen](const std::string& name, bool regular) {
    seen.events.push_back("entry " + name + (regular ? " file" : " other"));
  };
  v.on_problem = [&seen](const std::string& member, const std::string& message) {
    seen.events.push_back("problem " + member + ": " + message);
  };
  return v;
}

bool same_counts(const archive::Counts& a, const archive::Counts& b)
{
  return a.members == b.members && a.too_large == b.too_large && a.symlinks == b.symlinks &&
         a.skipped == b.skipped && a.stopped == b.stopped && a.opened == b.opened;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!archive::looks_like_archive(bytes))
    return 0;
  // Small limits so that bombs and the ratio guard are reached within the fuzzer's time.
  archive::Limits limits;
  limits.max_member_size = 1 << 20;
  limits.ratio_floor = 1 << 20;

  Seen from_memory;
  archive::Budget budget_memory;
  budget_memory.limit = 8 << 20;
  from_memory.counts = archive::read(bytes, "fuzz.tar.gz", limits, budget_memory,
                                     recorder(from_memory));

  static const std::string path = fuzz::scratch() / "archive";
  fuzz::write_file(path, bytes);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    std::abort();
  Seen streamed;
  archive::Budget budget_stream;
  budget_stream.limit = 8 << 20;
  streamed.counts =
      archive::read_file(fd, size, "fuzz.tar.gz", limits, budget_stream, recorder(streamed));
  ::close(fd);

  if (from_memory.events != streamed.events || !same_counts(from_memory.counts, streamed.counts)) {
    std::fprintf(stderr, "archive: read() and read_file() differ (%zu and %zu events)\n",
                 from_memory.events.size(), streamed.events.size());
    for (std::size_t i = 0; i < std::max(from_memory.events.size(), streamed.events.size()); ++i)
      std::fprintf(stderr, "  %s | %s\n",
                   i < from_memory.events.size() ? from_memory.events[i].c_str() : "-",
                   i < streamed.events.size() ? streamed.events[i].c_str() : "-");
    std::abort();
  }
  return 0;
}
