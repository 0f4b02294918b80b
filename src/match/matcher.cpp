#include "match/matcher.hpp"

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "match/document.hpp"
#include "match/keyword.hpp"
#include "match/pattern.hpp"
#include "match/token.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <optional>
#include <re2/re2.h>
#include <re2/set.h>
#include <unordered_map>

namespace zenolint::match {
namespace {

RE2::Options re2_options(bool case_insensitive = false)
{
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  o.set_case_sensitive(!case_insensitive);
  return o;
}

// Where an INI/TOML section header `[name]` names a section, the trimmed name; else nothing.
std::optional<std::string_view> section_header(std::string_view line)
{
  constexpr auto npos = std::string_view::npos;
  if (line.substr(0, 3) == "\xEF\xBB\xBF") // UTF-8 BOM
    line.remove_prefix(3);
  std::size_t i = line.find_first_not_of(" \t");
  if (i == npos || line[i] != '[')
    return std::nullopt;
  std::size_t close = line.find(']', i + 1);
  if (close == npos || line.find_first_not_of(" \t\r", close + 1) != npos)
    return std::nullopt;
  std::string_view name = line.substr(i + 1, close - i - 1);
  std::size_t b = name.find_first_not_of(" \t[");
  std::size_t e = name.find_last_not_of(" \t");
  if (b == npos || e == npos || e < b)
    return std::nullopt;
  return name.substr(b, e - b + 1);
}

// `line` with every run of 40 or more letters and digits blanked out: an exclude pattern (other
// services' names, digest words) must judge the words around a secret, never letters inside
// one ("aws" or "Salt9" occur in about 1 random token in 100).
std::string without_long_runs(std::string_view line)
{
  std::string out(line);
  // Escaped line ends and tabs in a JSON string (a notebook's `"# zenodo\nsha256 = ..."`)
  // separate words as the characters they stand for do.
  for (std::size_t k = 0; k + 1 < out.size(); ++k)
    if (out[k] == '\\' && (out[k + 1] == 'n' || out[k + 1] == 'r' || out[k + 1] == 't'))
      out[k] = out[k + 1] = ' ';
  std::size_t i = 0;
  while (i < out.size()) {
    if (!std::isalnum(static_cast<unsigned char>(out[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && std::isalnum(static_cast<unsigned char>(out[j])))
      ++j;
    if (j - i >= 40)
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(i),
                out.begin() + static_cast<std::ptrdiff_t>(j), ' ');
    i = j;
  }
  return out;
}

bool is_base64_char(char c)
{
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '+' || c == '/' || c == '-' || c == '_';
}

bool is_token_text(std::string_view s)
{
  return s.size() == 60 &&
         s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789") == std::string_view::npos;
}

// The other half of HTTP Basic credentials: up to 100 printable ASCII characters, no colon.
bool is_basic_half(std::string_view s)
{
  if (s.size() > 100)
    return false;
  for (char c : s)
    if (c < 0x21 || c > 0x7e || c == ':')
      return false;
  return true;
}

// For a rule with decode_base64: whether content[off, off + len) is a whole base64 run (not a
// window of a longer one) that decodes to a token, optionally followed by one line end (`echo
// $TOKEN | base64`), or to HTTP Basic credentials with the token on one side of the colon
// (`user:TOKEN` as `Authorization: Basic` and Docker's `"auth"` write them, or `TOKEN:x`), which
// passes the token checks when `checks`. The token goes to `out`.
bool base64_token(std::string_view content, std::size_t off, std::size_t len, bool checks,
                  const TokenCheckOptions& options, std::string& out)
{
  if (off > 0 && is_base64_char(content[off - 1]))
    return false;
  std::size_t end = off + len;
  if (end < content.size() && (is_base64_char(content[end]) || content[end] == '='))
    return false;
  auto decoded = base64_decode(content.substr(off, len));
  if (!decoded)
    return false;
  std::string& d = *decoded;
  if (!d.empty() && d.back() == '\n')
    d.pop_back();
  if (!d.empty() && d.back() == '\r')
    d.pop_back();
  if (!is_token_text(d)) {
    std::size_t colon = d.find(':');
    if (colon == std::string::npos || d.find(':', colon + 1) != std::string::npos)
      return false;
    std::string_view user = std::string_view(d).substr(0, colon);
    std::string_view pass = std::string_view(d).substr(colon + 1);
    if (is_token_text(pass) && is_basic_half(user))
      d = std::string(pass);
    else if (is_token_text(user) && is_basic_half(pass))
      d = std::string(user);
    else
      return false;
  }
  if (checks && implausible_token_reason(d, 0, 60, options) != nullptr)
    return false;
  out = std::move(d);
  return true;
}

bool contains_allow(std::string_view line)
{
  static constexpr std::string_view tag = "zenolint:allow";
  for (std::size_t pos = line.find(tag); pos != std::string_view::npos;
       pos = line.find(tag, pos + 1)) {
    std::string_view rest = line.substr(pos + tag.size());
    if (rest.substr(0, 10) != "-next-line")
      return true;
  }
  return false;
}

// Facts about one blob that every match in it needs, each computed at most once per blob so that
// matching stays linear in the size of the content however many matches there are (40,000
// matches on 40,000 lines, or 10,000 on one 810 KB line): line starts (binary search for a
// line), section headers (binary search for the enclosing one), per-line hash and allow flags,
// and a column cursor that counts code points only from the previous position on the same line.
class BlobIndex {
public:
  explicit BlobIndex(std::string_view text) : m_text(text)
  {
    // Counted first, so that the starts take 8 bytes per line and not up to twice that after
    // the vector's growth (ten million short lines: 80 MB, not 160).
    m_starts.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    m_starts.push_back(0);
    work += text.size();
    for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
      m_starts.push_back(i + 1);
  }
  // 0-based line of byte offset
  std::size_t line_of(std::size_t offset) const
  {
    auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    return static_cast<std::size_t>(it - m_starts.begin()) - 1;
  }
  std::size_t start(std::size_t line) const { return m_starts[line]; }
  std::size_t end(std::size_t line) const // excluding '\n'
  {
    return line + 1 < m_starts.size() ? m_starts[line + 1] - 1 : m_text.size();
  }
  std::size_t count() const { return m_starts.size(); }
  std::string_view text(std::size_t line) const
  {
    return m_text.substr(start(line), end(line) - start(line));
  }
  // 1-based column in code points of byte `offset` on its line. Calls with increasing offsets
  // on one line cost only the bytes between them.
  std::uint32_t column(std::size_t line, std::size_t offset)
  {
    if (m_cursor_line != line || offset < m_cursor_offset) {
      m_cursor_line = line;
      m_cursor_offset = start(line);
      m_cursor_column = 1;
    }
    work += offset - m_cursor_offset;
    m_cursor_column += utf8_column(m_text.substr(m_cursor_offset, offset - m_cursor_offset)) - 1;
    m_cursor_offset = offset;
    return m_cursor_column;
  }
  // The section enclosing `line` (nearest header on an earlier line), or empty.
  std::string_view section(std::size_t line)
  {
    if (!m_headers_built) {
      m_headers_built = true;
      for (std::size_t l = 0; l < count(); ++l)
        if (auto name = section_header(text(l)))
          m_headers.emplace_back(l, *name);
      work += m_text.size();
    }
    auto it = std::lower_bound(m_headers.begin(), m_headers.end(), line,
                               [](const auto& h, std::size_t l) { return h.first < l; });
    return it == m_headers.begin() ? std::string_view() : std::prev(it)->second;
  }
  // 16 hex digits of SHA-256 over the line without whitespace.
  const std::string& line_hash(std::size_t line)
  {
    auto [it, inserted] = m_line_hashes.try_emplace(line);
    if (inserted) {
      work += end(line) - start(line);
      std::string squeezed;
      for (char ch : text(line))
        if (!std::isspace(static_cast<unsigned char>(ch)))
          squeezed.push_back(ch);
      it->second = sha256_hex(squeezed).substr(0, 16);
    }
    return it->second;
  }
  // An inline zenolint:allow on the line, or zenolint:allow-next-line on the line before.
  bool allowed(std::size_t line)
  {
    auto [it, inserted] = m_allowed.try_emplace(line, false);
    if (inserted) {
      work += end(line) - start(line) + (line > 0 ? end(line - 1) - start(line - 1) : 0);
      it->second =
          contains_allow(text(line)) ||
          (line > 0 && text(line - 1).find("zenolint:allow-next-line") != std::string_view::npos);
    }
    return it->second;
  }

  // Bytes looked at so far for per-match context (MatchStats::context_bytes).
  std::size_t work = 0;

private:
  std::string_view m_text;
  std::vector<std::size_t> m_starts;
  std::size_t m_cursor_line = static_cast<std::size_t>(-1);
  std::size_t m_cursor_offset = 0;
  std::uint32_t m_cursor_column = 1;
  bool m_headers_built = false;
  std::vector<std::pair<std::size_t, std::string_view>> m_headers;
  std::unordered_map<std::size_t, std::string> m_line_hashes;
  std::unordered_map<std::size_t, bool> m_allowed;
};

// What an `exclude` pattern judges for a secret at [off, off + len) of line `line`: the line,
// except that on a line of JSON objects the `{...}` objects that do not hold the secret are
// blanked (`[{"service": "osf", ...}, {"service": "zenodo", "token": ...}]`): another object's
// service name does not exclude this one, while the keys of the objects around the secret
// (`GITHUB = {"Authorization": ...}`, `{"github": {"token": ...}}`) still do. Returns the
// innermost object holding the secret (or the line), which is all the text depends on: the
// caller judges each such span once. Lines over 4 KB are judged whole (bounded work per match).
std::pair<std::size_t, std::size_t> exclude_span(const BlobIndex& lines, std::size_t line,
                                                 std::size_t off, std::size_t len)
{
  std::size_t b = lines.start(line), e = lines.end(line);
  if (e - b > 4096 || off < b || off + len > e)
    return {b, e};
  std::string_view t = lines.text(line);
  std::size_t rel = off - b, open = std::string_view::npos, close = std::string_view::npos;
  int depth = 0;
  for (std::size_t i = rel; i-- > 0;) {
    if (t[i] == '}')
      ++depth;
    else if (t[i] == '{' && depth-- == 0) {
      open = i;
      break;
    }
  }
  depth = 0;
  for (std::size_t i = rel + len; i < t.size(); ++i) {
    if (t[i] == '{')
      ++depth;
    else if (t[i] == '}' && depth-- == 0) {
      close = i;
      break;
    }
  }
  if (open == std::string_view::npos || close == std::string_view::npos)
    return {b, e};
  return {b + open, b + close + 1};
}

// Whether `t` starts (after blanks and an optional quote) with the key `key` followed by `:` or
// `=`: `"value": …`, `name = …`. ASCII case-insensitive.
bool starts_with_key(std::string_view t, std::string_view key)
{
  std::size_t i = 0;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t'))
    ++i;
  if (i < t.size() && (t[i] == '"' || t[i] == '\''))
    ++i;
  if (!starts_with_ci(t.substr(i), key))
    return false;
  i += key.size();
  if (i < t.size() && (t[i] == '"' || t[i] == '\''))
    ++i;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t'))
    ++i;
  return i < t.size() && (t[i] == ':' || t[i] == '=');
}

// The name line of a name/value pair written over two lines, as Postman (`"key": "github_token",`
// above `"value": "…"`), HAR headers and query strings (`"name": …`) write them: for a line that
// starts with a `value` key, the nearest of the two lines above that starts with a `key` or
// `name` key, not across a brace. Empty otherwise.
std::string_view pair_name_line(const BlobIndex& lines, std::size_t line)
{
  std::string_view t = lines.text(line);
  if (t.size() > 4096 || !starts_with_key(t, "value"))
    return {};
  for (std::size_t l = line, steps = 0; l > 0 && steps < 2; ++steps) {
    std::string_view u = lines.text(--l);
    if (u.size() > 4096 || u.find_first_of("{}") != std::string_view::npos)
      break;
    if (starts_with_key(u, "key") || starts_with_key(u, "name"))
      return u;
  }
  return {};
}

// The text of line `line` with every `{...}` object that does not hold [off, off + len) blanked
// (see exclude_span). Lines over 4 KB come back whole.
std::string blank_other_objects(const BlobIndex& lines, std::size_t line, std::size_t off,
                                std::size_t len)
{
  std::string t(lines.text(line));
  std::size_t b = lines.start(line);
  if (t.size() > 4096 || off < b || off + len > b + t.size())
    return t;
  std::size_t rel = off - b;
  std::vector<std::size_t> opens;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{') {
      opens.push_back(i);
    } else if (t[i] == '}' && !opens.empty()) {
      std::size_t o = opens.back();
      opens.pop_back();
      if (rel < o || rel + len > i + 1)
        std::fill(t.begin() + static_cast<std::ptrdiff_t>(o),
                  t.begin() + static_cast<std::ptrdiff_t>(i) + 1, ' ');
    }
  }
  return t;
}

// What a rule's `exclude` is matched against: blank_other_objects, after the name line of the
// line's name/value pair (pair_name_line), so that `"key": "github_token"` excludes the value
// below it.
std::string exclude_text(const BlobIndex& lines, std::size_t line, std::size_t off, std::size_t len)
{
  std::string_view name_line = pair_name_line(lines, line);
  if (name_line.empty())
    return blank_other_objects(lines, line, off, len);
  std::string out(name_line);
  out.push_back('\n');
  out += blank_other_objects(lines, line, off, len);
  return out;
}

bool contains_zenodo(std::string_view s)
{
  static const KeywordFinder zenodo("zenodo");
  return zenodo.in(s);
}

// True when a directory of `path` is named for a host that `exclude` names and that is not a
// Zenodo host: tools that keep credentials per host (HTTPie's `sessions/api.github.com/`) say
// whose token a file holds. Only host-like names count (`api.github.com`, not `docker/` or
// `.github/`).
bool foreign_host_directory(std::string_view path, const RE2& exclude)
{
  std::size_t begin = 0;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       begin = slash + 1, slash = path.find('/', begin)) {
    std::string_view dir = path.substr(begin, slash - begin);
    if (dir.empty() || !std::isalnum(static_cast<unsigned char>(dir.front())) ||
        dir.find('.') == std::string_view::npos || contains_zenodo(dir))
      continue;
    if (RE2::PartialMatch(dir, exclude))
      return true;
  }
  return false;
}

bool ends_with_ci(std::string_view s, std::string_view suffix)
{
  return s.size() >= suffix.size() && starts_with_ci(s.substr(s.size() - suffix.size()), suffix);
}

// What counts as a heading in the file at `path` (match/document.hpp).
DocumentKind document_kind(std::string_view path)
{
  if (ends_with_ci(path, ".org"))
    return DocumentKind::org;
  if (ends_with_ci(path, ".eml") || ends_with_ci(path, ".mbox"))
    return DocumentKind::email;
  return DocumentKind::text;
}

// The host of the .netrc entry that line `line` belongs to (`machine HOST` on the line, or on one
// of the 4 lines above when only `login`/`password`/`account` fields lie between), or empty.
std::string_view netrc_machine(BlobIndex& lines, std::size_t line)
{
  static const RE2 machine(R"(^[ \t]*machine[ \t]+([^\s]+))", re2_options(true));
  static const RE2 field(R"(^[ \t]*(?:login|password|account|port)(?:[ \t]|$))", re2_options(true));
  re2::StringPiece host;
  for (std::size_t l = line, steps = 0; steps <= 4; --l, ++steps) {
    std::string_view t = lines.text(l);
    if (t.size() > 4096)
      break; // .netrc lines are short
    lines.work += t.size();
    if (RE2::PartialMatch(t, machine, &host))
      return std::string_view(host.data(), host.size());
    if (l == 0 || !RE2::PartialMatch(t, field))
      break;
  }
  return {};
}

// The host an HTTP `Authorization:` header on line `line` goes to: the host of the nearest URL
// (`https://HOST`) or `Host: HOST` header on the line or on one of the 20 lines above, not across
// a blank line (a request in a `.http` file, a debug log, a `fetch()` call). Empty when the line
// holds no `Authorization:` header or no host is found.
std::string_view request_host(BlobIndex& lines, std::size_t line)
{
  static const RE2 header(R"(\bauthorization["']?[ \t]*:)", re2_options(true));
  static const RE2 host(R"((?:https?://|\bhost:[ \t]*)([A-Za-z0-9.-]+))", re2_options(true));
  std::string_view t = lines.text(line);
  if (t.size() > 4096 || !RE2::PartialMatch(t, header))
    return {};
  re2::StringPiece h;
  for (std::size_t l = line, steps = 0; steps <= 20; --l, ++steps) {
    std::string_view u = lines.text(l);
    if (u.size() > 4096 || (l != line && u.find_first_not_of(" \t\r") == std::string_view::npos))
      break;
    lines.work += u.size();
    if (RE2::PartialMatch(u, host, &h))
      return std::string_view(h.data(), h.size());
    if (l == 0)
      break;
  }
  return {};
}

} // namespace

// The per-blob facts the instance classifier and heading-scope rules need, also computed at most
// once per blob.
class Matcher::FileIndex : public BlobIndex {
public:
  // `kind`: what counts as a heading in the blob (Org-mode `* Title`, email `Subject:`).
  FileIndex(std::string_view text, DocumentKind kind)
      : BlobIndex(text), m_content(text), m_kind(kind)
  {}
  const Hosts& file_hosts()
  {
    if (!m_hosts) {
      m_hosts = hosts_in(m_content);
      work += m_content.size();
    }
    return *m_hosts;
  }
  // The document headings `line` is under, nearest first.
  std::vector<std::string_view> headings(std::size_t line)
  {
    if (!m_headings) {
      m_headings = document_headings(m_content, m_kind);
      work += m_content.size();
    }
    return headings_above(*m_headings, line);
  }
  // What lines [lo, hi] say about the instance (hosts, sandbox switches), from per-line facts
  // built in one pass over the content: one byte per line plus prefix counts every
  // checkpoint_lines lines, so a query costs at most 2 x checkpoint_lines byte reads and a file
  // of ten million short lines costs ~10 MB here, not 170 MB (prefix counts on every line).
  TextFacts facts(std::size_t lo, std::size_t hi)
  {
    build_line_facts();
    TextFacts f;
    f.hosts.production = in_range(lo, hi, 0) > 0;
    f.hosts.sandbox = in_range(lo, hi, 1) > 0;
    bool sp = in_range(lo, hi, 2) > 0, ss = in_range(lo, hi, 3) > 0;
    f.switched = sp == ss ? Instance::unknown : ss ? Instance::sandbox : Instance::production;
    return f;
  }
  // When lines [lo, hi] name both instances (hosts or switches): what the nearest of them to
  // `line` that names one says, the line above first at equal distance; else unknown.
  Instance nearest(std::size_t line, std::size_t lo, std::size_t hi)
  {
    build_line_facts();
    auto n = [&](int k) { return in_range(lo, hi, k); };
    if (!((n(0) > 0 && n(1) > 0) || (n(2) > 0 && n(3) > 0)))
      return Instance::unknown;
    for (std::size_t d = 1; d <= std::max(line - lo, hi - line); ++d) {
      if (line >= lo + d && line_instance(line - d) != Instance::unknown)
        return line_instance(line - d);
      if (line + d <= hi && line_instance(line + d) != Instance::unknown)
        return line_instance(line + d);
    }
    return Instance::unknown;
  }
  // The keys of the blocks that enclose `line` by indentation (YAML mappings, JSON and Python
  // objects, XML elements: `sandbox:`, `"production": {`, `<sandbox>`), nearest first, joined by
  // spaces. Looks at most 40
  // lines up and at most 2 KB of them.
  std::string enclosing_keys(std::size_t line)
  {
    auto indent_of = [](std::string_view t) {
      std::size_t i = 0;
      while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '-'))
        ++i;
      return i;
    };
    std::string keys;
    std::size_t current = indent_of(text(line));
    std::size_t budget = 2048;
    for (std::size_t l = line, steps = 0; l > 0 && current > 0 && steps < 40; ++steps) {
      --l;
      std::string_view t = text(l);
      std::size_t in = indent_of(t);
      budget -= std::min(budget, in + 1);
      if (budget == 0)
        break;
      if (in >= current || in == t.size())
        continue;
      current = in;
      if (t.size() > 120)
        continue;
      budget -= std::min(budget, t.size());
      // An opener: a key, then ':' or '=' and nothing but an opening bracket after it.
      std::string_view rest = t.substr(in);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r' || rest.back() == '{' ||
                               rest.back() == '(' || rest.back() == '['))
        rest.remove_suffix(1);
      // An XML start tag alone on its line (`<figshare>`, `<sandbox id="1">`): its name.
      if (rest.size() > 2 && rest.front() == '<' && rest.back() == '>' &&
          std::isalpha(static_cast<unsigned char>(rest[1])) && rest[rest.size() - 2] != '/' &&
          rest.find("</") == std::string_view::npos) {
        std::size_t n = 1;
        while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) ||
                                   rest[n] == '_' || rest[n] == '-' || rest[n] == '.'))
          ++n;
        keys.append(rest.substr(1, n - 1)).push_back(' ');
        continue;
      }
      if (rest.empty() || (rest.back() != ':' && rest.back() != '='))
        continue;
      rest.remove_suffix(1);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '"' || rest.back() == '\''))
        rest.remove_suffix(1);
      keys.append(rest).push_back(' ');
    }
    work += 2048 - budget;
    return keys;
  }
  // The paragraph around `line`: neighbouring non-blank lines, at most 40 each way.
  std::pair<std::size_t, std::size_t> paragraph(std::size_t line)
  {
    if (m_blank.empty()) {
      m_blank.resize(count());
      for (std::size_t l = 0; l < count(); ++l)
        m_blank[l] = text(l).find_first_not_of(" \t\r") == std::string_view::npos;
      work += m_content.size();
    }
    auto blank = [&](std::size_t l) { return m_blank[l] != 0; };
    std::size_t lo = line, hi = line;
    while (lo > 0 && line - lo < 40 && !blank(lo - 1))
      --lo;
    while (hi + 1 < count() && hi - line < 40 && !blank(hi + 1))
      ++hi;
    return {lo, hi};
  }

  // True when the block a match on `line` sits in belongs to another service, for rules with an
  // `exclude` (those that do not see the word Zenodo in the name): the nearest enclosing YAML/JSON
  // key or INI section that names a service (`dryad:` above `token: ...`, `[github]`), or the
  // `machine` of a .netrc entry that is not a Zenodo host, or the host of the request an
  // `Authorization:` header line belongs to (request_host) when it is not a Zenodo host. A key
  // naming Zenodo ends the search.
  bool foreign_block(std::size_t line, const RE2& exclude)
  {
    std::string keys = enclosing_keys(line);
    std::string_view rest = keys;
    while (!rest.empty()) {
      std::size_t space = rest.find(' ');
      std::string_view key = rest.substr(0, space);
      rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
      if (key.empty())
        continue;
      if (contains_zenodo(key))
        return false;
      if (RE2::PartialMatch(without_long_runs(key), exclude))
        return true;
    }
    std::string_view sec = section(line);
    if (!sec.empty() && !contains_zenodo(sec) && RE2::PartialMatch(without_long_runs(sec), exclude))
      return true;
    std::string_view host = netrc_machine(*this, line);
    if (!host.empty() && !contains_zenodo(host))
      return true;
    host = request_host(*this, line);
    return !host.empty() && !contains_zenodo(host);
  }

private:
  void build_line_facts()
  {
    if (!m_line_facts.empty() || count() == 0)
      return;
    static const KeywordFinder sandbox("sandbox");
    m_line_facts.resize(count());
    m_checkpoints.reserve(count() / checkpoint_lines + 2);
    std::array<std::uint32_t, 4> running{};
    for (std::size_t l = 0; l < count(); ++l) {
      if (l % checkpoint_lines == 0)
        m_checkpoints.push_back(running);
      auto f = facts_of(text(l));
      // A switch written as a name/value pair over two lines (Kubernetes `- name:
      // ZENODO_SANDBOX` / `value: "1"`) counts on the name's line.
      if (f.switched == Instance::unknown && l + 1 < count() && sandbox.in(text(l)))
        f.switched = switch_in(m_content.substr(start(l), end(l + 1) - start(l)));
      const Instance named = f.switched != Instance::unknown ? f.switched
                             : f.hosts.sandbox != f.hosts.production
                                 ? (f.hosts.sandbox ? Instance::sandbox : Instance::production)
                                 : Instance::unknown;
      const unsigned bits = unsigned(f.hosts.production) | unsigned(f.hosts.sandbox) << 1 |
                            unsigned(f.switched == Instance::production) << 2 |
                            unsigned(f.switched == Instance::sandbox) << 3 |
                            static_cast<unsigned>(named) << 4;
      m_line_facts[l] = static_cast<std::uint8_t>(bits);
      for (int k = 0; k < 4; ++k)
        running[k] += (bits >> k) & 1u;
    }
    m_checkpoints.push_back(running); // the end, when count() is a multiple of checkpoint_lines
    work += m_content.size();
  }
  // How many lines before `line` (exclusive) have fact `k`.
  std::uint32_t before(std::size_t line, int k) const
  {
    std::size_t cp = line / checkpoint_lines;
    std::uint32_t n = m_checkpoints[cp][k];
    for (std::size_t l = cp * checkpoint_lines; l < line; ++l)
      n += (m_line_facts[l] >> k) & 1u;
    return n;
  }
  std::uint32_t in_range(std::size_t lo, std::size_t hi, int k) const
  {
    return before(hi + 1, k) - before(lo, k);
  }
  Instance line_instance(std::size_t line) const
  {
    return static_cast<Instance>((m_line_facts[line] >> 4) & 3u);
  }

  std::string_view m_content;
  DocumentKind m_kind = DocumentKind::text;
  std::optional<Hosts> m_hosts;
  std::optional<std::vector<Heading>> m_headings;
  // Per line: bits 0-3 the counted facts (production host, sandbox host, production switch,
  // sandbox switch), bits 4-5 the one instance the line names (Instance as a number).
  std::vector<std::uint8_t> m_line_facts;
  // Counts of each fact over lines [0, k * checkpoint_lines), for k = 0, 1, ...
  std::vector<std::array<std::uint32_t, 4>> m_checkpoints;
  static constexpr std::size_t checkpoint_lines = 64;
  std::vector<char> m_blank; // per line: only whitespace
};

std::optional<std::string> pattern_error(std::string_view pattern, bool need_secret_group)
{
  RE2 re(pattern, re2_options());
  if (!re.ok())
    return re.error();
  if (need_secret_group && re.NamedCapturingGroups().count("secret") == 0)
    return std::string("no named group 'secret' (write (?P<secret>...))");
  return std::nullopt;
}

std::string enclosing_section(std::string_view content, std::size_t offset)
{
  constexpr auto npos = std::string_view::npos;
  std::size_t line_start = offset == 0 ? npos : content.rfind('\n', offset - 1);
  line_start = line_start == npos ? 0 : line_start + 1;
  while (line_start > 0) {
    std::size_t prev_end = line_start - 1; // the '\n' that ends the previous line
    std::size_t prev_start = prev_end == 0 ? npos : content.rfind('\n', prev_end - 1);
    prev_start = prev_start == npos ? 0 : prev_start + 1;
    if (auto name = section_header(content.substr(prev_start, prev_end - prev_start)))
      return std::string(*name);
    line_start = prev_start;
  }
  return {};
}

struct Matcher::Compiled {
  const rules::Rule* rule = nullptr;
  // A rule whose secret is (?P<secret>[A-Za-z0-9]{60}) with token checks matches nowhere but in a
  // maximal run of exactly 60 letters and digits (the checks refuse a window of a longer run), so
  // without one its RE2 search is skipped: that search over every blob with a keyword was most of
  // the matcher's time on text that talks about Zenodo but holds no token. token_candidates()
  // tells, in the pass that finds the candidates.
  bool needs_token_run = false;
  std::size_t index = 0; // position in the rule set: lower wins when rules find the same secret
  std::unique_ptr<RE2> path_re;         // every unit's path is tested: compiled with the Matcher
  std::vector<std::size_t> keyword_ids; // indices into Matcher::m_keywords

  // The rest is compiled when the rule first runs (regexes()), on whichever thread gets there:
  // a scan whose content needs no rule (a pre-commit hook's usual staged change) compiles none.
  // The loader has already checked user rules' patterns; the embedded ones are checked by
  // `zenolint rules test` and the unit tests (every rule runs on its examples).
  struct Regexes {
    std::unique_ptr<RE2> re;
    int secret_group = 0;
    int label_group = -1;
    std::unique_ptr<RE2> near_re;
    std::unique_ptr<RE2> section_re;
    std::unique_ptr<RE2> exclude_re;
    std::string error; // why the rule's patterns do not compile (then nothing else is set)
  };
  // Throws Error when a pattern does not compile.
  const Regexes& regexes() const;

private:
  mutable std::once_flag m_once;
  mutable Regexes m_regexes;
};

const Matcher::Compiled::Regexes& Matcher::Compiled::regexes() const
{
  // Nothing throws inside call_once (libstdc++ 12's call_once does not survive an exception from
  // the callable): a bad pattern is recorded and reported by every caller.
  std::call_once(m_once, [this] {
    const auto& r = *rule;
    Regexes x;
    auto fail = [&](const std::string& what) {
      m_regexes = Regexes{};
      m_regexes.error = r.source_file + ": rule " + r.id + ": " + what;
    };
    x.re = std::make_unique<RE2>("(?m)" + r.pattern, re2_options());
    if (!x.re->ok())
      return fail("pattern: " + x.re->error());
    const auto& groups = x.re->NamedCapturingGroups();
    auto it = groups.find("secret");
    if (it == groups.end())
      return fail("pattern has no group 'secret'");
    x.secret_group = it->second;
    if (auto l = groups.find("label"); l != groups.end())
      x.label_group = l->second;
    struct Aux {
      const std::string& pattern;
      std::string text;
      const char* what;
      std::unique_ptr<RE2>* out;
    };
    for (Aux a : {Aux{r.context.near, r.context.near, "context.near", &x.near_re},
                  Aux{r.context.section, "^(?:" + r.context.section + ")$", "context.section",
                      &x.section_re},
                  Aux{r.exclude, r.exclude, "exclude", &x.exclude_re}}) {
      if (a.pattern.empty())
        continue;
      *a.out = std::make_unique<RE2>(a.text, re2_options(true));
      if (!(*a.out)->ok())
        return fail(std::string(a.what) + ": " + (*a.out)->error());
    }
    m_regexes = std::move(x);
  });
  if (!m_regexes.error.empty())
    throw Error(m_regexes.error);
  return m_regexes;
}

namespace {

// Index of `keyword` in `keywords` (compared lower-cased, as the finders do), added if new.
std::size_t keyword_id(std::vector<std::string>& keywords, std::string_view keyword)
{
  std::string lower = ascii_lower(keyword);
  auto it = std::find(keywords.begin(), keywords.end(), lower);
  if (it != keywords.end())
    return static_cast<std::size_t>(it - keywords.begin());
  keywords.push_back(std::move(lower));
  return keywords.size() - 1;
}

} // namespace

// Every path_pattern in one set: a unit's path is tested once, not once per rule (RE2 on the
// paths of a working tree was a few percent of its scan).
struct Matcher::PathSet {
  PathSet() : set(re2_options(), RE2::UNANCHORED) {}
  RE2::Set set;
  std::vector<std::size_t> rule; // set index -> Compiled::index
  bool usable = false;           // compiled; else each rule's own path_re is used
};

std::vector<std::size_t> Matcher::path_hits(std::string_view path) const
{
  std::vector<std::size_t> hits;
  if (!m_paths)
    return hits;
  if (m_paths->usable) {
    std::vector<int> v;
    RE2::Set::ErrorInfo error{};
    if (m_paths->set.Match(path, &v, &error)) {
      for (int i : v)
        hits.push_back(m_paths->rule[static_cast<std::size_t>(i)]);
      std::sort(hits.begin(), hits.end());
      return hits;
    }
    if (error.kind == RE2::Set::kNoError)
      return hits; // no pattern matches
    // Out of memory in the set's DFA (or the like): one rule at a time, as before.
  }
  for (const auto& c : m_compiled)
    if (c->path_re && RE2::PartialMatch(path, *c->path_re))
      hits.push_back(c->index);
  return hits;
}

Matcher::~Matcher() = default;

Matcher::Matcher(const rules::RuleSet& rules) : m_rules(rules)
{
  for (const auto& rule : rules.rules) {
    auto c = std::make_unique<Compiled>();
    c->rule = &rule;
    c->index = m_compiled.size();
    c->needs_token_run =
        rule.token_checks && rule.pattern.find("(?P<secret>[A-Za-z0-9]{60})") != std::string::npos;
    if (!rule.path_pattern.empty()) {
      c->path_re = std::make_unique<RE2>(rule.path_pattern, re2_options());
      if (!c->path_re->ok())
        throw Error(rule.source_file + ": rule " + rule.id +
                    ": path_pattern: " + c->path_re->error());
    }
    for (const auto& k : rule.keywords)
      c->keyword_ids.push_back(keyword_id(m_keywords, k));
    m_repository_rules |= rule.context.repository;
    if (c->path_re) {
      if (!m_paths)
        m_paths = std::make_unique<PathSet>();
      if (m_paths->set.Add(rule.path_pattern, nullptr) >= 0)
        m_paths->rule.push_back(c->index);
    }
    m_compiled.push_back(std::move(c));
  }
  // Every pattern compiled on its own above, so Add fails only on what the set cannot hold.
  if (m_paths)
    m_paths->usable = m_paths->rule.size() ==
                          static_cast<std::size_t>(
                              std::count_if(m_compiled.begin(), m_compiled.end(),
                                            [](const auto& c) { return c->path_re != nullptr; })) &&
                      m_paths->set.Compile();
  const std::size_t direct = std::min(m_keywords.size(), KeywordSet::max_keywords);
  m_prefilter.emplace(std::vector<std::string>(m_keywords.begin(), m_keywords.begin() + direct));
  for (std::size_t k = direct; k < m_keywords.size(); ++k)
    m_more.emplace_back(m_keywords[k]);
}

bool Matcher::has_keyword(std::size_t k, const KeywordHits& facts, std::string_view content,
                          std::vector<signed char>& more) const
{
  if (k < KeywordSet::max_keywords)
    return (facts.present >> k & 1) != 0;
  k -= KeywordSet::max_keywords;
  if (more.empty())
    more.assign(m_more.size(), -1);
  if (more[k] < 0)
    more[k] = m_more[k].in(content) ? 1 : 0;
  return more[k] == 1;
}

bool Matcher::may_match(std::string_view path, std::string_view content) const
{
  std::optional<KeywordHits> facts; // one pass, when the first keyword is asked for
  std::vector<signed char> more;    // keywords past the pass's, searched when asked for
  auto text_facts = [&]() -> const KeywordHits& {
    if (!facts)
      facts = m_prefilter->scan(content, m_repository_rules);
    return *facts;
  };
  const auto paths = path_hits(path);
  for (const auto& c : m_compiled) {
    bool path_ok = std::binary_search(paths.begin(), paths.end(), c->index);
    if (c->rule->path_required && !path_ok)
      continue;
    if (path_ok && (!c->rule->path_required || c->keyword_ids.empty()))
      return true;
    for (auto k : c->keyword_ids)
      if (has_keyword(k, text_facts(), content, more))
        return true;
  }
  // Without a run of 60 letters and digits there is no token candidate.
  return m_repository_rules && text_facts().long_run && !token_candidates(content, 1).empty();
}

std::vector<Match> Matcher::match(std::string_view path, std::string_view content,
                                  const MatchOptions& options) const
{
  auto blob = scan(path, content, options);
  std::vector<Match> out;
  out.reserve(blob.matches.size());
  for (auto& m : blob.matches)
    if (!m.needs_repository)
      out.push_back(std::move(m));
  return out;
}

BlobMatches Matcher::scan(std::string_view path, std::string_view content,
                          const MatchOptions& options) const
{
  BlobMatches result;
  std::vector<Match> out;
  // Keyword prefilter: each distinct keyword is searched at most once, only when a rule needs it,
  // case-insensitively in place (no lower-cased copy of the blob).
  // Every keyword and the presence of a 60-run in one pass over the content.
  const KeywordHits facts = m_prefilter->scan(content, true);
  std::vector<signed char> more;
  auto keyword = [&](std::size_t k) { return has_keyword(k, facts, content, more); };
  // Token-shaped strings: the prefilter of repository-scope rules, and what the end of the scan
  // compares with the secrets found elsewhere. Without a run of 60 or more letters and digits
  // there are none (and no run of exactly 60).
  constexpr std::size_t max_candidates = 256;
  bool token_run = false; // a maximal run of exactly 60 letters and digits somewhere
  const auto candidate_offsets = facts.long_run
                                     ? token_candidates(content, max_candidates, &token_run)
                                     : std::vector<std::size_t>{};
  std::vector<std::size_t> rule_index; // parallel to `out`
  std::optional<FileIndex> index;      // shared by every rule, built at the first match
  const auto paths = path_hits(path);
  for (const auto& c : m_compiled) {
    bool path_ok = std::binary_search(paths.begin(), paths.end(), c->index);
    if (c->rule->path_required && !path_ok)
      continue;
    auto any_keyword = [&] {
      for (auto k : c->keyword_ids)
        if (keyword(k))
          return true;
      return false;
    };
    // A path-scoped rule with keywords needs both (documents that mention Zenodo).
    bool run = c->rule->path_required
                   ? c->keyword_ids.empty() || any_keyword()
                   : path_ok || (c->rule->context.repository && !candidate_offsets.empty()) ||
                         any_keyword();
    if (!run)
      continue;
    if (c->needs_token_run && !token_run)
      continue;
    run_rule(*c, path, content, options, index, out);
    rule_index.resize(out.size(), c->index);
  }
  // One finding per secret: when several rules find the same span, a match that needs no
  // repository context beats one that does, a known instance beats unknown, then the earliest
  // rule wins.
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (out[a].offset != out[b].offset)
      return out[a].offset < out[b].offset;
    if (out[a].needs_repository != out[b].needs_repository)
      return !out[a].needs_repository;
    bool known_a = out[a].instance != Instance::unknown;
    bool known_b = out[b].instance != Instance::unknown;
    if (known_a != known_b)
      return known_a;
    return rule_index[a] < rule_index[b];
  });
  auto& unique = result.matches;
  unique.reserve(out.size());
  for (auto i : order) {
    if (!unique.empty() && unique.back().offset == out[i].offset &&
        unique.back().length == out[i].length)
      continue;
    unique.push_back(std::move(out[i]));
  }
  // Candidates no rule matched, placed like matches (line, column, hash, allow comments).
  for (auto off : candidate_offsets) {
    auto it = std::lower_bound(unique.begin(), unique.end(), off,
                               [](const Match& m, std::size_t o) { return m.offset < o; });
    if (it != unique.end() && it->offset == off)
      continue;
    if (!index)
      index.emplace(content, document_kind(path));
    auto& lines = *index;
    std::size_t line = lines.line_of(off);
    Candidate cand;
    cand.secret = std::string(content.substr(off, 60));
    cand.offset = off;
    cand.line = cand.end_line = static_cast<std::uint32_t>(line + 1);
    cand.column = lines.column(line, off);
    cand.end_column = lines.column(line, off + 60);
    cand.line_hash = lines.line_hash(line);
    cand.suppressed = options.inline_allow && lines.allowed(line);
    result.candidates.push_back(std::move(cand));
  }
  result.use = zenodo_use(content, keyword(0)); // m_keywords[0]: "zenodo"
  if (options.stats && index)
    options.stats->context_bytes += index->work;
  return result;
}

std::vector<Match> Matcher::match_rule(std::string_view rule_id, std::string_view path,
                                       std::string_view content) const
{
  std::vector<Match> out;
  std::optional<FileIndex> index;
  for (const auto& c : m_compiled)
    if (c->rule->id == rule_id) {
      bool path_ok = c->path_re && RE2::PartialMatch(path, *c->path_re);
      if (!c->rule->path_required || path_ok)
        run_rule(*c, path, content, MatchOptions{}, index, out);
    }
  return out;
}

void Matcher::run_rule(const Compiled& c, std::string_view path, std::string_view content,
                       const MatchOptions& options, std::optional<FileIndex>& index,
                       std::vector<Match>& out) const
{
  const auto& x = c.regexes();
  const auto& rule = *c.rule;
  const int ngroups = 1 + x.re->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(ngroups));
  re2::StringPiece input(content.data(), content.size());
  TokenCheckOptions token_options;
  token_options.min_entropy = rule.min_entropy;
  // Results that depend only on the line or the context window, kept for the next match (this
  // rule's matches come in increasing order, so many on one long line share them).
  constexpr auto none = static_cast<std::size_t>(-1);
  std::size_t exclude_begin = none, exclude_end = none, foreign_line = none;
  bool excluded = false, foreign = false;
  std::size_t window_lo = none, window_hi = none;
  bool near_ok = true;
  std::size_t block_lo = none, block_hi = none;
  TextFacts block_facts;
  const auto client = client_file_kind(path);
  std::string_view file_name =
      path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (x.exclude_re && foreign_host_directory(path, *x.exclude_re))
    return;
  std::size_t pos = 0;
  while (pos <= content.size() &&
         x.re->Match(input, pos, content.size(), RE2::UNANCHORED, groups.data(), ngroups)) {
    const auto& whole = groups[0];
    const auto& sec = groups[static_cast<std::size_t>(x.secret_group)];
    std::size_t whole_begin = static_cast<std::size_t>(whole.data() - content.data());
    std::size_t next = whole_begin + std::max<std::size_t>(1, whole.size());
    if (sec.data() == nullptr || sec.empty()) {
      pos = next;
      continue;
    }
    std::size_t off = static_cast<std::size_t>(sec.data() - content.data());
    std::size_t len = sec.size();
    // Resume right after the secret so adjacent assignments on one line are all found.
    pos = std::max(off + len, whole_begin + 1);
    std::string decoded;
    if (rule.decode_base64) {
      if (!base64_token(content, off, len, rule.token_checks, token_options, decoded))
        continue;
    } else if (rule.token_checks &&
               implausible_token_reason(content, off, len, token_options) != nullptr) {
      continue;
    }
    if (!index)
      index.emplace(content, document_kind(path));
    auto& lines = *index;
    std::size_t line = lines.line_of(off);
    std::size_t end_line = lines.line_of(off + len - 1);
    if (x.exclude_re) {
      auto [b, e] = exclude_span(lines, line, off, len);
      if (b != exclude_begin || e != exclude_end) {
        exclude_begin = b;
        exclude_end = e;
        excluded = RE2::PartialMatch(without_long_runs(exclude_text(lines, line, off, len)),
                                     *x.exclude_re);
        lines.work += lines.text(line).size();
      }
      if (excluded)
        continue;
      if (foreign_line != line) {
        foreign_line = line;
        foreign = lines.foreign_block(line, *x.exclude_re);
      }
      if (foreign)
        continue;
    }
    std::size_t lo = 0, hi = lines.count() - 1;
    if (!rule.context.whole_file) {
      auto window = static_cast<std::size_t>(rule.context.window);
      lo = line >= window ? line - window : 0;
      // Heading scope looks up only: text below a token is not what it is under.
      hi = rule.context.heading ? end_line : std::min(hi, end_line + window);
    }
    std::string_view window_text = content.substr(lines.start(lo), lines.end(hi) - lines.start(lo));
    if (rule.context.whole_file)
      window_text = content;
    if (lo != window_lo || hi != window_hi) {
      window_lo = lo;
      window_hi = hi;
      near_ok = !x.near_re || RE2::PartialMatch(window_text, *x.near_re);
      lines.work += x.near_re ? window_text.size() : 0;
    }
    // Heading scope: the headings the secret is under count as near, however far up.
    // A nearer heading the rule excludes (another service's section) ends the search.
    std::string headings;
    if (rule.context.heading) {
      bool heading_near = false;
      for (auto h : lines.headings(line)) {
        if (x.exclude_re && RE2::PartialMatch(h, *x.exclude_re))
          break;
        headings.append(h).append("\n");
        heading_near |= x.near_re && RE2::PartialMatch(h, *x.near_re);
      }
      if (!near_ok && !heading_near)
        continue;
    } else if (!near_ok) {
      continue;
    }
    Match m;
    m.section = std::string(lines.section(line));
    if (x.section_re && !RE2::FullMatch(m.section, *x.section_re))
      continue;
    m.rule = &rule;
    m.offset = off;
    m.length = len;
    if (rule.decode_base64) {
      m.secret = std::move(decoded);
      m.written = std::string(sec.data(), sec.size());
    } else {
      m.secret = std::string(sec.data(), sec.size());
    }
    if (x.label_group > 0) {
      const auto& lab = groups[static_cast<std::size_t>(x.label_group)];
      if (lab.data())
        m.label = std::string(lab.data(), lab.size());
    }
    m.line = static_cast<std::uint32_t>(line + 1);
    m.column = lines.column(line, off);
    m.end_line = static_cast<std::uint32_t>(end_line + 1);
    m.end_column = lines.column(end_line, off + len);
    // Instance: fixed by the rule, else the classifier (match/instance.hpp) on this match's
    // evidence, else the rule's default.
    InstanceDecision decision;
    switch (rule.instance) {
    case rules::InstancePolicy::production:
      decision = {Instance::production, Evidence::rule_default};
      break;
    case rules::InstancePolicy::sandbox:
      decision = {Instance::sandbox, Evidence::rule_default};
      break;
    case rules::InstancePolicy::infer: {
      // The statement: the matched text and the rest of the secret's line, at most 300 bytes
      // on each side of the secret (long lines stay linear).
      std::size_t line_begin = lines.start(line), line_end = lines.end(end_line);
      std::size_t st_begin =
          std::max(std::min(whole_begin, line_begin), off >= 300 ? off - 300 : 0);
      std::size_t st_end = std::min(line_end, off + len + 300);
      // The name: the label, or (without a label group) the matched text before the secret.
      std::string_view name_part = m.label;
      if (name_part.empty())
        name_part = content.substr(std::max(whole_begin, off >= 200 ? off - 200 : 0),
                                   off - std::max(whole_begin, off >= 200 ? off - 200 : 0));
      // The block: the paragraph around the secret and the rule's context window, classified
      // once per distinct range.
      auto [p_lo, p_hi] = lines.paragraph(line);
      std::size_t b_lo = std::min(p_lo, lo), b_hi = std::max(p_hi, hi);
      if (rule.context.whole_file)
        b_lo = p_lo, b_hi = p_hi;
      if (b_lo != block_lo || b_hi != block_hi) {
        block_lo = b_lo;
        block_hi = b_hi;
        block_facts = lines.facts(b_lo, b_hi);
      }
      InstanceQuery q;
      q.client = client;
      q.section = m.section;
      std::string keys = lines.enclosing_keys(line);
      q.heading = headings;
      q.keys = keys;
      q.label = name_part;
      q.file_name = file_name;
      q.directory = path.substr(0, path.size() - file_name.size());
      q.statement = content.substr(st_begin, st_end - st_begin);
      q.block = block_facts;
      q.block_nearest = lines.nearest(line, block_lo, block_hi);
      q.file_hosts = lines.file_hosts();
      decision = classify(q);
      if (decision.instance == Instance::unknown && rule.default_instance)
        decision = {*rule.default_instance, Evidence::rule_default};
      break;
    }
    }
    m.instance = decision.instance;
    m.evidence = decision.evidence;
    m.severity = token_severity(rule.severity, decision);
    m.needs_repository = rule.context.repository;
    if (options.inline_allow)
      m.suppressed = lines.allowed(line);
    m.line_hash = lines.line_hash(line);
    out.push_back(std::move(m));
  }
}

} // namespace zenolint::match
