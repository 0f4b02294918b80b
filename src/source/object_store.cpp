#include "source/object_store.hpp"

#include "core/read_file.hpp"
#include "git/loose_object.hpp"
#include "source/objects.hpp"

#include <algorithm>
#include <cstring>

namespace zenolint::source {

namespace {

// git follows alternates of alternates this deep (sha1-file.c).
constexpr int max_alternate_depth = 5;
constexpr std::uint64_t max_loose_object = git::max_loose_object_size;

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
  auto object = std::make_shared<PackedObject>();
  git::LooseObject loose =
      git::inflate_loose_object(compressed.view(), m_max_object, [&](int type, std::uint64_t size) {
        object->type = type;
        object->data.allocate(static_cast<std::size_t>(size));
        return object->data.data();
      });
  if (loose.status == git::LooseObject::Status::too_large) {
    result.status = Status::too_large;
    result.declared_size = loose.size;
    return result;
  }
  if (loose.status != git::LooseObject::Status::ok) {
    result.status = Status::unreadable;
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
    for (const auto& line : git::alternates_entries(text)) {
      if (line[0] == '"' || depth + 1 > max_alternate_depth) {
        m_alternates_understood = false;
        continue;
      }
      std::string path = git::alternate_dir(dir, line);
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
      } else if (!dir.reader->corrupt().empty()) {
        result.status = Status::corrupt;
        result.why = dir.reader->corrupt();
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
