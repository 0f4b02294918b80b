#include "source/gitignore.hpp"

#include <cstring>

namespace zenolint::source {

namespace {

// git's own ASCII ctype (sane-ctype.h), locale-independent: bytes >= 128 are in no class.
bool is_upper(unsigned char c)
{
  return c >= 'A' && c <= 'Z';
}
bool is_lower(unsigned char c)
{
  return c >= 'a' && c <= 'z';
}
bool is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}
bool is_alpha(unsigned char c)
{
  return is_upper(c) || is_lower(c);
}
bool is_alnum(unsigned char c)
{
  return is_alpha(c) || is_digit(c);
}
bool is_print(unsigned char c)
{
  return c >= 0x20 && c <= 0x7e;
}
bool is_graph(unsigned char c)
{
  return c > 0x20 && c <= 0x7e;
}
bool is_cntrl(unsigned char c)
{
  return c < 0x20 || c == 0x7f;
}
bool is_punct(unsigned char c)
{
  return is_graph(c) && !is_alnum(c);
}
bool is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_blank(unsigned char c)
{
  return c == ' ' || c == '\t';
}
bool is_xdigit(unsigned char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned char to_lower(unsigned char c)
{
  return is_upper(c) ? static_cast<unsigned char>(c + 32) : c;
}
unsigned char to_upper(unsigned char c)
{
  return is_lower(c) ? static_cast<unsigned char>(c - 32) : c;
}
bool is_glob_special(unsigned char c)
{
  return c == '*' || c == '?' || c == '[' || c == '\\';
}

constexpr int wm_match = 0;
constexpr int wm_nomatch = 1;
constexpr int wm_abort_all = -1;
constexpr int wm_abort_to_starstar = -2;

bool class_is(const unsigned char* s, int len, const char* name)
{
  return static_cast<std::size_t>(len) == std::strlen(name) &&
         std::memcmp(s, name, static_cast<std::size_t>(len)) == 0;
}

// git's dowild (wildmatch.c, after Rich $alz and Wayne Davison), on NUL-terminated strings.
// A '*' that fails against the rest of the text returns "abort" rather than "no match", so the
// stars before it do not retry: the search stays polynomial. Recursion depth is at most the
// number of '*' runs in the pattern (bounded by max_pattern_length).
int dowild(const unsigned char* p, const unsigned char* text, unsigned flags)
{
  const unsigned char* pattern = p;
  unsigned char p_ch;
  for (; (p_ch = *p) != '\0'; text++, p++) {
    int matched, match_slash, negated;
    unsigned char t_ch, prev_ch;
    if ((t_ch = *text) == '\0' && p_ch != '*')
      return wm_abort_all;
    if ((flags & wm_casefold) && is_upper(t_ch))
      t_ch = to_lower(t_ch);
    if ((flags & wm_casefold) && is_upper(p_ch))
      p_ch = to_lower(p_ch);
    switch (p_ch) {
    case '\\':
      // A literal match of the next character; "default" handles p[1] == '\0'.
      p_ch = *++p;
      [[fallthrough]];
    default:
      if (t_ch != p_ch)
        return wm_nomatch;
      continue;
    case '?':
      if ((flags & wm_pathname) && t_ch == '/')
        return wm_nomatch;
      continue;
    case '*':
      if (*++p == '*') {
        const unsigned char* prev_p = p;
        while (*++p == '*') {
        }
        if (!(flags & wm_pathname)) {
          match_slash = 1;
        } else if ((prev_p - pattern < 2 || *(prev_p - 2) == '/') &&
                   (*p == '\0' || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
          // "foo/**/bar" also matches "foo/bar": try "**/" as nothing first. Unlike git, an
          // abort there is final: the text ran out for the rest of the pattern, and the loop
          // below would only give it less (git retries, exponential in the number of "**/").
          if (p[0] == '/') {
            const int zero = dowild(p + 1, text, flags);
            if (zero == wm_match || zero == wm_abort_all)
              return zero;
          }
          match_slash = 1;
        } else {
          match_slash = 0;
        }
      } else {
        match_slash = (flags & wm_pathname) ? 0 : 1;
      }
      if (*p == '\0') {
        // Trailing "**" matches everything, trailing "*" only without a further '/'.
        if (!match_slash && std::strchr(reinterpret_cast<const char*>(text), '/'))
          return wm_abort_to_starstar;
        return wm_match;
      }
      if (!match_slash && *p == '/') {
        // One '*' followed by '/' (pathname mode) matches up to the next directory.
        const char* slash = std::strchr(reinterpret_cast<const char*>(text), '/');
        if (!slash)
          return wm_abort_all;
        text = reinterpret_cast<const unsigned char*>(slash);
        break; // the slash is consumed by the loop
      }
      for (;;) {
        if (t_ch == '\0')
          break;
        // A literal after the star: skip to its next occurrence (not past a '/' when the star
        // cannot match one).
        if (!is_glob_special(*p)) {
          p_ch = *p;
          if ((flags & wm_casefold) && is_upper(p_ch))
            p_ch = to_lower(p_ch);
          while ((t_ch = *text) != '\0' && (match_slash || t_ch != '/')) {
            if ((flags & wm_casefold) && is_upper(t_ch))
              t_ch = to_lower(t_ch);
            if (t_ch == p_ch)
              break;
            text++;
          }
          if (t_ch != p_ch)
            return match_slash ? wm_abort_all : wm_abort_to_starstar;
        }
        if ((matched = dowild(p, text, flags)) != wm_nomatch) {
          if (!match_slash || matched != wm_abort_to_starstar)
            return matched;
        } else if (!match_slash && t_ch == '/') {
          return wm_abort_to_starstar;
        }
        t_ch = *++text;
      }
      return wm_abort_all;
    case '[':
      p_ch = *++p;
      if (p_ch == '^')
        p_ch = '!';
      negated = p_ch == '!' ? 1 : 0;
      if (negated)
        p_ch = *++p;
      prev_ch = 0;
      matched = 0;
      do {
        if (!p_ch)
          return wm_abort_all;
        if (p_ch == '\\') {
          p_ch = *++p;
          if (!p_ch)
            return wm_abort_all;
          if (t_ch == p_ch)
            matched = 1;
        } else if (p_ch == '-' && prev_ch && p[1] && p[1] != ']') {
          p_ch = *++p;
          if (p_ch == '\\') {
            p_ch = *++p;
            if (!p_ch)
              return wm_abort_all;
          }
          if (t_ch <= p_ch && t_ch >= prev_ch) {
            matched = 1;
          } else if ((flags & wm_casefold) && is_lower(t_ch)) {
            unsigned char upper = to_upper(t_ch);
            if (upper <= p_ch && upper >= prev_ch)
              matched = 1;
          }
          p_ch = 0; // prev_ch becomes 0
        } else if (p_ch == '[' && p[1] == ':') {
          const unsigned char* s;
          for (s = p += 2; (p_ch = *p) && p_ch != ']'; p++) {
          }
          if (!p_ch)
            return wm_abort_all;
          int i = static_cast<int>(p - s) - 1;
          if (i < 0 || p[-1] != ':') {
            // No ":]": a plain '[' in the set.
            p = s - 2;
            p_ch = '[';
            if (t_ch == p_ch)
              matched = 1;
            prev_ch = p_ch;
            p_ch = *++p;
            continue;
          }
          bool in = false;
          if (class_is(s, i, "alnum"))
            in = is_alnum(t_ch);
          else if (class_is(s, i, "alpha"))
            in = is_alpha(t_ch);
          else if (class_is(s, i, "blank"))
            in = is_blank(t_ch);
          else if (class_is(s, i, "cntrl"))
            in = is_cntrl(t_ch);
          else if (class_is(s, i, "digit"))
            in = is_digit(t_ch);
          else if (class_is(s, i, "graph"))
            in = is_graph(t_ch);
          else if (class_is(s, i, "lower"))
            in = is_lower(t_ch);
          else if (class_is(s, i, "print"))
            in = is_print(t_ch);
          else if (class_is(s, i, "punct"))
            in = is_punct(t_ch);
          else if (class_is(s, i, "space"))
            in = is_space(t_ch);
          else if (class_is(s, i, "upper"))
            in = is_upper(t_ch) || ((flags & wm_casefold) && is_lower(t_ch));
          else if (class_is(s, i, "xdigit"))
            in = is_xdigit(t_ch);
          else
            return wm_abort_all; // malformed [:class:]
          if (in)
            matched = 1;
          p_ch = 0; // prev_ch becomes 0
        } else if (t_ch == p_ch) {
          matched = 1;
        }
        prev_ch = p_ch;
        p_ch = *++p;
      } while (p_ch != ']');
      if (matched == negated || ((flags & wm_pathname) && t_ch == '/'))
        return wm_nomatch;
      continue;
    }
  }
  return *text ? wm_nomatch : wm_match;
}

// git's fspathncmp: byte compare, ASCII letters folded under core.ignoreCase.
bool same_prefix(std::string_view a, std::string_view b, std::size_t n, bool icase)
{
  if (a.size() < n || b.size() < n)
    return false;
  if (!icase)
    return std::memcmp(a.data(), b.data(), n) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (to_lower(static_cast<unsigned char>(a[i])) != to_lower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::size_t simple_length(std::string_view s)
{
  std::size_t i = 0;
  while (i < s.size() && !is_glob_special(static_cast<unsigned char>(s[i])))
    ++i;
  return i;
}

// git's trim_trailing_spaces: unescaped trailing ' ' only (not tabs).
std::string_view trim_trailing_spaces(std::string_view s)
{
  std::size_t last_space = std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    switch (s[i]) {
    case ' ':
      if (last_space == std::string_view::npos)
        last_space = i;
      break;
    case '\\':
      ++i;
      if (i >= s.size())
        return s;
      [[fallthrough]];
    default:
      last_space = std::string_view::npos;
    }
  }
  return last_space == std::string_view::npos ? s : s.substr(0, last_space);
}

IgnorePattern make_pattern(std::string_view p)
{
  IgnorePattern out;
  if (!p.empty() && p[0] == '!') {
    out.negative = true;
    p.remove_prefix(1);
  }
  if (!p.empty() && p.back() == '/') {
    p.remove_suffix(1);
    out.dir_only = true;
  }
  out.basename_only = p.find('/') == std::string_view::npos;
  out.literal_prefix = simple_length(p);
  out.ends_with = !p.empty() && p[0] == '*' && simple_length(p.substr(1)) == p.size() - 1;
  out.pattern.assign(p);
  return out;
}

} // namespace

bool wildmatch(std::string_view pattern, std::string_view text, unsigned flags)
{
  std::string p(pattern.substr(0, pattern.find('\0')));
  std::string t(text.substr(0, text.find('\0')));
  return dowild(reinterpret_cast<const unsigned char*>(p.c_str()),
                reinterpret_cast<const unsigned char*>(t.c_str()), flags) == wm_match;
}

IgnoreList parse_ignore_list(std::string_view text, std::string base, std::size_t* dropped)
{
  IgnoreList list;
  list.base = std::move(base);
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    // git appends a '\n' to the buffer: the last line counts without one.
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty() || line[0] == '#')
      continue;
    if (line.back() == '\r')
      line.remove_suffix(1);
    line = line.substr(0, line.find('\0')); // a C string in git
    line = trim_trailing_spaces(line);
    if (line.size() > max_pattern_length) {
      if (dropped)
        ++*dropped;
      continue;
    }
    list.patterns.push_back(make_pattern(line));
  }
  return list;
}

IgnoreRules::IgnoreRules(std::vector<IgnoreList> files, bool ignore_case)
    : m_files(std::move(files)), m_ignore_case(ignore_case)
{}

IgnoreVerdict IgnoreRules::in_list(const IgnoreList& list, std::string_view path,
                                   std::string_view name, bool is_dir) const
{
  const unsigned flags = m_ignore_case ? wm_casefold : 0;
  for (auto it = list.patterns.rbegin(); it != list.patterns.rend(); ++it) {
    const IgnorePattern& pat = *it;
    if (pat.dir_only && !is_dir)
      continue;
    std::string_view pattern = pat.pattern;
    bool hit = false;
    if (pat.basename_only) {
      // match_basename
      if (pat.literal_prefix == pattern.size()) {
        hit =
            pattern.size() == name.size() && same_prefix(pattern, name, name.size(), m_ignore_case);
      } else if (pat.ends_with) {
        std::string_view tail = pattern.substr(1);
        hit = tail.size() <= name.size() &&
              same_prefix(tail, name.substr(name.size() - tail.size()), tail.size(), m_ignore_case);
      } else {
        hit = dowild(reinterpret_cast<const unsigned char*>(pat.pattern.c_str()),
                     reinterpret_cast<const unsigned char*>(name.data()), flags) == wm_match;
      }
    } else {
      // match_pathname: the pattern is relative to the list's directory.
      std::size_t prefix = pat.literal_prefix;
      std::size_t offset = 0; // into pat.pattern
      if (!pattern.empty() && pattern[0] == '/') {
        offset = 1;
        pattern.remove_prefix(1);
        prefix = prefix > 0 ? prefix - 1 : 0;
      }
      const std::size_t baselen = list.base.empty() ? 0 : list.base.size() - 1;
      if (path.size() < baselen + 1 || (baselen && path[baselen] != '/') ||
          !same_prefix(path, list.base, baselen, m_ignore_case))
        continue;
      std::string_view rest = baselen ? path.substr(baselen + 1) : path;
      if (prefix) {
        if (prefix > rest.size() || !same_prefix(pattern, rest, prefix, m_ignore_case))
          continue;
        if (pattern.size() == prefix && rest.size() == prefix) {
          hit = true;
        } else {
          // One character of the prefix stays, so wildmatch sees where a component starts.
          --prefix;
          offset += prefix;
          rest.remove_prefix(prefix);
        }
      }
      if (!hit)
        hit = dowild(reinterpret_cast<const unsigned char*>(pat.pattern.c_str() + offset),
                     reinterpret_cast<const unsigned char*>(rest.data()),
                     flags | wm_pathname) == wm_match;
    }
    if (hit)
      return pat.negative ? IgnoreVerdict::included : IgnoreVerdict::excluded;
  }
  return IgnoreVerdict::none;
}

bool IgnoreRules::excluded(std::string_view path, bool is_dir, const IgnoreNode* dirs) const
{
  // `path` is the tail of a NUL-terminated string for dowild: callers pass a std::string's view.
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const IgnoreNode* node = dirs; node; node = node->parent.get()) {
    auto v = in_list(node->list, path, name, is_dir);
    if (v != IgnoreVerdict::none)
      return v == IgnoreVerdict::excluded;
  }
  for (const auto& list : m_files) {
    auto v = in_list(list, path, name, is_dir);
    if (v != IgnoreVerdict::none)
      return v == IgnoreVerdict::excluded;
  }
  return false;
}

} // namespace zenolint::source
