#pragma once
// git's ignore rules (gitignore(5)), for the working-tree listing of a checkout without libgit2
// (source/worktree.hpp). Follows git's dir.c and wildmatch.c: the same parsing of a pattern file
// (a UTF-8 byte order mark skipped, "\r\n" line ends, '#' comments, unescaped trailing spaces
// trimmed, '!' negation, a trailing '/' for directories only, a '/' elsewhere anchoring the
// pattern to the file's directory), the same matching (a basename match for patterns without
// '/', `**` only as a whole path component, escapes, bracket classes with ranges and [:name:],
// core.ignoreCase folding ASCII letters) and the same precedence: within a file the last
// matching pattern wins; a deeper directory's .gitignore before a shallower one, then
// $GIT_DIR/info/exclude, then core.excludesFile.
//
// Hostile input is bounded: a pattern file larger than max_pattern_file bytes, or one that would
// take a listing over max_patterns_total patterns, is not used at all (git gives up above 100
// MiB) and a pattern longer than max_pattern_length bytes is dropped, each with a diagnostic
// naming the file; matching keeps git's wildmatch abort rule (no exponential
// backtracking: `*a*a*a*...b` against a long name fails in polynomial time) and its recursion is
// bounded by the pattern length.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::source {

inline constexpr std::size_t max_pattern_file = 4u << 20;
inline constexpr std::size_t max_pattern_length = 4096;
// Patterns one listing uses in all, over every pattern file: each untracked path is matched
// against the patterns of its directory chain, so a repository shipping 400,000 patterns made a
// listing of 5,000 untracked files take 50 s (git status took 65 s). A file that would pass this
// total is not used (a diagnostic names it): more files are scanned, never fewer hidden.
inline constexpr std::size_t max_patterns_total = 20000;

// git's wildmatch(pattern, text, flags) == WM_MATCH. `pattern` and `text` are cut at their first
// NUL byte, as git's C strings would be.
inline constexpr unsigned wm_casefold = 1;
inline constexpr unsigned wm_pathname = 2;
bool wildmatch(std::string_view pattern, std::string_view text, unsigned flags);

struct IgnorePattern {
  std::string pattern;          // without a leading '!' and a trailing '/'
  std::size_t literal_prefix{}; // bytes before the first wildcard (git's nowildcardlen)
  bool negative = false;        // '!'
  bool dir_only = false;        // trailing '/'
  bool basename_only = false;   // no '/' in the pattern: matched against the last component
  bool ends_with = false;       // "*literal": a suffix compare
};

// The patterns of one file, in file order, and the directory they are relative to.
struct IgnoreList {
  std::string base; // "" for the top of the work tree and for info/exclude, core.excludesFile;
                    // else the directory with a trailing '/' ("src/")
  std::vector<IgnorePattern> patterns;
};

// Parses the content of a pattern file as git does (add_patterns_from_buffer). Patterns longer
// than max_pattern_length are dropped, and counted in `*dropped` when given.
IgnoreList parse_ignore_list(std::string_view text, std::string base,
                             std::size_t* dropped = nullptr);

// The per-directory lists from the top of the work tree down to one directory, as a chain that
// shares its ancestors (a directory walk in any order keeps one node per directory).
struct IgnoreNode {
  std::shared_ptr<const IgnoreNode> parent;
  IgnoreList list; // may be empty (no .gitignore here)
};

enum class IgnoreVerdict { none, excluded, included };

class IgnoreRules {
public:
  // `files`: the lists of info/exclude and core.excludesFile, highest precedence first.
  IgnoreRules(std::vector<IgnoreList> files, bool ignore_case);

  // Whether `path` (relative to the work tree, '/'-separated, no trailing '/') is ignored given
  // the per-directory lists of its parent directory (`dirs`, deepest first through `parent`).
  // `is_dir`: the entry is a directory (dir-only patterns match only then; a symbolic link to a
  // directory is not one).
  bool excluded(std::string_view path, bool is_dir, const IgnoreNode* dirs) const;
  bool ignore_case() const { return m_ignore_case; }

private:
  IgnoreVerdict in_list(const IgnoreList& list, std::string_view path, std::string_view name,
                        bool is_dir) const;
  std::vector<IgnoreList> m_files;
  bool m_ignore_case;
};

} // namespace zenolint::source
