#include "app/ignore.hpp"

#include "core/error.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace zenolint::app {
namespace {

// Length of the character class starting at pattern[i] == '[' (through its ']'), or 0 if unclosed.
std::size_t class_length(std::string_view p, std::size_t i)
{
  std::size_t j = i + 1;
  if (j < p.size() && (p[j] == '!' || p[j] == '^'))
    ++j;
  if (j < p.size() && p[j] == ']') // a leading ']' is a member
    ++j;
  for (; j < p.size(); ++j) {
    if (p[j] == '\\' && j + 1 < p.size())
      ++j;
    else if (p[j] == ']')
      return j - i + 1;
  }
  return 0;
}

bool class_matches(std::string_view cls, char c) // cls is "[...]"
{
  std::size_t j = 1;
  bool negate = false;
  if (cls[j] == '!' || cls[j] == '^') {
    negate = true;
    ++j;
  }
  bool hit = false;
  std::size_t end = cls.size() - 1;
  bool first = true;
  while (j < end) {
    char lo = cls[j];
    if (lo == ']' && !first)
      break;
    first = false;
    if (lo == '\\' && j + 1 < end)
      lo = cls[++j];
    char hi = lo;
    if (j + 2 < end && cls[j + 1] == '-') {
      hi = cls[j + 2];
      if (hi == '\\' && j + 3 < end) {
        hi = cls[j + 3];
        ++j;
      }
      j += 2;
    }
    if (c >= lo && c <= hi)
      hit = true;
    ++j;
  }
  return hit != negate;
}

// A glob is compiled to a list of steps and run as an NFA over the path: the set of live steps
// after each byte, so a match costs O(steps * path length) whatever the pattern ('**/' twelve
// times against a 40-level path, or '*a' twelve times against a 200-character name, used to
// backtrack for minutes).
std::vector<GlobStep> compile_glob(std::string_view p)
{
  std::vector<GlobStep> steps;
  std::size_t pi = 0;
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      bool seg_start = pi == 0 || p[pi - 1] == '/';
      if (double_star && seg_start && (pi + 2 == p.size() || p[pi + 2] == '/')) {
        if (pi + 2 == p.size()) {
          steps.push_back({GlobStep::rest, 0, {}});
          break;
        }
        steps.push_back({GlobStep::dirs, 0, {}});
        pi += 3;
        continue;
      }
      while (pi < p.size() && p[pi] == '*') // other runs of '*' act as one '*'
        ++pi;
      steps.push_back({GlobStep::star, 0, {}});
      continue;
    }
    if (c == '?') {
      steps.push_back({GlobStep::any, 0, {}});
    } else if (c == '[') {
      std::size_t len = class_length(p, pi);
      if (len == 0) {
        steps.push_back({GlobStep::fail, 0, {}});
        break;
      }
      steps.push_back({GlobStep::cls, 0, std::string(p.substr(pi, len))});
      pi += len;
      continue;
    } else {
      if (c == '\\' && pi + 1 < p.size())
        c = p[++pi];
      steps.push_back({GlobStep::literal, c, {}});
    }
    ++pi;
  }
  return steps;
}

// Runs `steps` over `s`. True when the whole of `s` matches (with `whole`), or when the part of
// `s` before one of its '/' matches (with `at_slash`: an ancestor directory of the path `s`).
bool run_glob(const std::vector<GlobStep>& steps, std::string_view s, bool whole, bool at_slash)
{
  const std::size_t n = steps.size();
  std::vector<char> live(n + 1, 0), next(n + 1, 0);
  // For `dirs` steps: inside a directory name (bytes read since the last '/'), where only
  // more bytes and then a '/' may follow. A `dirs` step in `live` is at a directory boundary.
  std::vector<char> inside(n, 0), next_inside(n, 0);
  // Marks step `t` and whatever it reaches without consuming a byte. Returns true when that
  // reaches a `rest` step, which matches any remainder.
  auto add = [&](std::vector<char>& set, std::size_t t) {
    for (; t <= n && !set[t]; ++t) {
      set[t] = 1;
      if (t == n)
        return false;
      auto k = steps[t].kind;
      if (k == GlobStep::rest)
        return true;
      if (k != GlobStep::star && k != GlobStep::dirs)
        return false;
    }
    return false;
  };
  // After `rest` is reached with `consumed` bytes read: the whole path matches, and so does the
  // part before any later '/'.
  auto rest_result = [&](std::size_t consumed) {
    return whole || (at_slash && s.find('/', consumed) != std::string_view::npos);
  };
  if (add(live, 0))
    return rest_result(0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (at_slash && ch == '/' && live[n])
      return true; // an ancestor directory matches
    std::fill(next.begin(), next.end(), 0);
    std::fill(next_inside.begin(), next_inside.end(), 0);
    bool any_live = false;
    bool reached_rest = false;
    for (std::size_t t = 0; t < n; ++t) {
      if (inside[t]) { // a dirs step's directory name goes on, or ends with '/'
        any_live = true;
        if (ch == '/')
          reached_rest |= add(next, t);
        else
          next_inside[t] = 1;
      }
      if (!live[t])
        continue;
      const auto& st = steps[t];
      bool stay = false, advance = false;
      switch (st.kind) {
      case GlobStep::literal:
        advance = ch == st.c;
        break;
      case GlobStep::any:
        advance = ch != '/';
        break;
      case GlobStep::cls:
        advance = ch != '/' && class_matches(st.cls_text, ch);
        break;
      case GlobStep::star:
        stay = ch != '/';
        break;
      case GlobStep::dirs: // at a boundary: '/' ends an empty name, any other byte starts one
        any_live = true;
        if (ch == '/')
          reached_rest |= add(next, t);
        else
          next_inside[t] = 1;
        break;
      case GlobStep::rest:
      case GlobStep::fail:
        break;
      }
      if (stay) {
        any_live = true;
        reached_rest |= add(next, t);
      }
      if (advance) {
        any_live = true;
        reached_rest |= add(next, t + 1);
      }
    }
    if (reached_rest)
      return rest_result(i + 1);
    if (!any_live)
      return false;
    live.swap(next);
    inside.swap(next_inside);
  }
  return whole && live[n];
}

std::string_view trim(std::string_view s)
{
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

// Why `p` is not a usable glob, or nullptr.
const char* glob_problem(std::string_view p)
{
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      if (i + 1 == p.size())
        return "trailing backslash escapes nothing";
      ++i;
    } else if (p[i] == '[' && class_length(p, i) == 0) {
      return "unclosed '[' character class";
    }
  }
  return nullptr;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path)
{
  return run_glob(compile_glob(pattern), path, true, false);
}

bool is_fingerprint(std::string_view s)
{
  if (s.size() != 64)
    return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

IgnoreFile IgnoreFile::parse(std::string_view text, const std::string& file_name,
                             std::vector<Diagnostic>& diagnostics)
{
  IgnoreFile out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#')
      continue;
    auto bad = [&](const std::string& why) {
      diagnostics.push_back(
          {Severity::warning, file_name + ":" + std::to_string(line_no), why + "; line ignored"});
    };
    // A fingerprint, optionally followed by "# note".
    std::string_view first = line.substr(0, line.find_first_of(" \t"));
    if (is_fingerprint(first)) {
      std::string_view rest = trim(line.substr(first.size()));
      if (!rest.empty() && rest.front() != '#') {
        bad("unexpected text after fingerprint (use '# note' for a note)");
        continue;
      }
      std::string fp(first);
      for (auto& c : fp)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.m_fingerprints.insert(std::move(fp));
      continue;
    }
    if (line.front() == '!') {
      bad("negated patterns ('!') are not supported");
      continue;
    }
    if (first.size() >= 16 && std::all_of(first.begin(), first.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      bad("looks like a fingerprint but has " + std::to_string(first.size()) +
          " hex digits (expected 64)");
      continue;
    }
    if (const char* why = glob_problem(line)) {
      bad(std::string("malformed path pattern: ") + why);
      continue;
    }
    Glob g;
    std::string pat(line);
    if (pat.size() > 1 && pat.back() == '/') {
      g.dir_only = true;
      while (pat.size() > 1 && pat.back() == '/')
        pat.pop_back();
    }
    if (pat == "/" || pat.empty()) {
      bad("pattern '/' would ignore everything");
      continue;
    }
    bool anchored = pat.find('/') != std::string::npos;
    if (pat.front() == '/')
      pat.erase(0, 1);
    g.pattern = anchored ? pat : "**/" + pat;
    g.steps = compile_glob(g.pattern);
    out.m_globs.push_back(std::move(g));
  }
  return out;
}

IgnoreFile IgnoreFile::load(const std::string& path, std::vector<Diagnostic>& diagnostics)
{
  // A regular file of at most 16 MiB, opened without blocking on a FIFO (it is tracked content).
  std::string text;
  ReadFileError err;
  if (!read_regular_file(path, std::uint64_t{16} << 20, text, &err))
    throw Error(path + ": cannot read ignore file: " + err.message);
  return parse(text, path, diagnostics);
}

bool IgnoreFile::ignores_path(std::string_view path) const
{
  if (m_globs.empty())
    return false;
  // Every ancestor directory (one pass: the part before each '/'), then the path itself (files
  // only for dir-only patterns).
  for (const auto& g : m_globs)
    if (run_glob(g.steps, path, !g.dir_only, true))
      return true;
  return false;
}

} // namespace zenolint::app
