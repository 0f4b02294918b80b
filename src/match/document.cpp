#include "match/document.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <string>

namespace zenolint::match {
namespace {

std::string_view trim_right(std::string_view s)
{
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::size_t indent(std::string_view s)
{
  std::size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t'))
    ++n;
  return n;
}

bool is_underline_char(char c)
{
  static constexpr std::string_view chars = "=-~^\"'`*+#:._";
  return chars.find(c) != std::string_view::npos;
}

// A line made of one punctuation character repeated (at least 3 times), or 0.
char underline_char(std::string_view line)
{
  line = trim_right(line);
  if (line.size() < 3 || !is_underline_char(line[0]))
    return 0;
  for (char c : line)
    if (c != line[0])
      return 0;
  return line[0];
}

// A fence opener/closer (``` or ~~~, up to 3 spaces of indent): its character, else 0.
char fence_char(std::string_view line)
{
  std::size_t i = indent(line);
  if (i > 3 || line.size() < i + 3)
    return 0;
  char c = line[i];
  if ((c != '`' && c != '~') || line[i + 1] != c || line[i + 2] != c)
    return 0;
  return c;
}

} // namespace

std::vector<Heading> document_headings(std::string_view content, DocumentKind kind)
{
  const bool org = kind == DocumentKind::org;
  const bool email = kind == DocumentKind::email;
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= content.size();) {
    std::size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(content.substr(start));
      break;
    }
    lines.push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  std::vector<Heading> out;
  std::string styles; // underline characters in order of first appearance
  char fence = 0;
  bool org_block = false; // inside #+BEGIN_SRC ... #+END_SRC (or any #+BEGIN_ block)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = trim_right(lines[i]);
    if (org) {
      std::string_view t = line.substr(indent(line));
      if (starts_with_ci(t, "#+begin_"))
        org_block = true;
      else if (starts_with_ci(t, "#+end_"))
        org_block = false;
      if (org_block)
        continue;
      std::size_t stars = 0;
      while (stars < line.size() && line[stars] == '*')
        ++stars;
      if (stars > 0 && stars < line.size() && line[stars] == ' ') {
        std::string_view text = line.substr(stars);
        text.remove_prefix(std::min(text.size(), indent(text)));
        out.push_back({i, static_cast<int>(stars), text});
        continue;
      }
    }
    if (email && starts_with_ci(line, "subject:")) {
      std::string_view text = line.substr(8);
      text.remove_prefix(std::min(text.size(), indent(text)));
      out.push_back({i, 1, text});
      continue;
    }
    if (char f = fence_char(line)) {
      if (fence == 0)
        fence = f;
      else if (f == fence)
        fence = 0;
      continue;
    }
    if (fence != 0 || line.empty())
      continue;
    std::size_t in = indent(line);
    if (in <= 3 && line[in] == '#') {
      std::size_t n = in;
      while (n < line.size() && line[n] == '#')
        ++n;
      int level = static_cast<int>(n - in);
      if (level <= 6 && (n == line.size() || line[n] == ' ' || line[n] == '\t')) {
        std::string_view text = line.substr(n);
        text.remove_prefix(std::min(text.size(), indent(text)));
        out.push_back({i, level, text});
        continue;
      }
    }
    // Setext / reST: this line is the title, the next one the underline.
    if (in != 0 || i + 1 >= lines.size() || underline_char(line) != 0)
      continue;
    char u = underline_char(lines[i + 1]);
    if (u == 0 || trim_right(lines[i + 1]).size() < std::min<std::size_t>(line.size(), 3))
      continue;
    if (u != '=' && u != '-' && trim_right(lines[i + 1]).size() < line.size())
      continue; // reST requires the underline to be at least as long as the title
    std::size_t pos = styles.find(u);
    if (pos == std::string::npos) {
      styles.push_back(u);
      pos = styles.size() - 1;
    }
    out.push_back({i, static_cast<int>(pos) + 1, line});
    ++i; // the underline is not a title
  }
  return out;
}

std::vector<std::string_view> headings_above(const std::vector<Heading>& headings, std::size_t line)
{
  std::vector<std::string_view> out;
  auto it = std::upper_bound(headings.begin(), headings.end(), line,
                             [](std::size_t l, const Heading& h) { return l < h.line; });
  int level = 1 << 20;
  while (it != headings.begin()) {
    --it;
    if (it->level < level) {
      out.push_back(it->text);
      level = it->level;
      if (level <= 1)
        break;
    }
  }
  return out;
}

} // namespace zenolint::match
