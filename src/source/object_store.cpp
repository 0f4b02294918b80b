#include "source/object_store.hpp"

#include "core/read_file.hpp"
#include "source/objects.hpp"

#include <algorithm>
#include <cstring>
#include <zlib.h>

namespace zenolint::source {

namespace {

// git follows alternates of alternates this deep (sha1-file.c).
constexpr int max_alternate_depth = 5;
// zlib counts output space in 32 bits.
constexpr std::uint64_t max_loose_object = UINT32_MAX;

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

const char* object_type_name(int type)
{
  switch (type) {
  case 1:
    return "commit";
  case 2:
    return "tree";
  case 3:
    return "blob";
  case 4:
    return "tag";
  default:
    return "";
  }
}

struct ObjectStore::Dir {
  std::string path; // an objects directory, without a trailing '/'
  bool packs_loaded = false;
  std::shared_ptr<const PackPositions> positions;
  std::unique_ptr<PackReader> reader;
};

ObjectStore::ObjectStore(std::string objects_dir, std::uint64_t max_object_size)
    : m_max_object(max_object_size)
{
  while (objects_dir.size() > 1 && objects_dir.back() == '/')
    objects_dir.pop_back();
  auto dir = std::make_unique<Dir>();
  dir->path = std::move(objects_dir);
  m_dirs.push_back(std::move(dir));
}

ObjectStore::~ObjectStore() = default;

ObjectStore::Result ObjectStore::read_loose(Dir& dir, const BlobId& id, bool& found)
{
  Result result;
  const std::string hex = id.hex();
  const std::string path = dir.path + "/" + hex.substr(0, 2) + "/" + hex.substr(2);
  // zlib cannot shrink data by more than about 1032:1, nor grow it by more than a little: a
  // loose file larger than this cannot hold an object we would accept.
  const std::uint64_t limit = std::min(m_max_object, max_loose_object) + (1u << 20);
  ReadBuffer& compressed = m_compressed; // reused: a history scan may read many loose objects
  ReadFileError err;
  found = true;
  if (!read_regular_file(path, limit, compressed, &err)) {
    if (err.missing) {
      found = false;
      return result;
    }
    result.status = Status::unreadable; // a directory, a FIFO, too large: libgit2 says
    return result;
  }
  ++m_loose_reads;
  result.status = Status::unreadable;
  ZStream zs;
  if (!zs.ok())
    return result;
  z_stream* z = zs.get();
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.view().data()));
  z->avail_in = static_cast<uInt>(compressed.size());
  // The header ("blob 1234\0") first: at most 32 bytes for any valid one.
  char head[64];
  z->next_out = reinterpret_cast<Bytef*>(head);
  z->avail_out = sizeof head;
  int rc = inflate(z, Z_SYNC_FLUSH);
  if (rc != Z_OK && rc != Z_STREAM_END)
    return result;
  const std::size_t produced = sizeof head - z->avail_out;
  const char* nul = static_cast<const char*>(std::memchr(head, '\0', produced));
  if (!nul)
    return result;
  int type = 0;
  std::uint64_t size = 0;
  if (!parse_loose_header(std::string_view(head, static_cast<std::size_t>(nul - head)), type, size))
    return result;
  if (size > m_max_object) {
    result.status = Status::too_large;
    result.declared_size = size;
    return result;
  }
  if (size > max_loose_object || size > (compressed.size() + 64) * 1100)
    return result; // more than zlib can make of the file: corrupt
  const std::size_t already = produced - static_cast<std::size_t>(nul + 1 - head);
  if (already > size)
    return result;
  auto object = std::make_shared<PackedObject>();
  object->type = type;
  object->data.allocate(static_cast<std::size_t>(size));
  std::memcpy(object->data.data(), nul + 1, already);
  if (rc != Z_STREAM_END && size > already) {
    z->next_out = reinterpret_cast<Bytef*>(object->data.data() + already);
    z->avail_out = static_cast<uInt>(size - already);
    rc = inflate(z, Z_SYNC_FLUSH);
    if ((rc != Z_OK && rc != Z_STREAM_END) || z->avail_out != 0)
      return result;
  }
  if (rc != Z_STREAM_END) {
    // Exactly `size` bytes so far: the stream must end here, with nothing more to give.
    char extra[1];
    z->next_out = reinterpret_cast<Bytef*>(extra);
    z->avail_out = 1;
    rc = inflate(z, Z_FINISH);
    if (rc != Z_STREAM_END || z->avail_out != 1)
      return result;
  }
  result.status = Status::ok;
  result.object = std::move(object);
  return result;
}

void ObjectStore::load_alternates()
{
  m_alternates_loaded = true;
  // Breadth-first from the repository's own directory; relative entries are relative to the
  // objects directory that names them; quoted entries are not understood (git unquotes C-style).
  std::vector<std::pair<std::string, int>> todo{{m_dirs.front()->path, 0}};
  for (std::size_t next = 0; next < todo.size(); ++next) {
    auto [dir, depth] = todo[next];
    std::string text;
    ReadFileError err;
    if (!read_regular_file(dir + "/info/alternates", 1 << 20, text, &err)) {
      if (!err.missing)
        m_alternates_understood = false;
      continue;
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      pos = nl == std::string::npos ? text.size() : nl + 1;
      if (line.empty() || line[0] == '#')
        continue;
      if (line[0] == '"' || depth + 1 > max_alternate_depth) {
        m_alternates_understood = false;
        continue;
      }
      std::string path = line[0] == '/' ? line : dir + "/" + line;
      while (path.size() > 1 && path.back() == '/')
        path.pop_back();
      bool seen =
          std::any_of(m_dirs.begin(), m_dirs.end(), [&](const auto& d) { return d->path == path; });
      if (seen)
        continue;
      auto d = std::make_unique<Dir>();
      d->path = path;
      m_dirs.push_back(std::move(d));
      todo.emplace_back(path, depth + 1);
    }
  }
}

ObjectStore::Result ObjectStore::read(const BlobId& id)
{
  bool unsure = false; // an index was rejected somewhere: "missing" could be wrong
  for (std::size_t i = 0; i < m_dirs.size(); ++i) {
    Dir& dir = *m_dirs[i];
    bool found = false;
    Result loose = read_loose(dir, id, found);
    if (found)
      return loose;
    if (!dir.packs_loaded) {
      dir.packs_loaded = true;
      dir.positions = std::make_shared<const PackPositions>(dir.path, PackPositions::Mapped{});
      dir.reader = std::make_unique<PackReader>(dir.positions, std::size_t{8} << 20,
                                                std::min(m_max_object, max_loose_object));
    }
    unsure = unsure || !dir.positions->rejected().empty();
    if (dir.positions->find(id)) {
      ++m_pack_reads;
      Result result;
      std::uint64_t too_large = 0;
      result.object = dir.reader->read(id, &too_large);
      if (result.object) {
        result.status = Status::ok;
      } else if (too_large > 0) {
        result.status = Status::too_large;
        result.declared_size = too_large;
      } else {
        result.status = Status::unreadable;
      }
      return result;
    }
    if (i == 0 && !m_alternates_loaded)
      load_alternates();
  }
  Result result;
  result.status = unsure || !m_alternates_understood ? Status::unreadable : Status::missing;
  return result;
}

} // namespace zenolint::source
