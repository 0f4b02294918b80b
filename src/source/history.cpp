#include "source/history.hpp"

#include "core/error.hpp"
#include "git/git.hpp"
#include "source/id_set.hpp"
#include "source/objects.hpp"
#include "source/pack_reader.hpp"
#include "source/tree_data.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fstream>
#include <map>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace zenolint::source {
namespace {

constexpr std::uint32_t no_commit = UINT32_MAX;

struct CommitNode {
  BlobId id;
  BlobId tree;
  std::vector<std::uint32_t> parents;     // indices of parents loaded in the same batch
  std::uint32_t first_parent = no_commit; // index of the first parent when loaded (any batch)
  std::int64_t time = 0;                  // committer time, for deterministic tie-breaking
  bool unreachable = false;
};

struct Attributed {
  BlobId id;
  std::string path;
  std::uint32_t commit = no_commit;
  bool unreachable = false;
};

std::string iso8601(const git_time& when)
{
  std::time_t t = static_cast<std::time_t>(when.time + std::int64_t{when.offset} * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  int off = when.offset < 0 ? -when.offset : when.offset;
  char tz[16];
  std::snprintf(tz, sizeof tz, "%c%02d:%02d", when.offset < 0 ? '-' : '+', off / 60, off % 60);
  return std::string(buf) + tz;
}

// Parses a 40-digit hex id at the start of `s`.
std::optional<BlobId> hex_id(std::string_view s)
{
  return s.size() >= 40 ? BlobId::from_hex(s.substr(0, 40)) : std::nullopt;
}

class History {
public:
  History(const std::string& git_dir, const HistoryOptions& options, Batch& batch)
      : m_repo(git::open(git_dir)), m_options(options), m_batch(batch),
        m_common_dir(git_repository_commondir(m_repo.get()))
  {
    // Every commit and tree is read exactly once (seen sets), so libgit2's object cache would
    // only hold dead copies: on large histories that was hundreds of MiB of peak RSS.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, std::size_t{0});
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, std::size_t{0});
    git_odb* odb = nullptr;
    git::check(git_repository_odb(&odb, m_repo.get()), "opening object database of " + git_dir);
    m_odb.reset(odb);
    load_shallow();
  }

  void run()
  {
    std::vector<BlobId> roots;
    if (m_options.range.empty())
      collect_ref_roots(roots);
    else
      collect_range_roots(roots);
    auto order = load_commits(roots, false);
    // A range lists what is new relative to its boundary: blobs and trees of the excluded parents
    // count as already seen.
    for (const auto& b : m_boundary)
      walk_tree(b, BlobId{}, no_commit, false, false);
    walk_commits(order);
    for (const auto& [tree, name] : m_tree_roots)
      walk_tree(tree, BlobId{}, no_commit, false, true);
    for (const auto& [blob, name] : m_blob_roots)
      if (m_seen_blobs.insert(blob))
        m_found.push_back({blob, name, no_commit, false});
    if (m_options.all_objects)
      add_unreachable();
    emit();
  }

private:
  void diag(Severity s, std::string subject, std::string message)
  {
    m_batch.diagnostics.push_back({s, std::move(subject), std::move(message)});
  }

  void load_shallow()
  {
    if (git_repository_is_shallow(m_repo.get()) != 1)
      return;
    std::ifstream in(m_common_dir + "shallow");
    std::string line;
    while (std::getline(in, line))
      if (auto id = hex_id(line))
        m_shallow.insert(*id);
    diag(Severity::warning, git_repository_path(m_repo.get()),
         "shallow clone: history before " + std::to_string(m_shallow.size()) +
             " boundary commit(s) is not in the repository and is not scanned");
  }

  // Follows tags to a commit (a root), tree or blob (scanned without commit). Never throws.
  void add_root(const git_oid& target, const std::string& name, std::vector<BlobId>& roots)
  {
    git_oid oid = target;
    for (int depth = 0; depth < 64; ++depth) {
      git_object* raw = nullptr;
      if (git_object_lookup(&raw, m_repo.get(), &oid, GIT_OBJECT_ANY) < 0) {
        diag(Severity::warning, git::to_blob_id(oid).hex(),
             "cannot read object named by " + name + ": " + git::last_error_message());
        return;
      }
      git::Object obj(raw);
      switch (git_object_type(raw)) {
      case GIT_OBJECT_TAG:
        oid = *git_tag_target_id(reinterpret_cast<git_tag*>(raw));
        continue;
      case GIT_OBJECT_COMMIT:
        roots.push_back(git::to_blob_id(oid));
        return;
      case GIT_OBJECT_TREE:
        m_tree_roots.emplace_back(git::to_blob_id(oid), name);
        return;
      case GIT_OBJECT_BLOB:
        m_blob_roots.emplace_back(git::to_blob_id(oid), name);
        return;
      default:
        return;
      }
    }
  }

  void collect_ref_roots(std::vector<BlobId>& roots)
  {
    // HEAD first: a detached HEAD is reachable through no ref. Unborn HEAD has nothing.
    git_oid head;
    if (git_reference_name_to_id(&head, m_repo.get(), "HEAD") == 0)
      add_root(head, "HEAD", roots);
    git_reference_iterator* raw_it = nullptr;
    git::check(git_reference_iterator_new(&raw_it, m_repo.get()), "listing references");
    git::ReferenceIterator it(raw_it);
    std::vector<std::pair<std::string, git_oid>> refs;
    for (;;) {
      git_reference* raw_ref = nullptr;
      int rc = git_reference_next(&raw_ref, it.get());
      if (rc == GIT_ITEROVER)
        break;
      if (rc < 0) {
        diag(Severity::warning, "refs", "cannot read a reference: " + git::last_error_message());
        break;
      }
      git::Reference ref(raw_ref);
      if (git_reference_type(raw_ref) != GIT_REFERENCE_DIRECT)
        continue; // symbolic refs (origin/HEAD) name a ref listed on its own
      refs.emplace_back(git_reference_name(raw_ref), *git_reference_target(raw_ref));
    }
    std::sort(refs.begin(), refs.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, oid] : refs)
      add_root(oid, name, roots);
  }

  git::Object revparse(const std::string& spec)
  {
    git_object* raw = nullptr;
    git::check(git_revparse_single(&raw, m_repo.get(), spec.c_str()),
               "--range: cannot resolve '" + spec + "'");
    git::Object obj(raw);
    return peel_commit(obj.get(), spec);
  }

  git::Object peel_commit(git_object* obj, const std::string& spec)
  {
    git_object* raw = nullptr;
    git::check(git_object_peel(&raw, obj, GIT_OBJECT_COMMIT),
               "--range: '" + spec + "' does not name a commit");
    return git::Object(raw);
  }

  void collect_range_roots(std::vector<BlobId>& roots)
  {
    std::vector<BlobId> hide;
    std::istringstream tokens(m_options.range);
    std::string tok;
    while (tokens >> tok) {
      if (tok.size() > 1 && tok[0] == '^') {
        hide.push_back(git::to_blob_id(*git_object_id(revparse(tok.substr(1)).get())));
      } else if (tok.find("..") != std::string::npos) {
        git_revspec spec{};
        git::check(git_revparse(&spec, m_repo.get(), tok.c_str()),
                   "--range: cannot parse '" + tok + "'");
        git::Object from(spec.from), to(spec.to);
        git::Object from_c = from ? peel_commit(from.get(), tok) : git::Object{};
        git::Object to_c = to ? peel_commit(to.get(), tok) : revparse("HEAD");
        if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
          if (!from_c)
            throw Error("--range: cannot parse '" + tok + "'");
          git_oidarray bases{};
          if (git_merge_bases(&bases, m_repo.get(), git_object_id(from_c.get()),
                              git_object_id(to_c.get())) == 0) {
            for (std::size_t i = 0; i < bases.count; ++i)
              hide.push_back(git::to_blob_id(bases.ids[i]));
            git_oidarray_dispose(&bases);
          }
          roots.push_back(git::to_blob_id(*git_object_id(from_c.get())));
        } else if (from_c) {
          hide.push_back(git::to_blob_id(*git_object_id(from_c.get())));
        }
        roots.push_back(git::to_blob_id(*git_object_id(to_c.get())));
      } else {
        roots.push_back(git::to_blob_id(*git_object_id(revparse(tok).get())));
      }
    }
    if (roots.empty())
      throw Error("--range '" + m_options.range + "': names no commit to include");
    // Everything reachable from the excluded side is hidden (loaded without attribution).
    std::vector<BlobId> stack = hide;
    while (!stack.empty()) {
      BlobId id = stack.back();
      stack.pop_back();
      if (!m_hidden.insert(id))
        continue;
      BlobId tree;
      std::vector<BlobId> parents;
      std::int64_t time = 0;
      if (read_commit(id, tree, parents, time))
        for (const auto& p : parents)
          stack.push_back(p);
    }
  }

  // Reads a commit's tree, parents (none past a shallow boundary) and committer time.
  bool read_commit(const BlobId& id, BlobId& tree, std::vector<BlobId>& parents, std::int64_t& time)
  {
    git_oid oid = git::to_oid(id);
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, m_odb.get(), &oid) < 0) {
      if (m_failed.insert(id))
        diag(Severity::warning, id.hex(), "cannot read commit: " + git::last_error_message());
      return false;
    }
    git::OdbObject obj(raw);
    if (git_odb_object_type(raw) != GIT_OBJECT_COMMIT) {
      if (m_failed.insert(id))
        diag(Severity::warning, id.hex(), "expected a commit, found another object type");
      return false;
    }
    std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                          git_odb_object_size(raw));
    bool has_tree = false;
    bool shallow = m_shallow.contains(id);
    while (!data.empty()) {
      std::size_t eol = data.find('\n');
      std::string_view line = data.substr(0, eol);
      if (line.empty())
        break; // end of headers
      if (line.rfind("tree ", 0) == 0) {
        if (auto t = hex_id(line.substr(5))) {
          tree = *t;
          has_tree = true;
        }
      } else if (line.rfind("parent ", 0) == 0) {
        if (auto p = hex_id(line.substr(7)); p && !shallow)
          parents.push_back(*p);
      } else if (line.rfind("committer ", 0) == 0) {
        std::size_t gt = line.rfind('>');
        if (gt != std::string_view::npos) {
          std::string rest(line.substr(gt + 1));
          time = std::strtoll(rest.c_str(), nullptr, 10);
        }
      }
      if (eol == std::string_view::npos)
        break;
      data.remove_prefix(eol + 1);
    }
    if (!has_tree) {
      if (m_failed.insert(id))
        diag(Severity::warning, id.hex(), "corrupt commit: no tree");
      return false;
    }
    return true;
  }

  // Loads every commit reachable from `roots` that is neither loaded nor hidden, and returns the
  // new ones parents-first (ties: older committer time, then smaller id).
  std::vector<std::uint32_t> load_commits(const std::vector<BlobId>& roots, bool unreachable)
  {
    std::size_t first_new = m_commits.size();
    std::vector<std::pair<std::uint32_t, std::vector<BlobId>>> parent_ids;
    std::vector<BlobId> stack(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
      BlobId id = stack.back();
      stack.pop_back();
      if (m_hidden.contains(id) || m_commit_index.count(id) || m_failed.contains(id))
        continue;
      CommitNode node;
      node.id = id;
      node.unreachable = unreachable;
      std::vector<BlobId> parents;
      if (!read_commit(id, node.tree, parents, node.time))
        continue;
      auto index = static_cast<std::uint32_t>(m_commits.size());
      m_commit_index.emplace(id, index);
      m_commits.push_back(std::move(node));
      for (const auto& p : parents)
        if (m_hidden.contains(p))
          m_boundary.push_back(tree_of_hidden(p));
        else
          stack.push_back(p);
      parent_ids.emplace_back(index, std::move(parents));
    }
    m_boundary.erase(std::remove(m_boundary.begin(), m_boundary.end(), BlobId{}), m_boundary.end());
    // Kahn's algorithm over the new commits only; older commits are already ordered.
    std::size_t n = m_commits.size() - first_new;
    std::vector<std::uint32_t> pending(n, 0);
    std::vector<std::vector<std::uint32_t>> children(n);
    for (auto& [index, parents] : parent_ids)
      for (const auto& p : parents) {
        auto it = m_commit_index.find(p);
        if (it != m_commit_index.end() && &p == &parents.front())
          m_commits[index].first_parent = it->second;
        if (it == m_commit_index.end() || it->second < first_new)
          continue;
        m_commits[index].parents.push_back(it->second);
        children[it->second - first_new].push_back(index);
        ++pending[index - first_new];
      }
    auto later = [&](std::uint32_t a, std::uint32_t b) {
      const auto& ca = m_commits[a];
      const auto& cb = m_commits[b];
      return std::tie(ca.time, ca.id) > std::tie(cb.time, cb.id);
    };
    std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, decltype(later)> ready(later);
    for (std::size_t i = 0; i < n; ++i)
      if (pending[i] == 0)
        ready.push(static_cast<std::uint32_t>(first_new + i));
    std::vector<std::uint32_t> order;
    order.reserve(n);
    while (!ready.empty()) {
      auto c = ready.top();
      ready.pop();
      order.push_back(c);
      for (auto child : children[c - first_new])
        if (--pending[child - first_new] == 0)
          ready.push(child);
    }
    return order;
  }

  BlobId tree_of_hidden(const BlobId& id)
  {
    BlobId tree;
    std::vector<BlobId> parents;
    std::int64_t time = 0;
    return read_commit(id, tree, parents, time) ? tree : BlobId{};
  }

  void walk_commits(const std::vector<std::uint32_t>& order)
  {
    for (auto c : order) {
      const CommitNode& node = m_commits[c];
      BlobId base = node.first_parent == no_commit ? BlobId{} : m_commits[node.first_parent].tree;
      walk_tree(node.tree, base, c, node.unreachable, true);
      ++m_walked;
      if (m_options.on_commits && m_walked % 256 == 0)
        m_options.on_commits(m_walked);
    }
  }

  // Reads a tree (from the packs directly when it can, else through libgit2); nullptr (and, unless
  // `quiet`, a diagnostic) when it cannot.
  SharedPacked read_tree(const BlobId& id, const std::string& prefix, bool quiet)
  {
    SharedPacked obj = m_packs.read(id);
    if (!obj) {
      git_oid oid = git::to_oid(id);
      git_odb_object* raw = nullptr;
      if (git_odb_read(&raw, m_odb.get(), &oid) < 0) {
        if (!quiet)
          diag(Severity::warning, id.hex(),
               "cannot read tree" + (prefix.empty() ? std::string() : " '" + prefix + "'") + ": " +
                   git::last_error_message());
        return nullptr;
      }
      git::OdbObject owner(raw);
      auto copy = std::make_shared<PackedObject>();
      copy->type = git_odb_object_type(raw);
      copy->data.allocate(git_odb_object_size(raw));
      std::memcpy(copy->data.data(), git_odb_object_data(raw), copy->data.size());
      obj = std::move(copy);
    }
    if (obj->type != GIT_OBJECT_TREE) {
      if (!quiet)
        diag(Severity::warning, id.hex(), "expected a tree, found another object type");
      return nullptr;
    }
    return obj;
  }

  static std::string_view view(const SharedPacked& obj)
  {
    return obj ? obj->data.view() : std::string_view();
  }

  // Walks a tree, skipping subtrees already seen; with `record`, new blobs get (commit, path).
  // `base` is a tree whose blobs are all seen already (the first parent's tree, or zero): entries
  // unchanged from the base at the same path are skipped without an id-set probe.
  void walk_tree(const BlobId& root, const BlobId& base, std::uint32_t commit, bool unreachable,
                 bool record)
  {
    if (!m_seen_trees.insert(root))
      return;
    struct Pending {
      BlobId id, base;
      std::string prefix;
    };
    std::vector<Pending> stack{{root, base, ""}};
    while (!stack.empty()) {
      Pending top = std::move(stack.back());
      stack.pop_back();
      SharedPacked tree = read_tree(top.id, top.prefix, false);
      if (!tree)
        continue;
      // A base that cannot be read is only a lost shortcut: its own walk reported it.
      SharedPacked base_tree = top.base.is_zero() ? nullptr : read_tree(top.base, top.prefix, true);
      std::string_view data = view(tree), base_data = view(base_tree);
      skip_common_entries(data, base_data);
      RawTreeEntry e, b;
      TreeParse base_state = next_tree_entry(base_data, b);
      // Subtrees are pushed in reverse after the loop so that they are visited in tree order.
      std::size_t first_subtree = stack.size();
      for (;;) {
        TreeParse state = next_tree_entry(data, e);
        if (state == TreeParse::end)
          break;
        if (state == TreeParse::corrupt) {
          diag(Severity::warning, top.id.hex(), "corrupt tree: truncated entry");
          break;
        }
        while (base_state == TreeParse::entry && tree_order(b, e) < 0)
          base_state = next_tree_entry(base_data, b);
        bool in_base = base_state == TreeParse::entry && tree_order(b, e) == 0;
        // Entries unchanged since the base are seen (and so is everything below them); gitlinks
        // name commits of another repository (submodules), not content.
        if (!(in_base && std::memcmp(b.id, e.id, 20) == 0) && !e.gitlink) {
          BlobId entry = entry_id(e);
          std::string path = top.prefix;
          path.append(e.name);
          if (e.dir) {
            if (m_seen_trees.insert(entry)) {
              path.push_back('/');
              stack.push_back({entry, in_base ? entry_id(b) : BlobId{}, std::move(path)});
            }
          } else {
            if (record && !unreachable && m_options.watch_name && m_options.watch_name(e.name))
              m_watched.try_emplace(path, commit);
            if (m_seen_blobs.insert(entry) && record)
              m_found.push_back({entry, std::move(path), commit, unreachable});
          }
        }
        // After a shared name, identical remainders mean nothing further changed.
        if (in_base && data == base_data)
          break;
      }
      std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first_subtree), stack.end());
    }
  }

  void add_unreachable()
  {
    std::vector<BlobId> all;
    auto cb = [](const git_oid* oid, void* payload) {
      static_cast<std::vector<BlobId>*>(payload)->push_back(git::to_blob_id(*oid));
      return 0;
    };
    if (git_odb_foreach(m_odb.get(), cb, &all) < 0)
      diag(Severity::warning, git_repository_path(m_repo.get()),
           "cannot list every object: " + git::last_error_message());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    std::vector<BlobId> commits, trees, blobs, other;
    for (const auto& id : all) {
      if (m_commit_index.count(id) || m_hidden.contains(id) || m_seen_trees.contains(id) ||
          m_seen_blobs.contains(id))
        continue;
      git_oid oid = git::to_oid(id);
      std::size_t len = 0;
      git_object_t type{};
      if (git_odb_read_header(&len, &type, m_odb.get(), &oid) < 0) {
        diag(Severity::warning, id.hex(), "cannot read object: " + git::last_error_message());
        continue;
      }
      (type == GIT_OBJECT_COMMIT ? commits
       : type == GIT_OBJECT_TREE ? trees
       : type == GIT_OBJECT_BLOB ? blobs
                                 : other)
          .push_back(id);
    }
    walk_commits(load_commits(commits, true));
    for (const auto& t : trees)
      walk_tree(t, BlobId{}, no_commit, true, true);
    for (const auto& b : blobs)
      if (m_seen_blobs.insert(b))
        m_found.push_back({b, b.hex(), no_commit, true});
  }

  std::optional<CommitInfo> info(std::uint32_t index)
  {
    if (index == no_commit)
      return std::nullopt;
    auto [it, inserted] = m_info.try_emplace(index);
    if (!inserted)
      return it->second;
    git_oid oid = git::to_oid(m_commits[index].id);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, m_repo.get(), &oid) < 0)
      return it->second = CommitInfo{m_commits[index].id.hex(), "", "", "", ""};
    git::Commit commit(raw);
    CommitInfo ci;
    ci.id = m_commits[index].id.hex();
    if (const git_signature* a = git_commit_author(raw)) {
      ci.author = a->name ? a->name : "";
      ci.email = a->email ? a->email : "";
      ci.date = iso8601(a->when);
    }
    const char* summary = git_commit_summary(raw);
    ci.summary = summary ? summary : "";
    return it->second = std::move(ci);
  }

  void emit()
  {
    m_batch.stats.commits += m_walked;
    m_batch.objects.reserve(m_batch.objects.size() + m_found.size());
    for (auto& f : m_found) {
      ObjectRef ref;
      ref.id = f.id;
      ref.provenance.kind = f.unreachable ? Provenance::Kind::object : Provenance::Kind::history;
      ref.provenance.unreachable = f.unreachable;
      ref.provenance.path = std::move(f.path);
      ref.provenance.commit = info(f.commit);
      m_batch.objects.push_back(std::move(ref));
    }
    m_batch.stats.files += m_found.size();
    for (auto& [path, commit] : m_watched)
      if (auto ci = info(commit))
        m_batch.watched.push_back({path, *ci});
    m_batch.history_walked = m_options.range.empty();
    sort_by_pack_position(m_batch.objects, m_common_dir + "objects");
  }

  git::Repository m_repo;
  git::Odb m_odb;
  const HistoryOptions& m_options;
  Batch& m_batch;
  std::string m_common_dir;
  IdSet m_shallow, m_hidden, m_failed, m_seen_trees, m_seen_blobs;
  // Trees straight from the packs, with 32 MiB of recently built objects: enough for chains of
  // 50 across a few dozen busy directories; more only adds heap (docs/history.md).
  PackReader m_packs{m_common_dir + "objects", std::size_t{32} << 20}; // after m_common_dir
  std::vector<BlobId> m_boundary;
  std::vector<std::pair<BlobId, std::string>> m_tree_roots, m_blob_roots;
  std::vector<CommitNode> m_commits;
  std::unordered_map<BlobId, std::uint32_t, BlobIdHash> m_commit_index;
  std::unordered_map<std::uint32_t, std::optional<CommitInfo>> m_info;
  std::vector<Attributed> m_found;
  std::map<std::string, std::uint32_t> m_watched; // path -> first commit (index)
  std::uint64_t m_walked = 0;
};

} // namespace

Batch enumerate_history(const std::string& git_dir, const HistoryOptions& options)
{
  Batch batch;
  {
    History history(git_dir, options, batch);
    history.run();
  }
#ifdef __GLIBC__
  // The walk's caches are freed now; hand their pages back before the scanner's threads, which
  // allocate from their own arenas, build up their own peak.
  malloc_trim(0);
#endif
  return batch;
}

} // namespace zenolint::source
