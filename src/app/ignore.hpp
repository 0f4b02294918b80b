#pragma once
// `.zenolintignore`: fingerprints of accepted findings and path globs of files never to scan.
//
// Format, one entry per line (gitignore-like):
//   # comment                      blank lines and lines starting with '#' are ignored
//   <64 hex digits> [# note]       a finding fingerprint (Finding::fingerprint, any rule)
//   rules/                         a path glob: '*' and '?' stay within one path segment,
//   docs/**/example-*.txt          '**' spans segments, [a-z] classes, '\' escapes the next
//   /top-level-only.txt            character. A pattern without '/' (other than a trailing one)
//                                  matches a file or directory name at any depth; one with '/'
//                                  is anchored at the root; a trailing '/' matches directories
//                                  only.
// A pattern that matches a directory covers everything below it. Negation ('!') is not supported.
// Paths are '/'-separated and relative to the repository root (or the scan root outside one).
#include "core/types.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::app {

// True when `path` matches the glob `pattern` as a whole ('*', '?', '**', [..], '\' escapes), in
// O(pattern length * path length).
// Throws nothing: a malformed pattern (unclosed '[') never matches; see IgnoreFile::parse.
bool glob_match(std::string_view pattern, std::string_view path);

// One step of a compiled glob; IgnoreFile compiles each pattern once and runs it as an NFA, in
// O(steps * path length).
struct GlobStep {
  enum Kind : unsigned char {
    literal, // one byte
    any,     // '?': one byte other than '/'
    cls,     // '[...]': one byte other than '/' in the class
    star,    // '*' (and runs of '*' that are not '**' segments): bytes other than '/'
    dirs,    // '**/' at a segment start: empty, or anything that ends with '/'
    rest,    // trailing '**' at a segment start: everything from here on matches
    fail,    // unclosed '[': never matches
  };
  Kind kind = literal;
  char c = 0;           // for literal
  std::string cls_text; // "[...]" for cls
};

class IgnoreFile {
public:
  // Parses `text` read from `file_name` (used in diagnostics). Malformed lines become warnings
  // naming the file and line and are skipped; the rest still applies.
  static IgnoreFile parse(std::string_view text, const std::string& file_name,
                          std::vector<Diagnostic>& diagnostics);
  // Reads and parses `path`. Throws Error when it cannot be read.
  static IgnoreFile load(const std::string& path, std::vector<Diagnostic>& diagnostics);

  // True when `path` (or one of its parent directories) matches a path glob.
  bool ignores_path(std::string_view path) const;
  bool ignores_fingerprint(const std::string& fingerprint) const
  {
    return m_fingerprints.count(fingerprint) != 0;
  }
  bool empty() const { return m_globs.empty() && m_fingerprints.empty(); }
  std::size_t glob_count() const { return m_globs.size(); }
  std::size_t fingerprint_count() const { return m_fingerprints.size(); }

private:
  struct Glob {
    std::string pattern; // anchored form, e.g. "**/name" or "dir/*.txt"
    std::vector<GlobStep> steps;
    bool dir_only = false;
  };
  std::vector<Glob> m_globs;
  std::set<std::string> m_fingerprints;
};

// True when `s` is a fingerprint: exactly 64 lowercase or uppercase hex digits.
bool is_fingerprint(std::string_view s);

} // namespace zenolint::app
