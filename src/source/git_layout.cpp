#include "source/git_layout.hpp"

#include "core/read_file.hpp"
#include "source/staged.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <vector>

namespace zenolint::source {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t max_small_file = 4096;        // HEAD, .git files, commondir, loose refs
constexpr std::uint64_t max_config = 1 << 20;         // a repository's config
constexpr std::uint64_t max_packed_refs = 256u << 20; // packed-refs

std::string with_slash(std::string s)
{
  if (s.empty() || s.back() != '/')
    s += '/';
  return s;
}

std::string without_slash(std::string s)
{
  while (s.size() > 1 && s.back() == '/')
    s.pop_back();
  return s;
}

std::string trim(std::string_view s)
{
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s)
{
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The canonical absolute form of an existing directory (symbolic links resolved, as libgit2 does
// for the paths it reports), with a trailing '/'; nullopt when it cannot be resolved.
std::optional<std::string> canonical_dir(const std::string& path)
{
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf))
    return std::nullopt;
  return with_slash(buf);
}

bool read_small(const std::string& path, std::string& out, ReadFileError* err = nullptr,
                std::uint64_t limit = max_small_file)
{
  ReadFileOptions no_links;
  no_links.follow_final_link = false;
  return read_regular_file(path, limit, out, err, no_links);
}

// What the layout depends on in a repository's config. Only the parts git itself would read the
// same way are interpreted; a line this parser might misread in a section that matters makes
// `understood` false.
struct ConfigFacts {
  bool understood = true;
  int format_version = 0;
  bool bare = false;
  std::optional<std::string> worktree;
  bool includes = false;
  std::vector<std::pair<std::string, std::string>> extensions; // lowercased name, value
  std::optional<std::string> excludes_file;
  std::optional<bool> ignore_case;
};

std::optional<bool> parse_bool(const std::string& value, bool has_value)
{
  if (!has_value)
    return true;
  std::string v = lower(value);
  if (v == "true" || v == "yes" || v == "on" || v == "1")
    return true;
  if (v == "false" || v == "no" || v == "off" || v == "0" || v.empty())
    return false;
  return std::nullopt;
}

ConfigFacts parse_config(std::string_view text)
{
  ConfigFacts facts;
  std::string section; // lowercased; "" before the first header; subsections make it "x.sub"
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string line = trim(raw);
    if (!line.empty() && line[0] == '[') {
      std::size_t close = line.find(']');
      if (close == std::string::npos) {
        facts.understood = false;
        return facts;
      }
      std::string header = line.substr(1, close - 1);
      std::size_t cut = header.find_first_of(" \t\"");
      std::string name = lower(trim(header.substr(0, cut)));
      section = cut == std::string::npos ? name : name + ".sub";
      if (name == "include" || name == "includeif")
        facts.includes = true;
      line = trim(line.substr(close + 1));
    }
    if (line.empty() || line[0] == '#' || line[0] == ';')
      continue;
    if (section != "core" && section != "extensions")
      continue;
    std::size_t k = 0;
    while (k < line.size() && (std::isalnum(static_cast<unsigned char>(line[k])) || line[k] == '-'))
      ++k;
    std::string key = lower(line.substr(0, k));
    std::string rest = trim(line.substr(k));
    bool has_value = !rest.empty();
    std::string value;
    if (has_value) {
      if (rest[0] != '=') {
        facts.understood = false;
        continue;
      }
      value = trim(rest.substr(1));
      if (auto c = value.find_first_of("#;"); c != std::string::npos)
        value = trim(value.substr(0, c));
    }
    bool matters = section == "extensions" || key == "repositoryformatversion" || key == "bare" ||
                   key == "worktree" || key == "excludesfile" || key == "ignorecase";
    if (!matters)
      continue;
    if (value.find_first_of("\"\\") != std::string::npos) {
      facts.understood = false; // quoting and escapes: git's rules, not ours
      continue;
    }
    if (section == "extensions") {
      facts.extensions.emplace_back(key, lower(value));
    } else if (key == "repositoryformatversion") {
      if (value.empty() || value.size() > 3 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        facts.understood = false;
      else
        facts.format_version = std::stoi(value);
    } else if (key == "bare") {
      auto b = parse_bool(value, has_value);
      if (!b)
        facts.understood = false;
      else
        facts.bare = *b;
    } else if (key == "worktree") {
      facts.worktree = value;
    } else if (key == "excludesfile") {
      if (!has_value)
        facts.understood = false; // git refuses a path without a value
      else
        facts.excludes_file = value;
    } else if (key == "ignorecase") {
      auto b = parse_bool(value, has_value);
      if (!b)
        facts.understood = false;
      else
        facts.ignore_case = *b;
    }
  }
  return facts;
}

// Extensions whose presence changes nothing for reading the index, refs, commits and trees.
bool harmless_extension(const std::string& name, const std::string& value)
{
  if (name == "noop" || name == "noop-v1" || name == "preciousobjects" || name == "partialclone")
    return true;
  return name == "objectformat" && value == "sha1";
}

// A ref name under refs/heads/ that git would accept (check-ref-format), so that it cannot
// climb out of the refs directory.
bool valid_branch_ref(const std::string& name)
{
  if (name.rfind("refs/heads/", 0) != 0 || name.size() == 11 || name.back() == '/' ||
      name.back() == '.')
    return false;
  if (name.find("..") != std::string::npos || name.find("//") != std::string::npos ||
      name.find("@{") != std::string::npos || name.find("/.") != std::string::npos)
    return false;
  if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".lock") == 0)
    return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' ||
        c == '*' || c == '[' || c == '\\')
      return false;
  return true;
}

// discover_git_layout; `*outside` (when given) is set when the search found nothing that could
// be a repository, up to the root of the file system or the file system's boundary.
std::optional<GitLayout> discover(const std::string& path, const GitEnvironment& env,
                                  std::string* why_not, bool* outside)
{
  if (outside)
    *outside = false;
  auto refuse = [&](std::string reason) -> std::optional<GitLayout> {
    if (why_not)
      *why_not = std::move(reason);
    return std::nullopt;
  };
  std::error_code ec;
  GitLayout layout;
  std::string git_dir; // as found, not yet canonical
  std::string work_tree;
  if (!env.git_dir.empty()) {
    git_dir = fs::absolute(env.git_dir, ec).lexically_normal().string();
    if (ec)
      return refuse("GIT_DIR cannot be made absolute");
  } else {
    std::string start = fs::absolute(path.empty() ? "." : path, ec).lexically_normal().string();
    if (ec)
      return refuse("the path cannot be made absolute");
    start = without_slash(start);
    struct stat st {};
    if (::stat(start.c_str(), &st) != 0)
      return refuse("cannot stat " + start);
    if (!S_ISDIR(st.st_mode)) {
      start = fs::path(start).parent_path().string();
      if (::stat(start.c_str(), &st) != 0)
        return refuse("cannot stat " + start);
    }
    const dev_t device = st.st_dev;
    std::string dir = start;
    for (;;) {
      const std::string dotgit = (dir == "/" ? "" : dir) + "/.git";
      struct stat g {};
      if (::lstat(dotgit.c_str(), &g) == 0) {
        if (S_ISLNK(g.st_mode))
          return refuse(dotgit + " is a symbolic link");
        if (S_ISDIR(g.st_mode)) {
          git_dir = dotgit;
        } else if (S_ISREG(g.st_mode)) {
          std::string text;
          if (!read_small(dotgit, text))
            return refuse("cannot read " + dotgit);
          std::string line = trim(text);
          if (line.rfind("gitdir: ", 0) != 0 || line.find('\n') != std::string::npos)
            return refuse(dotgit + " is not a `gitdir:` file");
          std::string target = trim(line.substr(8));
          if (target.empty())
            return refuse(dotgit + " names no directory");
          git_dir = target[0] == '/' ? target : dir + "/" + target;
        } else {
          return refuse(dotgit + " is neither a directory nor a file");
        }
        work_tree = dir;
        break;
      }
      if (errno != ENOENT && errno != ENOTDIR)
        return refuse("cannot stat " + dotgit);
      // A git directory itself (a bare repository, or inside .git): libgit2's business.
      if (is_regular(dir + "/HEAD", false) && is_dir(dir + "/objects"))
        return refuse(dir + " is a git directory (bare repository?)");
      // Any HEAD at all may make it one to libgit2 (a linked worktree's git directory has no
      // objects of its own, HEAD may be a link): never "outside" then.
      struct stat head {};
      if (outside && ::lstat((dir + "/HEAD").c_str(), &head) == 0)
        return refuse(dir + " has a HEAD");
      if (dir == "/") {
        if (outside)
          *outside = true;
        return refuse("not inside a git repository");
      }
      std::string parent = fs::path(dir).parent_path().string();
      if (parent.empty())
        parent = "/";
      struct stat p {};
      if (::stat(parent.c_str(), &p) != 0)
        return refuse("cannot stat " + parent);
      if (p.st_dev != device) {
        if (outside)
          *outside =
              true; // libgit2's discovery (without GIT_REPOSITORY_OPEN_CROSS_FS) stops here too
        return refuse("the search would cross a file system at " + parent);
      }
      dir = parent;
    }
  }

  // The git directory: HEAD, and objects and refs in the common directory.
  auto canon_git = canonical_dir(git_dir);
  if (!canon_git)
    return refuse("cannot resolve " + git_dir);
  layout.git_dir = *canon_git;
  std::string common = layout.git_dir;
  std::string commondir_text;
  ReadFileError err;
  const bool linked = read_small(layout.git_dir + "commondir", commondir_text, &err);
  if (linked) {
    std::string c = trim(commondir_text);
    if (c.empty() || c.find('\n') != std::string::npos)
      return refuse("unusual commondir file");
    auto canon = canonical_dir(c[0] == '/' ? c : layout.git_dir + c);
    if (!canon)
      return refuse("cannot resolve commondir " + c);
    common = *canon;
  } else if (!err.missing) {
    return refuse("cannot read " + layout.git_dir + "commondir");
  }
  layout.common_dir = common;
  if (!is_regular(layout.git_dir + "HEAD", false) || !is_dir(common + "objects") ||
      !is_dir(common + "refs"))
    return refuse(layout.git_dir + " is not a git directory");

  std::string config_text;
  ReadFileError config_err;
  if (!read_small(common + "config", config_text, &config_err, max_config) && !config_err.missing)
    return refuse("cannot read " + common + "config");
  ConfigFacts config = parse_config(config_text);
  if (!config.understood)
    return refuse("config not understood");
  if (config.format_version > 1)
    return refuse("repository format version " + std::to_string(config.format_version));
  if (config.includes)
    return refuse("config includes");
  for (const auto& [name, value] : config.extensions)
    if (!harmless_extension(name, value))
      return refuse("extension " + name);

  if (!env.work_tree.empty()) {
    work_tree = fs::absolute(env.work_tree, ec).lexically_normal().string();
    if (ec)
      return refuse("GIT_WORK_TREE cannot be made absolute");
  } else if (!env.git_dir.empty()) {
    if (linked || config.bare || config.worktree)
      return refuse("GIT_DIR without GIT_WORK_TREE on a linked worktree, bare repository or "
                    "core.worktree");
    work_tree = fs::path(without_slash(layout.git_dir)).parent_path().string();
  } else if (config.bare && !linked) {
    return refuse("core.bare is set");
  }
  auto canon_wt = canonical_dir(work_tree);
  if (!canon_wt)
    return refuse("cannot resolve the work tree " + work_tree);
  layout.work_tree = *canon_wt;
  if (config.worktree && env.work_tree.empty()) {
    // A submodule's git directory names its work tree: fine when it is the one found.
    const std::string& w = *config.worktree;
    auto named = canonical_dir(!w.empty() && w[0] == '/' ? w : layout.git_dir + w);
    if (!named || *named != layout.work_tree)
      return refuse("core.worktree names another directory");
  }
  layout.index_path = env.index_file.empty() ? layout.git_dir + "index" : env.index_file;
  return layout;
}

} // namespace

std::optional<GitLayout> discover_git_layout(const std::string& path, const GitEnvironment& env,
                                             std::string* why_not)
{
  return discover(path, env, why_not, nullptr);
}

bool outside_any_repository(const std::string& path)
{
  for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"})
    if (const char* v = std::getenv(name); v && *v)
      return false;
  // libgit2 resolves the path first (realpath): `plain/link` into a repository's subdirectory,
  // or `plain/link/..`, is searched from where it leads, not from its spelling.
  char real[PATH_MAX];
  if (!::realpath(path.c_str(), real))
    return false;
  bool outside = false;
  return !discover(real, GitEnvironment{}, nullptr, &outside) && outside;
}

std::optional<IgnoreConfig> read_ignore_config(const std::string& path, std::string* why_not)
{
  std::string text;
  ReadFileError err;
  // Followed when a link, as git does (a home directory's config often is one).
  if (!read_regular_file(path, max_config, text, &err)) {
    if (err.missing)
      return IgnoreConfig{};
    if (why_not)
      *why_not = "cannot read " + path + ": " + err.message;
    return std::nullopt;
  }
  ConfigFacts facts = parse_config(text);
  if (!facts.understood || facts.includes) {
    if (why_not)
      *why_not = path + (facts.includes ? ": config includes" : ": config not understood");
    return std::nullopt;
  }
  IgnoreConfig config;
  config.excludes_file = std::move(facts.excludes_file);
  config.ignore_case = facts.ignore_case;
  return config;
}

std::string objects_dir_of(const std::string& git_dir)
{
  std::string dir = with_slash(git_dir);
  std::string text;
  if (read_small(dir + "commondir", text)) {
    std::string c = trim(text);
    if (!c.empty() && c.find('\n') == std::string::npos)
      return with_slash(c[0] == '/' ? c : dir + c) + "objects";
  }
  return dir + "objects";
}

std::optional<HeadState> read_head(const GitLayout& layout, std::string* why_not)
{
  auto refuse = [&](std::string reason) -> std::optional<HeadState> {
    if (why_not)
      *why_not = std::move(reason);
    return std::nullopt;
  };
  std::string text;
  if (!read_small(layout.git_dir + "HEAD", text))
    return refuse("cannot read HEAD");
  std::string value = trim(text);
  HeadState head;
  for (int depth = 0;; ++depth) {
    if (value.rfind("ref:", 0) != 0) {
      auto id = BlobId::from_hex(value);
      if (!id)
        return refuse("HEAD (or the ref it names) holds neither an id nor a ref");
      head.commit = *id;
      return head;
    }
    if (depth >= 5)
      return refuse("symbolic refs nested too deep");
    std::string name = trim(value.substr(4));
    if (!valid_branch_ref(name))
      return refuse("HEAD names an unusual ref");
    std::string loose;
    ReadFileError err;
    if (read_small(layout.common_dir + name, loose, &err)) {
      value = trim(loose);
      continue;
    }
    if (!err.missing && !is_dir(layout.common_dir + name))
      return refuse("cannot read " + name + ": " + err.message);
    // Not loose: packed-refs, or an unborn branch.
    std::string packed;
    ReadFileError perr;
    if (!read_small(layout.common_dir + "packed-refs", packed, &perr, max_packed_refs)) {
      if (!perr.missing)
        return refuse("cannot read packed-refs: " + perr.message);
      head.unborn = true;
      return head;
    }
    std::size_t pos = 0;
    while (pos < packed.size()) {
      std::size_t nl = packed.find('\n', pos);
      std::string_view line(packed.data() + pos,
                            (nl == std::string::npos ? packed.size() : nl) - pos);
      pos = nl == std::string::npos ? packed.size() : nl + 1;
      if (!line.empty() && line.back() == '\r')
        return refuse("malformed packed-refs");
      if (line.empty() || line[0] == '#')
        continue;
      if (line[0] == '^') {
        if (line.size() != 41 || !BlobId::from_hex(line.substr(1)))
          return refuse("malformed packed-refs");
        continue;
      }
      if (line.size() < 42 || line[40] != ' ')
        return refuse("malformed packed-refs");
      auto id = BlobId::from_hex(line.substr(0, 40));
      if (!id)
        return refuse("malformed packed-refs");
      if (line.substr(41) == name) {
        head.commit = *id;
        return head;
      }
    }
    head.unborn = true;
    return head;
  }
}

} // namespace zenolint::source
