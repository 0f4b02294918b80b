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

  // HEAD's tree, absent on an unborn branch or in an empty repository.
  git::Object head_tree;
  git_object* raw_head = nullptr;
  if (git_revparse_single(&raw_head, repo->get(), "HEAD^{tree}") == 0)
    head_tree.reset(raw_head);

  std::size_t n = git_index_entrycount(index.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (!e || !e->path)
      continue;
    if (e->mode == GIT_FILEMODE_COMMIT)
      continue; // submodule gitlink
    ++result.batch.stats.files;
    if (head_tree) {
      git_tree_entry* raw_entry = nullptr;
      if (git_tree_entry_bypath(&raw_entry, reinterpret_cast<git_tree*>(head_tree.get()),
                                e->path) == 0) {
        git::TreeEntry entry(raw_entry);
        if (git_oid_equal(git_tree_entry_id(raw_entry), &e->id) != 0 &&
            git_tree_entry_filemode(raw_entry) == static_cast<git_filemode_t>(e->mode))
          continue; // unchanged since HEAD
      }
    }
    ObjectRef ref;
    ref.id = git::to_blob_id(e->id);
    ref.provenance.kind = Provenance::Kind::staged;
    ref.provenance.path = e->path;
    result.batch.objects.push_back(std::move(ref));
  }
  return result;
}

} // namespace zenolint::source
