#include "match/context.hpp"

#include "core/text.hpp"
#include "match/keyword.hpp"
#include "match/matcher.hpp"
#include "match/token.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <tuple>

namespace zenolint::match {
namespace {

// Letter-or-digit table: the candidate scan looks bytes up here instead of calling isalnum.
struct AlnumTable {
  bool t[256] = {};
  constexpr AlnumTable()
  {
    for (int c = '0'; c <= '9'; ++c)
      t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
      t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
      t[c] = true;
  }
};
constexpr AlnumTable alnum_table;

bool alnum(char c)
{
  return alnum_table.t[static_cast<unsigned char>(c)];
}

// True when all 8 bytes at `p` are ASCII letters or digits, branch-free (bit hacks: bytes
// strictly between m and n have their high bit set; bytes >= 0x80 never do).
bool all_alnum8(const char* p)
{
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = ~0ull / 255, high = ones * 128, low7 = ones * 127;
  auto between = [&](std::uint64_t v, std::uint64_t m, std::uint64_t n) {
    return ((ones * (127 + n) - (v & low7)) & ~v & ((v & low7) + ones * (127 - m))) & high;
  };
  std::uint64_t digit = between(x, '0' - 1, '9' + 1);
  std::uint64_t letter = between(x | (ones * 0x20), 'a' - 1, 'z' + 1);
  return (digit | letter) == high;
}

std::string_view last_component(std::string_view path)
{
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string host_name(const Hosts& h)
{
  if (h.sandbox && !h.production)
    return "sandbox.zenodo.org";
  if (h.production && !h.sandbox)
    return "zenodo.org";
  if (h.production && h.sandbox)
    return "zenodo.org and sandbox.zenodo.org";
  return "";
}

char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `content` names a Zenodo client or upload API (any case): "/api/deposit",
// "zen4r", "zenodraft", "upload-to-zenodo", or "zenodo" followed by one of the suffixes below.
bool has_upload_marker(std::string_view content)
{
  static const KeywordFinder zenodo("zenodo"), deposit("/api/deposit"), zen4r("zen4r"),
      zenodraft("zenodraft");
  static constexpr std::string_view suffixes[] = {
      "_client", "py",      "manager", "_get", "-upload", "_upload",  "_token",
      "-token",  "token",   "_api",    "-api", "api",     "_access",  "_sandbox",
      "client",  ".client", "(",       "_url", "-client", "_publish", "-publish"};
  struct FirstBytes {
    bool t[256] = {};
    constexpr FirstBytes()
    {
      for (auto s : suffixes)
        t[static_cast<unsigned char>(s[0])] = true;
    }
  };
  static constexpr FirstBytes first;
  constexpr std::size_t n = 6; // "zenodo"
  const auto npos = std::string_view::npos;
  for (std::size_t from = 0;;) {
    std::size_t f = zenodo.find(content.substr(from));
    if (f == npos)
      break;
    std::size_t pos = from + f;
    std::string_view rest = content.substr(pos + n);
    if (!rest.empty() && first.t[static_cast<unsigned char>(lower(rest[0]))])
      for (auto s : suffixes)
        if (starts_with_ci(rest, s))
          return true;
    if (pos >= 10 && starts_with_ci(content.substr(pos - 10, 10), "upload-to-"))
      return true;
    from = pos + 1;
  }
  return deposit.in(content) || zen4r.in(content) || zenodraft.in(content);
}

} // namespace

std::vector<std::size_t> token_candidates(std::string_view content, std::size_t limit,
                                          bool* any_run)
{
  if (any_run)
    *any_run = false;
  // Every run of 60 letters and digits covers one of the probed positions 59, 119, 179, ...; a
  // probe that hits a letter or digit expands to the whole run around it.
  constexpr std::size_t n = 60;
  std::vector<std::size_t> out;
  const std::size_t size = content.size();
  std::size_t probe = n - 1;
  while (probe < size && out.size() < limit) {
    if (!alnum(content[probe])) {
      probe += n;
      continue;
    }
    // Most probes land in a short word: a run of 60 through `probe` has 8 letters or digits on
    // one side of it at least, which two word-sized tests rule out without a loop.
    if (probe >= 7 && probe + 8 <= size && !all_alnum8(content.data() + probe - 7) &&
        !all_alnum8(content.data() + probe)) {
      probe += n;
      continue;
    }
    std::size_t b = probe, e = probe + 1;
    while (b > 0 && alnum(content[b - 1]))
      --b;
    while (e < size && alnum(content[e]))
      ++e;
    // A run that starts with the tail of an escape holds the token after it: `%3D` + token
    // (62), `\x22` + token (63), `\u0022` + token (65); the token checks judge the escape.
    std::size_t start = b;
    if (b > 0 && e - b == n + 2 && content[b - 1] == '%')
      start = b + 2;
    else if (b > 0 && e - b == n + 3 && content[b - 1] == '\\' && content[b] == 'x')
      start = b + 3;
    else if (b > 0 && e - b == n + 5 && content[b - 1] == '\\' && content[b] == 'u')
      start = b + 5;
    if (e - start == n) {
      if (any_run)
        *any_run = true;
      if (implausible_token_reason(content, start, n) == nullptr)
        out.push_back(start);
    }
    // The next run starts after e (a non-alphanumeric byte), so its 60th byte is at e + 60 or
    // later; probing there keeps every run covered.
    probe = std::max(probe + n, e + n);
  }
  return out;
}

ZenodoUse zenodo_use(std::string_view content, bool mentions_zenodo)
{
  ZenodoUse use;
  if (!mentions_zenodo)
    return use;
  use.mentions = true;
  use.hosts = hosts_in(content);
  if (use.hosts.production || use.hosts.sandbox) {
    use.api = true;
    return use;
  }
  // Clients and API names that upload: zenodo_client, zenodopy, zen4R's ZenodoManager,
  // zenodraft, upload-to-zenodo actions, ZENODO_TOKEN variables, /api/deposit paths. All but
  // three are "zenodo" plus a suffix: looked for at each "zenodo" found in place (a lower-cased
  // copy and 25 searches of it were a fifth of an archive scan's CPU, bench/archives/run.sh).
  use.api = has_upload_marker(content);
  return use;
}

RepositoryContext repository_context(const std::vector<BlobView>& blobs,
                                     std::string_view repository_name)
{
  RepositoryContext ctx;
  std::string_view api_path, readme_path;
  bool api = false, readme = false;
  for (const auto& b : blobs) {
    const ZenodoUse& use = b.blob->use;
    if (use.api) {
      ctx.hosts.production |= use.hosts.production;
      ctx.hosts.sandbox |= use.hosts.sandbox;
      if (!api || b.path < api_path)
        api_path = b.path;
      api = true;
    }
    std::string name = ascii_lower(last_component(b.path));
    if (use.mentions && b.path.find('/') == std::string_view::npos &&
        name.rfind("readme", 0) == 0) {
      if (!readme || b.path < readme_path)
        readme_path = b.path;
      readme = true;
    }
  }
  ctx.uses_zenodo = true;
  if (api) {
    std::string hosts = host_name(ctx.hosts);
    ctx.reason = hosts.empty() ? "repository talks to Zenodo: " + std::string(api_path)
                               : "repository uploads to " + hosts + ": " + std::string(api_path);
  } else if (readme) {
    ctx.reason = "the repository's README mentions Zenodo: " + std::string(readme_path);
  } else if (ascii_lower(repository_name).find("zenodo") != std::string::npos) {
    ctx.reason = "the repository's name mentions Zenodo: " + std::string(repository_name);
  } else {
    ctx.uses_zenodo = false;
  }
  return ctx;
}

void resolve(std::vector<BlobView>& blobs, const RepositoryContext& context)
{
  const Instance repo_instance =
      context.hosts.sandbox != context.hosts.production
          ? (context.hosts.sandbox ? Instance::sandbox : Instance::production)
          : Instance::unknown;
  // 1. Repository-scope matches: kept with the reason, or turned back into candidates (a known
  // secret may still claim them below).
  for (auto& b : blobs) {
    auto& matches = b.blob->matches;
    std::vector<Match> kept;
    kept.reserve(matches.size());
    for (auto& m : matches) {
      if (!m.needs_repository) {
        kept.push_back(std::move(m));
        continue;
      }
      if (context.uses_zenodo) {
        m.needs_repository = false;
        m.reason = context.reason;
        if (m.instance == Instance::unknown && repo_instance != Instance::unknown) {
          m.instance = repo_instance; // weak evidence: the severity stays
          m.evidence = Evidence::repository;
        }
        kept.push_back(std::move(m));
        continue;
      }
      Candidate c;
      c.secret = std::move(m.secret);
      c.offset = m.offset;
      c.line = m.line;
      c.column = m.column;
      c.end_line = m.end_line;
      c.end_column = m.end_column;
      c.line_hash = std::move(m.line_hash);
      c.suppressed = m.suppressed;
      b.blob->candidates.push_back(std::move(c));
    }
    matches = std::move(kept);
  }
  // 2. Every secret that is a Zenodo token somewhere: the first occurrence (by path, line,
  // column, rule) speaks for all the others.
  struct Known {
    const Match* match = nullptr;
    std::string_view path;
  };
  std::map<std::string_view, Known> known;
  auto key = [](const Known& k) {
    return std::make_tuple(k.path, k.match->line, k.match->column,
                           std::string_view(k.match->rule->id));
  };
  for (const auto& b : blobs)
    for (const auto& m : b.blob->matches) {
      Known k{&m, b.path};
      auto [it, inserted] = known.try_emplace(m.secret, k);
      if (!inserted && key(k) < key(it->second))
        it->second = k;
    }
  if (known.empty())
    return;
  // 3. Other occurrences: candidates that hold a known secret and are not matched already.
  std::vector<std::pair<BlobMatches*, Match>> added;
  for (auto& b : blobs) {
    for (const auto& c : b.blob->candidates) {
      auto it = known.find(c.secret);
      if (it == known.end())
        continue;
      bool matched = std::any_of(b.blob->matches.begin(), b.blob->matches.end(),
                                 [&](const Match& m) { return m.offset == c.offset; });
      if (matched)
        continue;
      const Match& first = *it->second.match;
      Match m;
      m.rule = first.rule;
      m.offset = c.offset;
      m.length = c.secret.size();
      m.line = c.line;
      m.column = c.column;
      m.end_line = c.end_line;
      m.end_column = c.end_column;
      m.secret = c.secret;
      m.instance = first.instance;
      m.evidence = first.evidence;
      m.severity = first.severity;
      m.suppressed = c.suppressed;
      m.line_hash = c.line_hash;
      m.reason = "the same token is a Zenodo token at " + std::string(it->second.path) + ":" +
                 std::to_string(first.line);
      added.emplace_back(b.blob, std::move(m));
    }
  }
  for (auto& [blob, m] : added)
    blob->matches.push_back(std::move(m));
  for (auto& b : blobs)
    std::sort(b.blob->matches.begin(), b.blob->matches.end(),
              [](const Match& x, const Match& y) { return x.offset < y.offset; });
}

} // namespace zenolint::match
