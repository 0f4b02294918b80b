#include "source/history.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/phases.hpp"
#include "core/read_file.hpp"
#include "git/git.hpp"
#include "source/id_set.hpp"
#include "source/objects.hpp"
#include "source/pack_reader.hpp"
#include "source/tree_diff.hpp"

#include <algorithm>
#include <exception>
#include <set>
#ifdef __GLIBC__
#include <malloc.h>
#include <sys/stat.h>
#endif
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

// A blob and where it was first met. Paths live in one shared buffer (History::m_paths): a string
// per blob, allocated next to the walk's short-lived tree buffers and kept to the end, fragmented
// the heap into hundreds of MiB of unusable holes on large histories.
struct Attributed {
  BlobId id;
  std::size_t path_at = 0;
  std::uint32_t path_size = 0;
  std::uint32_t commit = no_commit;
  bool unreachable = false;
};

// A shallow file lists one boundary commit per line (41 bytes); 64 MiB is over a million.
constexpr std::uint64_t max_shallow_file_size = std::uint64_t{64} << 20;

// Parses a 40-digit hex id at the start of `s`.
std::optional<BlobId> hex_id(std::string_view s)
{
  return s.size() >= 40 ? BlobId::from_hex(s.substr(0, 40)) : std::nullopt;
}

class History {
public:
  History(const std::string& git_dir, const HistoryOptions& options, Batch& batch)
      : m_repo(git::open(git_dir)), m_options(options), m_batch(batch),
        m_common_dir(git_repository_commondir(m_repo.get())), m_git_dir(git_dir),
        m_positions(std::make_shared<const PackPositions>(m_common_dir + "objects", true)),
        m_differ(git_dir, m_positions, options.watch_name)
  {
    // Every commit and tree is read exactly once (seen sets), and commits are spread over the whole
    // pack: the CLI turns libgit2's object cache for them off and keeps its pack windows small at
    // start-up (git::apply_process_settings).
    git_odb* odb = nullptr;
    git::check(git_repository_odb(&odb, m_repo.get()), "opening object database of " + git_dir);
    m_odb.reset(odb);
    for (const auto& r : m_positions->rejected())
      diag(Severity::error, r.idx_path,
           "pack index not used (" + r.why + "); its objects are not scanned");
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
    phase_mark("history: commits loaded");
    if (m_options.keep_graph)
      m_order = order;
    // A range lists what is new relative to its boundary: blobs and trees of the excluded parents
    // count as already seen.
    for (const auto& b : m_boundary)
      walk_tree(b, BlobId{}, no_commit, false, false);
    walk_commits(order);
    phase_mark("history: trees walked");
    for (const auto& [tree, name] : m_tree_roots)
      walk_tree(tree, BlobId{}, no_commit, false, true);
    for (const auto& [blob, name] : m_blob_roots)
      if (m_seen_blobs.insert(blob))
        add_found(blob, name, no_commit, false);
    if (m_options.all_objects)
      add_unreachable();
    emit();
    phase_mark("history: blobs listed");
  }

private:
  void diag(Severity s, std::string subject, std::string message)
  {
    m_batch.diagnostics.push_back({s, std::move(subject), std::move(message)});
  }

  void load_shallow()
  {
    // libgit2 calls a repository shallow only when the file is a non-empty regular file; a FIFO
    // or device in its place must be named, not taken as "not shallow".
    struct stat st {};
    if (::lstat((m_common_dir + "shallow").c_str(), &st) != 0 ||
        (S_ISREG(st.st_mode) && st.st_size == 0))
      return;
    // The shallow file is repository content like any other: a regular file of bounded size,
    // never a FIFO or device (read_regular_file), one boundary commit id per line.
    std::string content;
    ReadFileError error;
    if (!read_regular_file(m_common_dir + "shallow", max_shallow_file_size, content, &error)) {
      diag(Severity::error, m_common_dir + "shallow",
           "cannot read the shallow file: " + error.message +
               "; history past its boundary commits may be reported as missing");
      return;
    }
    std::string_view rest = content;
    while (!rest.empty()) {
      std::size_t eol = rest.find('\n');
      if (auto id = hex_id(rest.substr(0, eol)))
        m_shallow.insert(*id);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    }
    diag(Severity::warning, git_repository_path(m_repo.get()),
         "shallow clone: history before " + std::to_string(m_shallow.size()) +
             " boundary commit(s) is not in the repository and is not scanned");
  }

  // Follows tags to a commit (a root), tree or blob (scanned without commit), through any number
  // of nested tags; a chain that comes back to a tag it passed is reported. Never throws.
  void add_root(const git_oid& target, const std::string& name, std::vector<BlobId>& roots)
  {
    git_oid oid = target;
    IdSet tags_met;
    for (;;) {
      // The header first: only a tag needs its content, and none is read past the size limit.
      std::size_t len = 0;
      git_object_t type{};
      if (git_odb_read_header(&len, &type, m_odb.get(), &oid) < 0) {
        diag(Severity::error, git::to_blob_id(oid).hex(),
             "cannot read object named by " + name + ": " + git::last_error_message());
        return;
      }
      switch (type) {
      case GIT_OBJECT_COMMIT:
        roots.push_back(git::to_blob_id(oid));
        m_ref_commits.emplace_back(name, roots.back());
        return;
      case GIT_OBJECT_TREE:
        m_tree_roots.emplace_back(git::to_blob_id(oid), name);
        return;
      case GIT_OBJECT_BLOB:
        m_blob_roots.emplace_back(git::to_blob_id(oid), name);
        return;
      case GIT_OBJECT_TAG:
        break;
      default:
        return;
      }
      if (len > max_walk_object_size) {
        diag(Severity::error, git::to_blob_id(oid).hex(),
             "tag named by " + name + " declares " + std::to_string(len) +
                 " bytes, more than the " + std::to_string(max_walk_object_size >> 20) +
                 " MiB limit; not read");
        return;
      }
      if (!tags_met.insert(git::to_blob_id(oid))) {
        diag(Severity::error, git::to_blob_id(oid).hex(),
             "tags named by " + name + " lead back to this tag; not followed further");
        return;
      }
      git_object* raw = nullptr;
      if (git_object_lookup(&raw, m_repo.get(), &oid, GIT_OBJECT_TAG) < 0) {
        diag(Severity::error, git::to_blob_id(oid).hex(),
             "cannot read tag named by " + name + ": " + git::last_error_message());
        return;
      }
      git::Object obj(raw);
      oid = *git_tag_target_id(reinterpret_cast<git_tag*>(raw));
    }
  }

  void unresolved(const std::string& name)
  {
    diag(Severity::error, name, "cannot resolve: " + git::last_error_message() + "; not scanned");
  }

  void collect_ref_roots(std::vector<BlobId>& roots)
  {
    // HEAD first: a detached HEAD is reachable through no ref. Unborn HEAD has nothing.
    git_oid head;
    if (int rc = git_reference_name_to_id(&head, m_repo.get(), "HEAD"); rc == 0)
      add_root(head, "HEAD", roots);
    else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH)
      unresolved("HEAD"); // a symbolic-ref cycle: say so, a scan must not come back empty silently
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
        diag(Severity::error, "refs", "cannot read a reference: " + git::last_error_message());
        break;
      }
      git::Reference ref(raw_ref);
      if (git_reference_type(raw_ref) != GIT_REFERENCE_DIRECT) {
        // Symbolic refs (origin/HEAD) name a ref listed on its own; one that resolves to nothing
        // readable but a missing ref (a cycle of symbolic refs) is named.
        git_reference* raw_resolved = nullptr;
        int resolved = git_reference_resolve(&raw_resolved, raw_ref);
        git::Reference owner(raw_resolved);
        if (resolved < 0 && resolved != GIT_ENOTFOUND)
          unresolved(git_reference_name(raw_ref));
        continue;
      }
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
    // Packed commits through the own pack reader (a quarter of libgit2's CPU per commit on
    // git/git); the rest, and whatever it cannot read, through libgit2, which names the problem.
    std::uint64_t too_large = 0;
    SharedPacked packed = m_commit_reader.read(id, &too_large);
    std::size_t len = too_large;
    git::OdbObject obj;
    std::string_view data;
    int type = 0;
    git_oid oid = git::to_oid(id);
    if (packed) {
      data = packed->data.view();
      type = packed->type;
    } else if (!m_commit_reader.corrupt().empty()) {
      if (m_failed.insert(id))
        diag(Severity::error, id.hex(), "cannot read commit: " + m_commit_reader.corrupt());
      return false;
    } else {
      git_object_t header_type{};
      if (!too_large && git_odb_read_header(&len, &header_type, m_odb.get(), &oid) != 0)
        len = 0;
      if (len > max_walk_object_size) {
        if (m_failed.insert(id))
          diag(Severity::error, id.hex(),
               "commit declares " + std::to_string(len) + " bytes, more than the " +
                   std::to_string(max_walk_object_size >> 20) + " MiB limit; not read");
        return false;
      }
      git_odb_object* raw = nullptr;
      if (git_odb_read(&raw, m_odb.get(), &oid) < 0) {
        if (m_failed.insert(id))
          diag(Severity::error, id.hex(), "cannot read commit: " + git::last_error_message());
        return false;
      }
      obj.reset(raw);
      data = std::string_view(static_cast<const char*>(git_odb_object_data(raw)),
                              git_odb_object_size(raw));
      type = git_odb_object_type(raw);
    }
    if (type != GIT_OBJECT_COMMIT) {
      if (m_failed.insert(id))
        diag(Severity::error, id.hex(), "expected a commit, found another object type");
      return false;
    }
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
        diag(Severity::error, id.hex(), "corrupt commit: no tree");
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

  BlobId base_of(const CommitNode& node) const
  {
    return node.first_parent == no_commit ? BlobId{} : m_commits[node.first_parent].tree;
  }

  void commit_walked()
  {
    ++m_walked;
    if (m_options.on_commits && m_walked % 256 == 0)
      m_options.on_commits(m_walked);
  }

  // Walks the commits in `order`. With several jobs, threads compare the trees of blocks of
  // commits ahead (each with its own differ and pack cache) while this thread applies the results
  // in order, so the output is the same for any job count.
  void walk_commits(const std::vector<std::uint32_t>& order)
  {
    constexpr std::size_t block = 128;
    unsigned threads = std::min(m_options.jobs, 8u);
    if (threads < 2 || order.size() < 4 * block) {
      // Exactly what the threads below compute (no seen-tree shortcut), so that the paths met,
      // hence watched credential files and diagnostics, do not depend on the job count.
      for (auto c : order) {
        TreeChanges changes;
        m_differ.diff(m_commits[c].tree, base_of(m_commits[c]), changes);
        apply(changes, c, m_commits[c].unreachable, true);
        commit_walked();
      }
      return;
    }
    std::vector<std::unique_ptr<TreeDiffer>> differs;
    for (unsigned t = 0; t < threads; ++t) // opened here: a failure throws on this thread
      differs.push_back(std::make_unique<TreeDiffer>(m_git_dir, m_positions, m_options.watch_name));
    const std::size_t blocks = (order.size() + block - 1) / block;
    ordered_pipeline(
        blocks, threads, 4 * threads,
        [&](std::size_t b, unsigned worker) {
          std::vector<TreeChanges> out(std::min(block, order.size() - b * block));
          for (std::size_t i = 0; i < out.size(); ++i) {
            const CommitNode& node = m_commits[order[b * block + i]];
            differs[worker]->diff(node.tree, base_of(node), out[i]);
          }
          return out;
        },
        [&](std::size_t b, std::vector<TreeChanges>&& changes) {
          for (std::size_t i = 0; i < changes.size(); ++i) {
            auto c = order[b * block + i];
            apply(changes[i], c, m_commits[c].unreachable, true);
            commit_walked();
          }
        });
  }

  // Walks a tree, skipping subtrees already seen; with `record`, new blobs get (commit, path).
  // `base` is a tree whose blobs are all seen already (the first parent's tree, or zero).
  void walk_tree(const BlobId& root, const BlobId& base, std::uint32_t commit, bool unreachable,
                 bool record)
  {
    TreeChanges changes;
    m_differ.diff(root, base, changes,
                  [this](const BlobId& id) { return m_seen_trees.insert(id); });
    apply(changes, commit, unreachable, record);
  }

  void add_found(const BlobId& id, std::string_view path, std::uint32_t commit, bool unreachable)
  {
    m_found.push_back(
        {id, m_paths.size(), static_cast<std::uint32_t>(path.size()), commit, unreachable});
    m_paths.append(path);
  }

  // Applies one comparison's result in walk order: the first (commit, path) of a blob id wins.
  void apply(TreeChanges& changes, std::uint32_t commit, bool unreachable, bool record)
  {
    for (const auto& t : changes.trees)
      m_seen_trees.insert(t);
    for (auto& b : changes.blobs) {
      if (m_options.keep_graph && commit != no_commit)
        m_introductions.emplace_back(b.id, commit);
      if (record && !unreachable && b.watched)
        m_watched.try_emplace(b.path, commit);
      if (m_seen_blobs.insert(b.id) && record)
        add_found(b.id, b.path, commit, unreachable);
    }
    for (auto& d : changes.diagnostics) // a broken tree shared by many commits is named once
      if (m_reported.insert(d.subject + '\n' + d.message).second)
        m_batch.diagnostics.push_back(std::move(d));
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
        add_found(b, b.hex(), no_commit, true);
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
    return it->second = git::commit_info(raw);
  }

  void emit()
  {
    m_batch.stats.commits += m_walked;
    // The walk's seen sets are done with: free them before the objects are made (the peak).
    m_seen_trees = IdSet{};
    m_seen_blobs = IdSet{};
    // In pack order (loose objects last, in walk order), sorted while each is 40 bytes rather
    // than a whole ObjectRef: sorting the refs copied every one of them at the run's peak.
    {
      std::vector<std::pair<PackPositions::Position, std::size_t>> keys;
      keys.reserve(m_found.size());
      for (std::size_t i = 0; i < m_found.size(); ++i) {
        auto pos = m_positions->find(m_found[i].id);
        keys.emplace_back(pos ? *pos : PackPositions::Position{UINT32_MAX, 0}, i);
      }
      std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.pack, a.first.offset) < std::tie(b.first.pack, b.first.offset);
      });
      std::vector<Attributed> sorted;
      sorted.reserve(m_found.size());
      for (const auto& k : keys)
        sorted.push_back(m_found[k.second]);
      m_found = std::move(sorted);
    }
    m_batch.objects.reserve(m_batch.objects.size() + m_found.size());
    for (auto& f : m_found) {
      ObjectRef ref;
      ref.id = f.id;
      ref.provenance.kind = f.unreachable ? Provenance::Kind::object : Provenance::Kind::history;
      ref.provenance.unreachable = f.unreachable;
      ref.provenance.path.assign(m_paths, f.path_at, f.path_size);
      ref.provenance.commit = info(f.commit);
      m_batch.objects.push_back(std::move(ref));
    }
    m_batch.stats.history_blobs += m_found.size();
    for (auto& [path, commit] : m_watched)
      if (auto ci = info(commit))
        m_batch.watched.push_back({path, *ci});
    m_batch.history_walked = m_options.range.empty();
    m_batch.positions = m_positions;
    if (m_options.keep_graph)
      m_batch.graph = make_graph();
  }

  std::shared_ptr<const HistoryGraph> make_graph()
  {
    auto graph = std::make_shared<HistoryGraph>();
    graph->commits.reserve(m_commits.size());
    for (auto& c : m_commits)
      graph->commits.push_back({c.id, c.tree, std::move(c.parents)});
    graph->order = std::move(m_order);
    for (const auto& [name, id] : m_ref_commits) {
      auto it = m_commit_index.find(id);
      std::uint32_t index = it == m_commit_index.end() ? HistoryGraph::none : it->second;
      if (name == "HEAD")
        graph->head = index;
      else
        graph->refs.push_back({name, index});
    }
    std::sort(graph->refs.begin(), graph->refs.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    graph->introductions = std::move(m_introductions);
    return graph;
  }

  git::Repository m_repo;
  git::Odb m_odb;
  const HistoryOptions& m_options;
  Batch& m_batch;
  std::string m_common_dir;
  IdSet m_shallow, m_hidden, m_failed, m_seen_trees, m_seen_blobs;
  std::string m_git_dir;
  std::shared_ptr<const PackPositions> m_positions; // every pack index, read once, shared
  TreeDiffer m_differ; // for this thread; after m_common_dir, m_git_dir and m_positions
  // Commits are read once each and rarely deltas: a small cache holds the few bases.
  PackReader m_commit_reader{m_positions, std::size_t{4} << 20};
  std::set<std::string> m_reported;
  std::vector<BlobId> m_boundary;
  std::vector<std::pair<BlobId, std::string>> m_tree_roots, m_blob_roots;
  std::vector<CommitNode> m_commits;
  std::unordered_map<BlobId, std::uint32_t, BlobIdHash> m_commit_index;
  std::unordered_map<std::uint32_t, std::optional<CommitInfo>> m_info;
  std::vector<Attributed> m_found;
  std::string m_paths;                            // every m_found path, back to back
  std::map<std::string, std::uint32_t> m_watched; // path -> first commit (index)
  std::uint64_t m_walked = 0;
  // For HistoryOptions::keep_graph only.
  std::vector<std::uint32_t> m_order;                        // reachable commits, parents first
  std::vector<std::pair<std::string, BlobId>> m_ref_commits; // ref name (or HEAD) -> commit
  std::vector<std::pair<BlobId, std::uint32_t>> m_introductions;
};

} // namespace

Batch enumerate_history(const std::string& git_dir, const HistoryOptions& options)
{
  Batch batch;
  phase_mark("history: start");
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
