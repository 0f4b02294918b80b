#include "checks/tracked.hpp"

#include "checks/credential_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <unordered_set>

namespace zenolint::checks {
namespace {

struct OidHash {
  std::size_t operator()(const git_oid& o) const noexcept
  {
    std::size_t h = 0;
    for (int i = 0; i < 8; ++i)
      h = (h << 8) | o.id[i];
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept
  {
    return git_oid_cmp(&a, &b) == 0;
  }
};

CommitInfo commit_info(const git_commit* c)
{
  CommitInfo info;
  info.id = git_oid_tostr_s(git_commit_id(c));
  if (const git_signature* a = git_commit_author(c)) {
    info.author = a->name ? a->name : "";
    info.email = a->email ? a->email : "";
    info.date = iso_date(a->when.time, a->when.offset);
  }
  info.summary = git_commit_summary(const_cast<git_commit*>(c))
                     ? git_commit_summary(const_cast<git_commit*>(c))
                     : "";
  return info;
}

class TreeWalker {
public:
  TreeWalker(git_repository* repo, std::uint64_t max_trees) : m_repo(repo), m_max(max_trees) {}

  // Returns false when the tree budget is exhausted.
  bool walk(const git_oid& tree_id, const std::string& prefix, const git_commit* commit,
            std::map<std::string, HistoryHit>& hits)
  {
    if (!m_seen.insert(tree_id).second)
      return true;
    if (m_seen.size() > m_max)
      return false;
    git_tree* raw = nullptr;
    git::check(git_tree_lookup(&raw, m_repo, &tree_id), "reading tree");
    git::Tree tree(raw);
    std::size_t n = git_tree_entrycount(tree.get());
    for (std::size_t i = 0; i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      std::string_view name = git_tree_entry_name(e);
      git_object_t type = git_tree_entry_type(e);
      if (type == GIT_OBJECT_TREE) {
        if (m_seen.count(*git_tree_entry_id(e)))
          continue; // read before: skip building its path
        if (!walk(*git_tree_entry_id(e), prefix + std::string(name) + "/", commit, hits))
          return false;
      } else if (type == GIT_OBJECT_BLOB && kind_from_name(name)) {
        std::string path = prefix + std::string(name);
        if (!hits.count(path))
          hits.emplace(path, HistoryHit{path, commit_info(commit)});
      }
    }
    return true;
  }
  std::uint64_t trees() const { return m_seen.size(); }

private:
  git_repository* m_repo;
  std::uint64_t m_max;
  std::unordered_set<git_oid, OidHash, OidEq> m_seen;
};

} // namespace

std::string iso_date(git_time_t time, int offset_minutes)
{
  std::time_t t = static_cast<std::time_t>(time + static_cast<git_time_t>(offset_minutes) * 60);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

PathState path_state(git_repository* repo, git_index* index, const std::string& rel_path)
{
  PathState s;
  s.tracked = index && git_index_get_bypath(index, rel_path.c_str(), 0) != nullptr;
  int ignored = 0;
  if (!s.tracked && git_ignore_path_is_ignored(&ignored, repo, rel_path.c_str()) == 0)
    s.ignored = ignored != 0;
  return s;
}

std::optional<Finding> tracked_finding(const std::string& rel_path, const PathState& state,
                                       bool holds_token)
{
  std::string what = holds_token ? "holds a Zenodo token" : "is a Zenodo client credential file";
  if (state.tracked) {
    std::string msg = rel_path + " " + what +
                      " and is tracked by git; remove it from the repository (git rm --cached " +
                      rel_path + "), add it to .gitignore, and revoke any token it ever held";
    return make_finding(rule_tracked_file, Severity::error, rel_path, "tracked", std::move(msg));
  }
  if (state.ignored)
    return std::nullopt;
  std::string msg = rel_path + " " + what +
                    " and .gitignore does not cover it, so 'git add -A' would commit it; add " +
                    rel_path + " to .gitignore";
  return make_finding(rule_tracked_file, Severity::warning, rel_path, "not-ignored",
                      std::move(msg));
}

HistoryWalk find_credential_files_in_history(git_repository* repo, std::uint64_t max_trees)
{
  HistoryWalk out;
  git_revwalk* raw = nullptr;
  git::check(git_revwalk_new(&raw, repo), "starting history walk");
  git::Revwalk walk(raw);
  git::check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE),
             "sorting history walk");
  // Every reference (branches, tags, remotes, stashes...) and HEAD. Refs that do not point at
  // commits (e.g. tags of blobs) are skipped.
  git_reference_iterator* it_raw = nullptr;
  git::check(git_reference_iterator_new(&it_raw, repo), "listing references");
  git::ReferenceIterator refs(it_raw);
  git_reference* ref_raw = nullptr;
  while (git::check(git_reference_next(&ref_raw, refs.get()), "listing references")) {
    git::Reference ref(ref_raw);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref.get(), GIT_OBJECT_COMMIT) == 0) {
      git::Object obj(peeled);
      git_revwalk_push(walk.get(), git_object_id(obj.get()));
    }
  }
  git_revwalk_push_head(walk.get()); // unborn HEAD: nothing to push
  git_error_clear();

  std::map<std::string, HistoryHit> hits;
  TreeWalker trees(repo, max_trees);
  git_oid oid;
  while (git::check(git_revwalk_next(&oid, walk.get()), "walking history")) {
    git_commit* c_raw = nullptr;
    git::check(git_commit_lookup(&c_raw, repo, &oid), "reading commit");
    git::Commit commit(c_raw);
    ++out.commits;
    if (!trees.walk(*git_commit_tree_id(commit.get()), "", commit.get(), hits)) {
      out.truncated = true;
      break;
    }
  }
  out.trees = trees.trees();
  for (auto& [path, hit] : hits)
    out.hits.push_back(std::move(hit));
  return out;
}

std::vector<Finding> history_findings(const HistoryWalk& walk,
                                      const std::vector<std::string>& tracked_now)
{
  std::vector<Finding> out;
  for (const auto& hit : walk.hits) {
    if (std::find(tracked_now.begin(), tracked_now.end(), hit.path) != tracked_now.end())
      continue;
    std::string msg = hit.path +
                      " is a Zenodo client credential file present in git history "
                      "(added by commit " +
                      hit.commit.id.substr(0, 12) + " \"" + hit.commit.summary +
                      "\"); whatever it held is public to anyone with a "
                      "clone: revoke its tokens and rewrite history (git filter-repo --path " +
                      hit.path + " --invert-paths)";
    Finding f =
        make_finding(rule_tracked_file, Severity::error, hit.path, "history", std::move(msg));
    f.provenance.kind = Provenance::Kind::history;
    f.provenance.commit = hit.commit;
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace zenolint::checks
