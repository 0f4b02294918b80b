#include "source/exposure.hpp"

#include "core/text.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace zenolint::source {
namespace {

constexpr std::uint32_t none = HistoryGraph::none;
// Deeper trees are not followed (git itself refuses paths this deep); a hostile repository
// must not exhaust the stack.
constexpr int max_tree_depth = 512;
// A README longer than this is read only up to here for the DOI check.
constexpr std::size_t max_readme_bytes = 1u << 20;

using SecretList = std::vector<std::uint32_t>; // sorted secret indices

// Which secrets' blobs each tree holds, each distinct tree read once.
class TreeContents {
public:
  TreeContents(git_repository* repo,
               const std::unordered_map<BlobId, SecretList, BlobIdHash>& secrets_of_blob,
               std::vector<Diagnostic>& diagnostics)
      : m_repo(repo), m_secrets_of_blob(secrets_of_blob), m_diagnostics(diagnostics)
  {}

  const SecretList& secrets_in(const BlobId& tree) { return visit(tree, 0); }

private:
  const SecretList& visit(const BlobId& id, int depth)
  {
    if (auto it = m_memo.find(id); it != m_memo.end())
      return it->second;
    SecretList found;
    if (depth > max_tree_depth) {
      diag(id, "tree nested deeper than " + std::to_string(max_tree_depth) +
                   " levels; exposure does not look further");
      return m_memo.emplace(id, std::move(found)).first->second;
    }
    git_oid oid = git::to_oid(id);
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, m_repo, &oid) < 0) {
      diag(id, "cannot read tree for exposure: " + git::last_error_message());
      return m_memo.emplace(id, std::move(found)).first->second;
    }
    git::Tree tree(raw);
    std::size_t n = git_tree_entrycount(raw);
    std::vector<BlobId> subtrees;
    for (std::size_t i = 0; i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(raw, i);
      git_object_t type = git_tree_entry_type(e);
      BlobId entry = git::to_blob_id(*git_tree_entry_id(e));
      if (type == GIT_OBJECT_BLOB) {
        if (auto it = m_secrets_of_blob.find(entry); it != m_secrets_of_blob.end())
          found.insert(found.end(), it->second.begin(), it->second.end());
      } else if (type == GIT_OBJECT_TREE) {
        subtrees.push_back(entry);
      }
    }
    tree.reset(); // not held across the recursion
    for (const auto& sub : subtrees) {
      const SecretList& inner = visit(sub, depth + 1);
      found.insert(found.end(), inner.begin(), inner.end());
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return m_memo.emplace(id, std::move(found)).first->second;
  }

  void diag(const BlobId& id, std::string message)
  {
    m_diagnostics.push_back({Severity::warning, id.hex(), std::move(message)});
  }

  git_repository* m_repo;
  const std::unordered_map<BlobId, SecretList, BlobIdHash>& m_secrets_of_blob;
  std::vector<Diagnostic>& m_diagnostics;
  std::unordered_map<BlobId, SecretList, BlobIdHash> m_memo;
};

// True when HEAD's root tree says that the repository's releases go to Zenodo.
bool archives_on_zenodo(git_repository* repo, const BlobId& root, std::vector<Diagnostic>& diags)
{
  git_oid oid = git::to_oid(root);
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo, &oid) < 0)
    return false; // already reported by TreeContents
  git::Tree tree(raw);
  std::size_t n = git_tree_entrycount(raw);
  for (std::size_t i = 0; i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(raw, i);
    std::string name = git_tree_entry_name(e);
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
      continue;
    if (name == ".zenodo.json" || name == "CITATION.cff")
      return true;
    if (ascii_lower(name).rfind("readme", 0) != 0)
      continue;
    git_blob* blob_raw = nullptr;
    if (git_blob_lookup(&blob_raw, repo, git_tree_entry_id(e)) < 0) {
      diags.push_back({Severity::warning, git::to_blob_id(*git_tree_entry_id(e)).hex(),
                       "cannot read " + name + ": " + git::last_error_message()});
      continue;
    }
    git::Blob blob(blob_raw);
    auto size = static_cast<std::size_t>(git_blob_rawsize(blob_raw));
    std::string_view text(static_cast<const char*>(git_blob_rawcontent(blob_raw)),
                          std::min(size, max_readme_bytes));
    if (mentions_zenodo_doi(text))
      return true;
  }
  return false;
}

std::string short_name(const std::string& full, std::string_view prefix)
{
  return full.substr(prefix.size());
}

} // namespace

bool mentions_zenodo_doi(std::string_view readme)
{
  std::string lower = ascii_lower(readme);
  return lower.find("10.5281/zenodo.") != std::string::npos ||
         lower.find("zenodo.org/badge") != std::string::npos;
}

std::vector<Exposure> compute_exposure(const std::string& git_dir, const HistoryGraph& graph,
                                       const std::vector<SecretSighting>& secrets,
                                       std::vector<Diagnostic>& diagnostics)
{
  std::vector<Exposure> out(secrets.size());
  if (secrets.empty())
    return out;
  git::Repository repo = git::open(git_dir);

  std::unordered_map<BlobId, SecretList, BlobIdHash> secrets_of_blob;
  for (std::uint32_t s = 0; s < secrets.size(); ++s)
    for (const auto& b : secrets[s].blobs) {
      auto& list = secrets_of_blob[b];
      if (list.empty() || list.back() != s)
        list.push_back(s);
    }

  // Commits that introduced each secret (every introduction of every blob of it).
  std::vector<std::vector<std::uint32_t>> introduced(secrets.size());
  for (const auto& [blob, commit] : graph.introductions)
    if (auto it = secrets_of_blob.find(blob); it != secrets_of_blob.end())
      for (auto s : it->second)
        introduced[s].push_back(commit);

  // Which refs reach an introducing commit: 64 secrets per pass over the commits.
  std::vector<std::vector<std::size_t>> reached_by(secrets.size()); // indices into graph.refs
  std::vector<bool> head_reaches(secrets.size(), false);
  std::vector<std::uint64_t> bits(graph.commits.size());
  for (std::size_t base = 0; base < secrets.size(); base += 64) {
    std::size_t end = std::min(secrets.size(), base + 64);
    std::fill(bits.begin(), bits.end(), 0);
    bool any = false;
    for (std::size_t s = base; s < end; ++s)
      for (auto c : introduced[s])
        if (c < bits.size()) {
          bits[c] |= std::uint64_t{1} << (s - base);
          any = true;
        }
    if (!any)
      continue;
    for (auto c : graph.order)
      for (auto p : graph.commits[c].parents)
        bits[c] |= bits[p];
    auto each_bit = [&](std::uint32_t commit, auto&& fn) {
      if (commit == none || commit >= bits.size())
        return;
      for (std::uint64_t b = bits[commit]; b != 0; b &= b - 1)
        fn(base + static_cast<std::size_t>(__builtin_ctzll(b)));
    };
    for (std::size_t r = 0; r < graph.refs.size(); ++r)
      each_bit(graph.refs[r].commit, [&](std::size_t s) { reached_by[s].push_back(r); });
    each_bit(graph.head, [&](std::size_t s) { head_reaches[s] = true; });
  }

  TreeContents contents(repo.get(), secrets_of_blob, diagnostics);
  std::vector<bool> in_head_tree(secrets.size(), false);
  bool zenodo = false;
  if (graph.head != none && graph.head < graph.commits.size()) {
    const BlobId& root = graph.commits[graph.head].tree;
    for (auto s : contents.secrets_in(root))
      in_head_tree[s] = true;
    zenodo = archives_on_zenodo(repo.get(), root, diagnostics);
  }

  constexpr std::string_view heads = "refs/heads/", remotes = "refs/remotes/", tags = "refs/tags/";
  for (std::size_t r = 0; r < graph.refs.size(); ++r) {
    const auto& ref = graph.refs[r];
    if (ref.name.rfind(tags, 0) != 0 || ref.commit == none || ref.commit >= graph.commits.size())
      continue;
    for (auto s : contents.secrets_in(graph.commits[ref.commit].tree))
      out[s].tags.push_back(short_name(ref.name, tags));
  }

  for (std::size_t s = 0; s < secrets.size(); ++s) {
    Exposure& e = out[s];
    e.in_head = secrets[s].in_worktree || in_head_tree[s];
    bool stash = false, elsewhere = head_reaches[s];
    for (auto r : reached_by[s]) {
      const std::string& name = graph.refs[r].name;
      if (name.rfind(heads, 0) == 0)
        e.branches.push_back(short_name(name, heads));
      else if (name.rfind(remotes, 0) == 0)
        e.remotes.push_back(short_name(name, remotes));
      if (name == "refs/stash")
        stash = true;
      else
        elsewhere = true;
    }
    elsewhere = elsewhere || !e.tags.empty();
    e.stash_only = stash && !elsewhere && !e.in_head;
    e.unreachable_only = secrets[s].only_unreachable && !e.in_head && !stash && !elsewhere;
    for (auto* list : {&e.branches, &e.remotes, &e.tags}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    if (zenodo)
      e.zenodo_archived_releases = e.tags;
  }
  return out;
}

} // namespace zenolint::source
