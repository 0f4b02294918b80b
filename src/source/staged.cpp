#include "source/staged.hpp"

#include "core/error.hpp"
#include "core/phases.hpp"
#include "git/git.hpp"
#include "source/git_layout.hpp"
#include "source/index_file.hpp"
#include "source/object_store.hpp"
#include "source/tree_data.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace zenolint::source {

namespace {

namespace fs = std::filesystem;

std::string not_a_repository(const std::string& path)
{
  return path + ": not inside a git repository (--staged needs one)";
}

// The repository of `path`, or the one `env` names. Opened without GIT_REPOSITORY_OPEN_FROM_ENV:
// libgit2 1.5 refuses GIT_WORK_TREE there ("unimplemented"), and it would load GIT_INDEX_FILE's
// index at once (checksum, an allocation per entry), the cost the fast path avoids.
std::optional<git::Repository> open_repository(const std::string& path, const GitEnvironment& env)
{
  std::string work_tree;
  if (!env.work_tree.empty()) {
    work_tree = fs::absolute(env.work_tree).lexically_normal().string();
    if (work_tree.back() != '/')
      work_tree += '/';
  }
  if (!env.git_dir.empty())
    return git::open(env.git_dir, work_tree);
  auto repo = git::discover(path);
  if (repo && !work_tree.empty())
    git::check(git_repository_set_workdir(repo->get(), work_tree.c_str(), 0),
               "setting the work tree to " + work_tree);
  return repo;
}

bool same_id(const unsigned char* a, const RawObjectId& b)
{
  return std::memcmp(a, b.data(), b.size()) == 0;
}

// Thrown inside the fast path when an object is not read with certainty: the caller falls back.
struct NotUnderstood {
  std::string why;
};

// One of HEAD's trees, read by the own object store and parsed once.
struct OwnTree {
  SharedPacked object; // owns the bytes the entries point into
  std::vector<RawTreeEntry> entries;
  std::vector<std::uint32_t> modes;
};

std::uint32_t parse_mode(std::string_view mode)
{
  std::uint32_t m = 0;
  for (char c : mode) {
    if (c < '0' || c > '7' || m > 0777777)
      throw NotUnderstood{"tree entry mode " + std::string(mode)};
    m = m * 8 + static_cast<std::uint32_t>(c - '0');
  }
  // As git compares modes (canon_mode): a regular file is 100644 or 100755 whatever other bits an
  // old tree recorded.
  if ((m & 0170000) == 0100000)
    return (m & 0111) ? 0100755 : 0100644;
  return m;
}

std::shared_ptr<const OwnTree> read_tree(ObjectStore& store, const unsigned char* raw_id,
                                         const std::string& where)
{
  BlobId id;
  std::memcpy(id.bytes.data(), raw_id, 20);
  auto r = store.read(id);
  if (r.status != ObjectStore::Status::ok || r.object->type != 2)
    throw NotUnderstood{"HEAD's tree at " + (where.empty() ? std::string("/") : where) +
                        " not read by the own object reader"};
  auto tree = std::make_shared<OwnTree>();
  tree->object = r.object;
  std::string_view data = tree->object->data.view();
  RawTreeEntry e;
  for (;;) {
    TreeParse p = next_tree_entry(data, e);
    if (p == TreeParse::end)
      break;
    if (p == TreeParse::corrupt)
      throw NotUnderstood{"HEAD's tree at " + where + " does not parse"};
    tree->entries.push_back(e);
    tree->modes.push_back(parse_mode(e.mode));
  }
  return tree;
}

// Merges index entries with HEAD's tree one directory at a time. A directory whose cached tree is
// valid, covers the same entries and has HEAD's subtree id is skipped without reading any object.
class IndexTreeDiff {
public:
  IndexTreeDiff(ObjectStore& store, const std::vector<IndexEntry>& entries,
                std::vector<ObjectRef>& out)
      : m_store(store), m_entries(entries), m_out(out)
  {}

  // `head_id`: HEAD's root tree, or null on an unborn branch.
  void run(const unsigned char* head_id, const CachedTree* cache)
  {
    if (head_id && unchanged(cache, head_id, m_entries.size()))
      return;
    std::shared_ptr<const OwnTree> root;
    if (head_id)
      root = read_tree(m_store, head_id, "");
    walk(std::move(root), cache);
  }

private:
  static bool unchanged(const CachedTree* cache, const unsigned char* head_id, std::size_t count)
  {
    return cache && cache->entry_count >= 0 &&
           static_cast<std::size_t>(cache->entry_count) == count && head_id &&
           same_id(head_id, cache->id);
  }

  // One directory being merged: entries [i, end) all start with the prefix up to prefix_size
  // ("" or "dir/sub/"); `head` is HEAD's tree at that directory or null when HEAD has none
  // there; `t` is the next HEAD entry to compare.
  struct Frame {
    std::shared_ptr<const OwnTree> head;
    const CachedTree* cache = nullptr;
    std::size_t i = 0, end = 0, t = 0, prefix_size = 0;
  };

  // Depth-first over the directories, with an explicit stack: a staged path may be 30,000
  // directories deep (git accepts it), far more than the call stack holds.
  void walk(std::shared_ptr<const OwnTree> root, const CachedTree* root_cache)
  {
    std::string prefix;
    std::vector<Frame> stack;
    stack.push_back(Frame{std::move(root), root_cache, 0, m_entries.size(), 0, 0});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.i >= f.end) {
        std::size_t done = f.end;
        stack.pop_back();
        if (!stack.empty()) {
          stack.back().i = done;
          prefix.resize(stack.back().prefix_size);
        }
        continue;
      }
      const IndexEntry& e = m_entries[f.i];
      std::string_view rest = e.path.substr(prefix.size());
      std::size_t slash = rest.find('/');
      bool is_dir = slash != std::string_view::npos;
      std::string_view name = is_dir ? rest.substr(0, slash) : rest;

      const RawTreeEntry* match = nullptr;
      std::uint32_t match_mode = 0;
      std::size_t tree_count = f.head ? f.head->entries.size() : 0;
      for (; f.t < tree_count; ++f.t) {
        const RawTreeEntry& candidate = f.head->entries[f.t];
        int c = tree_name_order(candidate.name, candidate.dir, name, is_dir);
        if (c == 0) {
          match = &candidate;
          match_mode = f.head->modes[f.t];
        }
        if (c >= 0)
          break;
      }

      if (!is_dir) {
        ++f.i;
        if (e.mode == 0160000 || e.intent_to_add)
          continue;
        if (match && same_id(match->id, e.id) && match_mode == e.mode)
          continue;
        ObjectRef ref;
        std::memcpy(ref.id.bytes.data(), e.id.data(), e.id.size());
        ref.provenance.kind = Provenance::Kind::staged;
        ref.provenance.path = std::string(e.path);
        m_out.push_back(std::move(ref));
        continue;
      }

      // Entries of this subdirectory: every entry from here on shares the prefix, so only the
      // new component is compared (a deep path costs its length once per level, not its prefix).
      const std::size_t parent_size = prefix.size();
      const std::size_t component = name.size() + 1;
      auto first = m_entries.begin() + static_cast<std::ptrdiff_t>(f.i);
      auto last = m_entries.begin() + static_cast<std::ptrdiff_t>(f.end);
      std::size_t dir_end = static_cast<std::size_t>(
          std::partition_point(first, last,
                               [&](const IndexEntry& x) {
                                 return x.path.size() > parent_size + name.size() &&
                                        x.path.compare(parent_size, component, rest.data(),
                                                       component) == 0;
                               }) -
          m_entries.begin());
      const CachedTree* child = f.cache ? f.cache->child(name) : nullptr;
      // A file in HEAD where the index has a directory is no subtree.
      const unsigned char* head_id = match && match->dir ? match->id : nullptr;
      if (unchanged(child, head_id, dir_end - f.i)) {
        f.i = dir_end;
        continue;
      }
      prefix.append(name).push_back('/');
      std::shared_ptr<const OwnTree> subtree;
      if (head_id)
        subtree = read_tree(m_store, head_id, prefix);
      std::size_t begin = f.i;
      stack.push_back(Frame{std::move(subtree), child, begin, dir_end, 0,
                            prefix.size()}); // f is invalid from here
    }
  }

  ObjectStore& m_store;
  const std::vector<IndexEntry>& m_entries;
  std::vector<ObjectRef>& m_out;
};

// HEAD's root tree id: the commit's first header line is "tree <hex>".
std::optional<BlobId> commit_tree(ObjectStore& store, const BlobId& commit, std::string& why)
{
  auto r = store.read(commit);
  if (r.status != ObjectStore::Status::ok || r.object->type != 1) {
    why = "HEAD's commit " + commit.hex() + " not read by the own object reader";
    return std::nullopt;
  }
  std::string_view data = r.object->data.view();
  if (data.size() < 46 || data.substr(0, 5) != "tree " || data[45] != '\n') {
    why = "HEAD's commit does not start with a tree line";
    return std::nullopt;
  }
  auto id = BlobId::from_hex(data.substr(5, 40));
  if (!id)
    why = "HEAD's commit names a malformed tree id";
  return id;
}

} // namespace

std::optional<StagedResult> enumerate_staged_from_index_file(const std::string& path,
                                                             const GitEnvironment& env,
                                                             std::string* why_not)
{
  auto refuse = [&](std::string reason) -> std::optional<StagedResult> {
    if (why_not)
      *why_not = std::move(reason);
    return std::nullopt;
  };
  std::string why;
  auto layout = discover_git_layout(path, env, &why);
  if (!layout)
    return refuse(why);

  StagedResult result;
  result.git_dir = layout->git_dir;
  phase_mark("staged: repository found");
  auto index = read_index_file(layout->index_path, &why);
  if (!index)
    return refuse(why);
  phase_mark("staged: index read");
  if (index->first_unmerged >= 0)
    return refuse(
        "conflicted entry " +
        std::string(index->entries[static_cast<std::size_t>(index->first_unmerged)].path));

  auto head = read_head(*layout, &why);
  if (!head)
    return refuse(why);
  ObjectStore store(layout->objects_dir(), max_walk_object_size);
  std::optional<BlobId> root;
  if (!head->unborn) {
    root = commit_tree(store, head->commit, why);
    if (!root)
      return refuse(why);
  }

  result.batch.stats.files = index->entries.size();
  try {
    IndexTreeDiff(store, index->entries, result.batch.objects)
        .run(root ? root->bytes.data() : nullptr,
             index->cached_tree ? &*index->cached_tree : nullptr);
  } catch (const NotUnderstood& e) {
    return refuse(e.why);
  }
  phase_mark("staged: compared with HEAD");
  return result;
}

StagedResult enumerate_staged(const std::string& path, const GitEnvironment& env)
{
  if (auto fast = enumerate_staged_from_index_file(path, env))
    return std::move(*fast);
  return enumerate_staged_libgit2(path, env);
}

StagedResult enumerate_staged_libgit2(const std::string& path, const GitEnvironment& env)
{
  auto repo = open_repository(path, env);
  if (!repo)
    throw Error(not_a_repository(path));
  StagedResult result;
  result.git_dir = git_repository_path(repo->get());
  git_index* raw_index = nullptr;
  if (env.index_file.empty())
    git::check(git_repository_index(&raw_index, repo->get()), "reading the index of " + path);
  else
    git::check(git_index_open(&raw_index, env.index_file.c_str()),
               "reading the index " + env.index_file);
  git::Index index(raw_index);

  // HEAD's tree, absent on an unborn branch or in an empty repository (then every entry is new).
  git::Tree head_tree;
  git_object* raw_head = nullptr;
  if (git_revparse_single(&raw_head, repo->get(), "HEAD^{tree}") == 0)
    head_tree.reset(reinterpret_cast<git_tree*>(raw_head));
  git_error_clear();

  // One tree-to-index diff: unchanged subtrees cost a tree-id comparison, not a lookup per entry.
  git_diff_options opts;
  git::check(git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION), "diff options");
  opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  git::check(git_diff_tree_to_index(&raw_diff, repo->get(), head_tree.get(), index.get(), &opts),
             "comparing the index with HEAD in " + path);
  git::Diff diff(raw_diff);
  result.batch.stats.files = git_index_entrycount(index.get());
  std::size_t n = git_diff_num_deltas(diff.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (!d || d->status == GIT_DELTA_DELETED)
      continue;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == 0)
      continue; // submodule gitlink, or nothing staged at this path
    ObjectRef ref;
    ref.id = git::to_blob_id(d->new_file.id);
    ref.provenance.kind = Provenance::Kind::staged;
    ref.provenance.path = d->new_file.path;
    result.batch.objects.push_back(std::move(ref));
  }
  return result;
}

} // namespace zenolint::source
