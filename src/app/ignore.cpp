#include "app/ignore.hpp"

#include "core/error.hpp"

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

bool match_at(std::string_view p, std::size_t pi, std::string_view s, std::size_t si)
{
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      bool seg_start = pi == 0 || p[pi - 1] == '/';
      if (double_star && seg_start && (pi + 2 == p.size() || p[pi + 2] == '/')) {
        if (pi + 2 == p.size())
          return true; // trailing "**": everything below
        // "**/": zero or more whole directories.
        std::size_t rest = pi + 3;
        if (match_at(p, rest, s, si))
          return true;
        for (std::size_t k = si; k < s.size(); ++k)
          if (s[k] == '/' && match_at(p, rest, s, k + 1))
            return true;
        return false;
      }
      while (pi < p.size() && p[pi] == '*') // other runs of '*' act as one '*'
        ++pi;
      for (std::size_t k = si;; ++k) {
        if (match_at(p, pi, s, k))
          return true;
        if (k >= s.size() || s[k] == '/')
          return false;
      }
    }
    if (si >= s.size())
      return false;
    if (c == '?') {
      if (s[si] == '/')
        return false;
    } else if (c == '[') {
      std::size_t len = class_length(p, pi);
      if (len == 0 || s[si] == '/' || !class_matches(p.substr(pi, len), s[si]))
        return false;
      pi += len;
      ++si;
      continue;
    } else {
      if (c == '\\' && pi + 1 < p.size())
        c = p[++pi];
      if (c != s[si])
        return false;
    }
    ++pi;
    ++si;
  }
  return si == s.size();
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
  return match_at(pattern, 0, path, 0);
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
    out.m_globs.push_back(std::move(g));
  }
  return out;
}

IgnoreFile IgnoreFile::load(const std::string& path, std::vector<Diagnostic>& diagnostics)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path + ": cannot read ignore file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, diagnostics);
}

bool IgnoreFile::ignores_path(std::string_view path) const
{
  if (m_globs.empty())
    return false;
  for (const auto& g : m_globs) {
    // Every ancestor directory, then the path itself (files only for dir-only patterns).
    for (std::size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1))
      if (glob_match(g.pattern, path.substr(0, i)))
        return true;
    if (!g.dir_only && glob_match(g.pattern, path))
      return true;
  }
  return false;
}

} // namespace zenolint::app
