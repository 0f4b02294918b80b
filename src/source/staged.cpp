#include "source/staged.hpp"

#include "core/error.hpp"
#include "git/git.hpp"

namespace zenolint::source {

StagedResult enumerate_staged(const std::string& path)
{
  auto repo = git::discover(path, true);
  if (!repo)
    throw Error(path + ": not inside a git repository (--staged needs one)");
  StagedResult result;
  result.git_dir = git_repository_path(repo->get());
  git_index* raw_index = nullptr;
  git::check(git_repository_index(&raw_index, repo->get()), "reading the index of " + path);
  git::Index index(raw_index);

  // HEAD's tree, absent on an unborn branch or in an empty repository (then every entry is new).
  git::Tree head_tree;
  git_object* raw_head = nullptr;
  if (git_revparse_single(&raw_head, repo->get(), "HEAD^{tree}") == 0)
    head_tree.reset(reinterpret_cast<git_tree*>(raw_head));
  git_error_clear();

  // One tree-to-index diff: unchanged subtrees cost a tree-id comparison, not a lookup per entry.
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
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
