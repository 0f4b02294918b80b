#include "git/loose_object.hpp"

#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <memory>
#include <new>
#include <vector>
#include <zlib.h>

namespace zenolint::git {

namespace {

class ZStream {
public:
  ZStream() { m_ok = inflateInit(&m_z) == Z_OK; }
  ~ZStream()
  {
    if (m_ok)
      inflateEnd(&m_z);
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;
  bool ok() const { return m_ok; }
  z_stream* get() { return &m_z; }

private:
  z_stream m_z{};
  bool m_ok = false;
};

int type_of(std::string_view name)
{
  if (name == "commit")
    return 1;
  if (name == "tree")
    return 2;
  if (name == "blob")
    return 3;
  if (name == "tag")
    return 4;
  return 0;
}

// Parses a loose object's header "<type> <decimal size>"; false when it is not one.
bool parse_loose_header(std::string_view header, int& type, std::uint64_t& size)
{
  std::size_t sp = header.find(' ');
  if (sp == std::string_view::npos)
    return false;
  type = type_of(header.substr(0, sp));
  std::string_view digits = header.substr(sp + 1);
  if (type == 0 || digits.empty() || digits.size() > 19 || (digits.size() > 1 && digits[0] == '0'))
    return false;
  size = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return false;
    size = size * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

} // namespace

LooseObject inflate_loose_object(std::string_view file, std::uint64_t max_size,
                                 const std::function<char*(int type, std::uint64_t size)>& out)
{
  LooseObject result;
  ZStream zs;
  if (!zs.ok()) {
    result.why = "zlib cannot start";
    return result;
  }
  z_stream* z = zs.get();
  if (file.size() > UINT32_MAX) {
    result.why = "file too large";
    return result;
  }
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data()));
  z->avail_in = static_cast<uInt>(file.size());
  // The header ("blob 1234\0") first: at most 32 bytes for any valid one.
  char head[64];
  z->next_out = reinterpret_cast<Bytef*>(head);
  z->avail_out = sizeof head;
  int rc = inflate(z, Z_SYNC_FLUSH);
  if (rc != Z_OK && rc != Z_STREAM_END) {
    result.why = "not a zlib stream";
    return result;
  }
  const std::size_t produced = sizeof head - z->avail_out;
  const char* nul = static_cast<const char*>(std::memchr(head, '\0', produced));
  int type = 0;
  std::uint64_t size = 0;
  if (!nul || !parse_loose_header(std::string_view(head, static_cast<std::size_t>(nul - head)),
                                  type, size)) {
    result.why = "bad object header";
    return result;
  }
  result.type = type;
  result.size = size;
  if (size > max_size) {
    result.status = LooseObject::Status::too_large;
    return result;
  }
  if (size > max_loose_object_size || size > (file.size() + 64) * 1100) {
    result.why = "header declares more than the file can hold";
    return result;
  }
  const std::size_t already = produced - static_cast<std::size_t>(nul + 1 - head);
  if (already > size) {
    result.why = "content longer than its header says";
    return result;
  }
  char* data = out(type, size);
  std::memcpy(data, nul + 1, already);
  if (rc != Z_STREAM_END && size > already) {
    z->next_out = reinterpret_cast<Bytef*>(data + already);
    z->avail_out = static_cast<uInt>(size - already);
    rc = inflate(z, Z_SYNC_FLUSH);
    if ((rc != Z_OK && rc != Z_STREAM_END) || z->avail_out != 0) {
      result.why = rc == Z_BUF_ERROR || rc == Z_OK || rc == Z_STREAM_END
                       ? "truncated: content shorter than its header says"
                       : "zlib data error";
      return result;
    }
  } else if (size > already) {
    result.why = "content shorter than its header says";
    return result;
  }
  if (rc != Z_STREAM_END) {
    // Exactly `size` bytes so far: the stream must end here, with nothing more to give.
    char extra[1];
    z->next_out = reinterpret_cast<Bytef*>(extra);
    z->avail_out = 1;
    rc = inflate(z, Z_FINISH);
    if (rc != Z_STREAM_END || z->avail_out != 1) {
      result.why = z->avail_out != 1 ? "content longer than its header says"
                                     : "truncated: the zlib stream does not end";
      return result;
    }
  }
  result.status = LooseObject::Status::ok;
  return result;
}

std::vector<std::string> alternates_entries(std::string_view text)
{
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line[0] != '#')
      out.emplace_back(line);
  }
  return out;
}

std::string alternate_dir(const std::string& objects_dir, const std::string& entry)
{
  std::string path = !entry.empty() && entry[0] == '/' ? entry : objects_dir + "/" + entry;
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  return path;
}

namespace {

// git follows alternates of alternates this deep (sha1-file.c; libgit2 the same).
constexpr int max_alternate_depth = 5;

struct CheckedLoose {
  git_odb_backend parent; // first: libgit2 passes a pointer to it
  std::vector<std::string> dirs;
};

// The objects directories whose loose files libgit2 would read: `objects` and its alternates.
std::vector<std::string> loose_dirs(std::string objects)
{
  while (objects.size() > 1 && objects.back() == '/')
    objects.pop_back();
  std::vector<std::pair<std::string, int>> todo{{objects, 0}};
  std::vector<std::string> dirs;
  for (std::size_t next = 0; next < todo.size(); ++next) {
    auto [dir, depth] = todo[next];
    if (std::find(dirs.begin(), dirs.end(), dir) != dirs.end())
      continue;
    dirs.push_back(dir);
    std::string text;
    if (depth >= max_alternate_depth || !read_regular_file(dir + "/info/alternates", 1 << 20, text))
      continue;
    for (const auto& entry : alternates_entries(text))
      todo.emplace_back(alternate_dir(dir, entry), depth + 1);
  }
  return dirs;
}

// Reads the loose file of `hex` (40 digits) from the first directory that has one: 0, a
// libgit2 error naming the object and file, or GIT_ENOTFOUND.
int read_checked(CheckedLoose& self, const char* hex, void** data, size_t* len, git_object_t* type)
{
  const std::string name = std::string(hex, 2) + "/" + std::string(hex + 2);
  std::string file;
  for (const auto& dir : self.dirs) {
    const std::string path = dir + "/" + name;
    ReadFileError err;
    // zlib cannot shrink data by more than about 1032:1: a larger file is not a loose object.
    if (!read_regular_file(path, max_loose_object_size + (1u << 20), file, &err)) {
      if (err.missing)
        continue;
      std::string message = "loose object " + std::string(hex) + " cannot be read: " + path;
      git_error_set_str(GIT_ERROR_ODB, message.c_str());
      return GIT_ERROR;
    }
    void* buffer = nullptr;
    LooseObject obj;
    try {
      obj = inflate_loose_object(file, max_loose_object_size, [&](int, std::uint64_t size) {
        // One byte more, as libgit2's own reader does: its callers may expect a terminating NUL.
        buffer = git_odb_backend_data_alloc(&self.parent, static_cast<std::size_t>(size) + 1);
        if (!buffer)
          throw std::bad_alloc();
        static_cast<char*>(buffer)[size] = '\0';
        return static_cast<char*>(buffer);
      });
    } catch (const std::bad_alloc&) {
      git_error_set_oom();
      return GIT_ERROR;
    }
    if (obj.status != LooseObject::Status::ok) {
      if (buffer)
        git_odb_backend_data_free(&self.parent, buffer);
      std::string message = "loose object " + std::string(hex) + " is corrupt (" +
                            (obj.why ? obj.why : "too large") + "): " + path;
      git_error_set_str(GIT_ERROR_ODB, message.c_str());
      return GIT_ERROR;
    }
    *data = buffer;
    *len = static_cast<std::size_t>(obj.size);
    *type = static_cast<git_object_t>(obj.type);
    return 0;
  }
  return GIT_ENOTFOUND;
}

int checked_read(void** data, size_t* len, git_object_t* type, git_odb_backend* backend,
                 const git_oid* oid)
{
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  return read_checked(*reinterpret_cast<CheckedLoose*>(backend), hex, data, len, type);
}

// Abbreviated ids (`--range abc1234..`): libgit2 asks every backend, so its own loose backend
// would still read a corrupt match; an error from here stops it first. A valid match is
// answered (libgit2's loose backend then finds the same object: not ambiguous).
int checked_read_prefix(git_oid* out, void** data, size_t* len, git_object_t* type,
                        git_odb_backend* backend, const git_oid* short_id, size_t prefix_len)
{
  auto& self = *reinterpret_cast<CheckedLoose*>(backend);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, short_id);
  if (prefix_len >= GIT_OID_HEXSZ) {
    git_oid_cpy(out, short_id);
    return read_checked(self, hex, data, len, type);
  }
  if (prefix_len < 2)
    return GIT_PASSTHROUGH;
  const std::string prefix(hex, prefix_len);
  std::string match;
  for (const auto& dir : self.dirs) {
    Fd fd(::open((dir + "/" + prefix.substr(0, 2)).c_str(),
                 O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC));
    if (!fd)
      continue;
    DIR* d = ::fdopendir(fd.get());
    if (!d)
      continue;
    fd.release();
    std::unique_ptr<DIR, int (*)(DIR*)> owned(d, ::closedir);
    while (dirent* e = ::readdir(d)) {
      std::string full = prefix.substr(0, 2) + e->d_name;
      if (full.size() != GIT_OID_HEXSZ || full.compare(0, prefix.size(), prefix) != 0)
        continue;
      if (!match.empty() && match != full)
        return GIT_PASSTHROUGH; // ambiguous: libgit2 says so
      match = full;
    }
  }
  if (match.empty())
    return GIT_ENOTFOUND;
  if (git_oid_fromstrn(out, match.c_str(), match.size()) < 0)
    return GIT_PASSTHROUGH;
  return read_checked(self, match.c_str(), data, len, type);
}

// libgit2 calls every backend's foreach without looking: its own loose backend lists these.
int checked_foreach(git_odb_backend*, git_odb_foreach_cb, void*)
{
  return 0;
}

void checked_free(git_odb_backend* backend)
{
  delete reinterpret_cast<CheckedLoose*>(backend);
}

} // namespace

void add_checked_loose_backend(git_odb* odb, const std::string& objects_dir)
{
  auto* self = new CheckedLoose{};
  if (git_odb_init_backend(&self->parent, GIT_ODB_BACKEND_VERSION) < 0) {
    delete self;
    throw Error("cannot set up the loose object reader");
  }
  self->parent.read = checked_read;
  self->parent.read_prefix = checked_read_prefix;
  self->parent.foreach = checked_foreach;
  self->parent.free = checked_free;
  self->dirs = loose_dirs(objects_dir);
  // Priority 2, added last: libgit2 sorts its backends stably by priority, so this one comes
  // after the pack backends (2) and before the loose ones (1).
  if (git_odb_add_backend(odb, &self->parent, 2) < 0) {
    delete self;
    throw Error("cannot add the loose object reader: " +
                std::string(git_error_last() ? git_error_last()->message : "unknown error"));
  }
}

} // namespace zenolint::git
