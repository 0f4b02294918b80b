#include "source/tree_diff.hpp"

#include "source/tree_data.hpp"

#include <algorithm>
#include <cstring>

namespace zenolint::source {

TreeDiffer::TreeDiffer(const std::string& git_dir, std::shared_ptr<const PackPositions> packs,
                       std::function<bool(std::string_view)> watch_name)
    : m_repo(git::open(git_dir)),
      // 32 MiB of recently built objects: enough for chains of 50 across a few dozen busy
      // directories; more only adds heap (ARCHITECTURE.md).
      m_packs(std::move(packs), std::size_t{32} << 20), m_watch_name(std::move(watch_name))
{
  git_odb* odb = nullptr;
  git::check(git_repository_odb(&odb, m_repo.get()), "opening object database of " + git_dir);
  m_odb.reset(odb);
}

// Reads a tree from the packs directly when it can, else through libgit2; nullptr (and, with
// `report`, a diagnostic) when it cannot.
SharedPacked TreeDiffer::read_tree(const BlobId& id, const std::string& prefix, TreeChanges* report)
{
  std::uint64_t too_large = 0;
  SharedPacked obj = m_packs.read(id, &too_large);
  auto refuse = [&](std::uint64_t size) {
    if (report)
      report->diagnostics.push_back(
          {Severity::error, id.hex(),
           "tree" + (prefix.empty() ? std::string() : " '" + prefix + "'") + " declares " +
               std::to_string(size) + " bytes, more than the " +
               std::to_string(max_walk_object_size >> 20) + " MiB limit; not read"});
    return nullptr;
  };
  if (too_large)
    return refuse(too_large);
  if (!obj && !m_packs.corrupt().empty()) {
    if (report)
      report->diagnostics.push_back({Severity::error, id.hex(),
                                     "cannot read tree" +
                                         (prefix.empty() ? std::string() : " '" + prefix + "'") +
                                         ": " + m_packs.corrupt()});
    return nullptr;
  }
  if (!obj) {
    git_oid oid = git::to_oid(id);
    // The header first (libgit2 inflates only its first bytes): never a huge object into memory.
    std::size_t len = 0;
    git_object_t type{};
    if (git_odb_read_header(&len, &type, m_odb.get(), &oid) == 0 && len > max_walk_object_size)
      return refuse(len);
    git_odb_object* raw = nullptr;
    if (int rc = git_odb_read(&raw, m_odb.get(), &oid); rc < 0) {
      if (report)
        report->diagnostics.push_back(
            {Severity::error, id.hex(),
             "cannot read tree" + (prefix.empty() ? std::string() : " '" + prefix + "'") + ": " +
                 git::last_error_message(),
             rc == GIT_ENOTFOUND ? DiagnosticCause::missing_object : DiagnosticCause::none});
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
    if (report)
      report->diagnostics.push_back(
          {Severity::error, id.hex(), "expected a tree, found another object type"});
    return nullptr;
  }
  return obj;
}

void TreeDiffer::diff(const BlobId& root, const BlobId& base, TreeChanges& out,
                      const std::function<bool(const BlobId&)>& enter)
{
  if (enter && !enter(root))
    return;
  struct Pending {
    BlobId id, base;
    std::string prefix;
  };
  std::vector<Pending> stack{{root, base, ""}};
  while (!stack.empty()) {
    Pending top = std::move(stack.back());
    stack.pop_back();
    out.trees.push_back(top.id);
    SharedPacked tree = read_tree(top.id, top.prefix, &out);
    if (!tree)
      continue;
    // A base that cannot be read is only a lost shortcut: its own walk reported it.
    SharedPacked base_tree =
        top.base.is_zero() ? nullptr : read_tree(top.base, top.prefix, nullptr);
    std::string_view data = tree->data.view();
    std::string_view base_data = base_tree ? base_tree->data.view() : std::string_view();
    skip_common_entries(data, base_data);
    RawTreeEntry e, b;
    TreeParse base_state = next_tree_entry(base_data, b);
    // Subtrees are pushed in reverse after the loop so that they are visited in tree order.
    std::size_t first_subtree = stack.size();
    bool changed_since_check = true;
    for (;;) {
      TreeParse state = next_tree_entry(data, e);
      if (state == TreeParse::end)
        break;
      if (state == TreeParse::corrupt) {
        out.diagnostics.push_back(
            {Severity::warning, top.id.hex(), "corrupt tree: truncated entry"});
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
          if (!enter || enter(entry)) {
            path.push_back('/');
            stack.push_back({entry, in_base ? entry_id(b) : BlobId{}, std::move(path)});
          }
        } else {
          bool watched = m_watch_name && m_watch_name(e.name);
          out.blobs.push_back({entry, std::move(path), watched});
        }
      }
      // After a shared name, identical remainders mean nothing further changed. Compared once
      // after each difference only: a failed comparison runs up to the next difference, and
      // repeating it at every unchanged entry on the way made wide trees quadratic (a fifth of
      // git/git's walk CPU).
      if (!(in_base && std::memcmp(b.id, e.id, 20) == 0))
        changed_since_check = true;
      if (in_base && changed_since_check) {
        changed_since_check = false;
        if (data == base_data)
          break;
      }
    }
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first_subtree), stack.end());
  }
}

} // namespace zenolint::source
