#pragma once
// Raw git tree objects for the history walk: an entry parser, git's tree-entry order, and the
// shortcut past entries a tree shares with its base.
//
// The walk compares each new tree with the tree at the same path in the commit's first parent
// (as `git diff-tree` does): entries whose name and id are unchanged are skipped without an id-set
// probe, and leading bytes the two trees share are skipped without parsing the base.
#include "core/types.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace zenolint::source {

struct RawTreeEntry {
  std::string_view mode;
  std::string_view name;
  const unsigned char* id = nullptr; // 20 bytes inside the tree's buffer
  bool dir = false;
  bool gitlink = false;
};

enum class TreeParse { entry, end, corrupt };

// Reads the entry at the front of `data` ("<octal mode> <name>\0<20-byte id>") and drops it.
inline TreeParse next_tree_entry(std::string_view& data, RawTreeEntry& e)
{
  if (data.empty())
    return TreeParse::end;
  std::size_t sp = data.find(' ');
  if (sp == std::string_view::npos)
    return TreeParse::corrupt;
  std::size_t nul = data.find('\0', sp);
  if (nul == std::string_view::npos || nul + 21 > data.size())
    return TreeParse::corrupt;
  e.mode = data.substr(0, sp);
  e.name = data.substr(sp + 1, nul - sp - 1);
  e.id = reinterpret_cast<const unsigned char*>(data.data() + nul + 1);
  e.dir = e.mode == "40000" || e.mode == "040000";
  e.gitlink = e.mode == "160000";
  data.remove_prefix(nul + 21);
  return TreeParse::entry;
}

// Length of the common prefix of `a` and `b`.
inline std::size_t common_prefix(std::string_view a, std::string_view b)
{
  std::size_t n = std::min(a.size(), b.size()), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y)
      break;
  }
  while (i < n && a[i] == b[i])
    ++i;
  return i;
}

// Drops from `tree` and `base` the leading entries they share byte for byte, so that both start
// at the first entry that differs. Parses only `tree`: up to the first differing byte, both
// buffers are the same bytes, hence the same entries at the same offsets.
inline void skip_common_entries(std::string_view& tree, std::string_view& base)
{
  std::size_t same = common_prefix(tree, base);
  std::string_view rest = tree;
  RawTreeEntry e;
  std::size_t offset = 0;
  while (next_tree_entry(rest, e) == TreeParse::entry) {
    std::size_t end = tree.size() - rest.size();
    if (end > same)
      break;
    offset = end;
  }
  tree.remove_prefix(offset);
  base.remove_prefix(offset);
}

// Git's tree order: names compared bytewise, a directory's name as if it ended in '/'. The one
// definition (the history walk's tree comparison and the staged reader's index-vs-HEAD merge).
inline int tree_name_order(std::string_view a, bool a_dir, std::string_view b, bool b_dir)
{
  std::size_t n = std::min(a.size(), b.size());
  if (int c = std::memcmp(a.data(), b.data(), n))
    return c;
  int ca = a.size() > n ? static_cast<unsigned char>(a[n]) : (a_dir ? '/' : 0);
  int cb = b.size() > n ? static_cast<unsigned char>(b[n]) : (b_dir ? '/' : 0);
  return ca - cb;
}

inline int tree_order(const RawTreeEntry& a, const RawTreeEntry& b)
{
  return tree_name_order(a.name, a.dir, b.name, b.dir);
}

inline BlobId entry_id(const RawTreeEntry& e)
{
  BlobId id;
  std::memcpy(id.bytes.data(), e.id, 20);
  return id;
}

} // namespace zenolint::source
