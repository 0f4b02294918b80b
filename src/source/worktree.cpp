#include "source/worktree.hpp"

#include "archive/archive.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/phases.hpp"
#include "core/read_file.hpp"
#include "git/git.hpp"
#include "source/git_layout.hpp"
#include "source/gitignore.hpp"
#include "source/index_file.hpp"
#include "source/staged.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace zenolint::source {
namespace fs = std::filesystem;
namespace {

// Classifies one candidate path by lstat and adds it to the batch or to the skip counters.
void consider(Batch& batch, const std::string& fs_path, const std::string& display_path,
              const WorktreeOptions& options)
{
  ++batch.stats.files;
  struct stat st {};
  if (::lstat(fs_path.c_str(), &st) != 0) {
    ++batch.stats.skipped_other;
    batch.diagnostics.push_back(
        {Severity::warning, display_path, std::string("cannot stat: ") + std::strerror(errno)});
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    ++batch.stats.skipped_symlink;
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    ++batch.stats.skipped_other;
    const char* kind = S_ISFIFO(st.st_mode)   ? "a FIFO"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                       : S_ISDIR(st.st_mode)  ? "a directory"
                                              : "a device";
    batch.diagnostics.push_back({Severity::warning, display_path,
                                 std::string("not a regular file (") + kind + "), not read"});
    return;
  }
  if (static_cast<std::uint64_t>(st.st_size) > options.max_file_size &&
      !(static_cast<std::uint64_t>(st.st_size) <= options.max_archive_size &&
        archive::has_archive_extension(display_path))) {
    ++batch.stats.skipped_too_large;
    return;
  }
  FileRef ref;
  ref.fs_path = fs_path;
  ref.provenance.kind = Provenance::Kind::worktree;
  ref.provenance.path = display_path;
  batch.files.push_back(std::move(ref));
}

// A file the walk's directory entry says is regular: no lstat here. The scanner opens it without
// following a final link and checks type and size on the descriptor it reads (a file swapped
// for a link or a FIFO meanwhile is refused there), so a second stat per file would only repeat
// that; files over the limit are counted by the scanner.
void add_regular(Batch& batch, std::string fs_path, std::string display_path)
{
  ++batch.stats.files;
  FileRef ref;
  ref.fs_path = std::move(fs_path);
  ref.provenance.kind = Provenance::Kind::worktree;
  ref.provenance.path = std::move(display_path);
  batch.files.push_back(std::move(ref));
}

// Outside a repository: every entry under `root`, depth first, with an explicit stack (no
// recursion depth decided by the tree). readdir's d_type decides the kind without a stat; only
// file systems that do not fill it in (DT_UNKNOWN) get an lstat. Report paths are `root`-relative
// by construction (std::filesystem::relative canonicalised both sides, a readlink per path
// component: most of the listing's cost).
void walk_directory(Batch& batch, const std::string& root, const WorktreeOptions& options)
{
  std::string top = root;
  while (top.size() > 1 && top.back() == '/')
    top.pop_back();
  struct Dir {
    std::string fs;    // with trailing '/'
    std::string rel;   // "" or with trailing '/'
    std::string below; // relative to the root: "." or without trailing '/'
  };
  std::vector<Dir> stack{{top == "/" ? top : top + "/", options.plain_prefix, "."}};
  if (options.watch_name)
    batch.watched_entries.emplace();
  // Each directory is opened below the root's descriptor following no link (open_below): one
  // swapped for a link to /etc after it was listed is not entered.
  Fd top_fd(::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!top_fd)
    throw Error(root + ": " + std::strerror(errno));
  bool first = true;
  while (!stack.empty()) {
    Dir dir = std::move(stack.back());
    stack.pop_back();
    int raw = open_below(top_fd.get(), dir.below.c_str(),
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    std::unique_ptr<DIR, int (*)(DIR*)> handle(raw >= 0 ? ::fdopendir(raw) : nullptr, &::closedir);
    if (!handle && raw >= 0)
      ::close(raw);
    if (!handle) {
      if (first)
        throw Error(root + ": " + std::strerror(errno));
      if (errno != EACCES) // permission denied is skipped silently, as by find -readable
        batch.diagnostics.push_back({Severity::warning,
                                     dir.rel.empty() ? root : dir.rel.substr(0, dir.rel.size() - 1),
                                     std::strerror(errno)});
      continue;
    }
    first = false;
    while (const dirent* e = ::readdir(handle.get())) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..")
        continue;
      if (name == ".git") // the repository's own directory, or the gitfile of a worktree
        continue;
      if (options.watch_name && options.watch_name(name))
        batch.watched_entries->push_back(dir.rel + std::string(name));
      unsigned char type = e->d_type;
      std::string fs_path = dir.fs;
      fs_path += name;
      if (type == DT_UNKNOWN) {
        struct stat st {};
        if (::lstat(fs_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
          type = DT_DIR;
      }
      std::string rel = dir.rel;
      rel += name;
      if (type == DT_DIR) {
        stack.push_back(
            {fs_path + "/", rel + "/",
             dir.below == "." ? std::string(name) : dir.below + "/" + std::string(name)});
      } else if (type == DT_REG) {
        if (options.on_listed)
          options.on_listed(fs_path, rel);
        add_regular(batch, std::move(fs_path), std::move(rel));
      } else if (type == DT_LNK) {
        ++batch.stats.files;
        ++batch.stats.skipped_symlink;
      } else {
        consider(batch, fs_path, rel, options); // DT_UNKNOWN, FIFO, socket, device: say what
      }
    }
  }
}

bool inside(const std::string& path, const std::string& dir)
{
  std::error_code ec;
  auto p = fs::weakly_canonical(fs::absolute(path), ec).generic_string() + "/";
  auto d = fs::weakly_canonical(fs::absolute(dir), ec).generic_string();
  if (d.empty() || d.back() != '/')
    d += '/';
  return p.rfind(d, 0) == 0;
}

// The repository `root` belongs to. As for git, GIT_DIR (with GIT_WORK_TREE or core.worktree)
// names it when set and its work tree contains `root` (a bare "dotfiles" repository whose work
// tree is the home directory, a hook's environment); otherwise the search upwards from `root`
// finds it, `.git` files (`--separate-git-dir`, `git worktree add`, submodules) included.
std::optional<git::Repository> repository_of(const std::string& root)
{
  if (const char* env = std::getenv("GIT_DIR"); env && *env) {
    try {
      auto repo = git::open(env);
      std::string wd;
      if (const char* tree = std::getenv("GIT_WORK_TREE"); tree && *tree)
        wd = fs::absolute(tree).lexically_normal().string();
      else if (const char* current = git_repository_workdir(repo.get()))
        wd = current;
      if (!wd.empty() && wd.back() != '/')
        wd += '/';
      if (!wd.empty() && inside(root, wd)) {
        const char* current = git_repository_workdir(repo.get());
        if (!current || wd != current)
          repo = git::open(env, wd);
        return repo;
      }
    } catch (const Error&) {
      // GIT_DIR names no readable repository: git would fail; the path still tells us one.
    }
  }
  return git::discover(root);
}

// ---- The own listing of a checkout (no libgit2) ----

// Environment variables with which git or libgit2 would look elsewhere than discovery does.
const char* const unusual_environment[] = {
    "GIT_DIR",           "GIT_WORK_TREE",     "GIT_INDEX_FILE",        "GIT_COMMON_DIR",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"};

std::string env_or_empty(const char* name)
{
  const char* v = std::getenv(name);
  return v ? v : "";
}

// What is left of max_patterns_total for one listing; `take` says whether a file's patterns fit
// (and counts them) or adds a diagnostic naming the file.
class PatternBudget {
public:
  bool take(const IgnoreList& list, const std::string& path, std::vector<Diagnostic>& diagnostics)
  {
    if (list.patterns.size() <= m_left) {
      m_left -= list.patterns.size();
      return true;
    }
    diagnostics.push_back(
        {Severity::warning, path,
         std::to_string(list.patterns.size()) + " ignore patterns would take this scan over " +
             std::to_string(max_patterns_total) + " in all: this file's patterns are not used"});
    return false;
  }

private:
  std::size_t m_left = max_patterns_total;
};

struct ExcludeSetup {
  std::vector<IgnoreList> files; // info/exclude, then core.excludesFile
  bool ignore_case = false;
};

// One pattern file of the repository or the user (info/exclude, core.excludesFile): a missing
// one adds nothing, one over max_pattern_file is not used (a diagnostic says so). False when it
// cannot be read otherwise (the listing is then left to libgit2).
bool add_exclude_file(const std::string& path, std::vector<IgnoreList>& files,
                      PatternBudget& budget, std::vector<Diagnostic>& diagnostics, std::string& why)
{
  std::string text;
  ReadFileError err;
  if (read_regular_file(path, max_pattern_file, text, &err)) {
    std::size_t dropped = 0;
    IgnoreList list = parse_ignore_list(text, "", &dropped);
    if (dropped)
      diagnostics.push_back({Severity::warning, path,
                             std::to_string(dropped) + " ignore pattern(s) longer than " +
                                 std::to_string(max_pattern_length) + " bytes not used"});
    if (budget.take(list, path, diagnostics))
      files.push_back(std::move(list));
    return true;
  }
  if (err.missing)
    return true;
  if (err.too_large) {
    diagnostics.push_back({Severity::warning, path,
                           "ignore file larger than " + std::to_string(max_pattern_file) +
                               " bytes: its patterns are not used"});
    return true;
  }
  why = "cannot read " + path + ": " + err.message;
  return false;
}

std::optional<ExcludeSetup> exclude_setup(const GitLayout& layout, PatternBudget& budget,
                                          std::vector<Diagnostic>& diagnostics, std::string& why)
{
  // Config files in git's order (a later one overrides): system, XDG, global, repository.
  const std::string home = env_or_empty("HOME");
  const std::string xdg = env_or_empty("XDG_CONFIG_HOME");
  std::vector<std::string> configs;
  if (env_or_empty("GIT_CONFIG_NOSYSTEM").empty())
    configs.push_back("/etc/gitconfig");
  if (!xdg.empty())
    configs.push_back(xdg + "/git/config");
  else if (!home.empty())
    configs.push_back(home + "/.config/git/config");
  if (!home.empty())
    configs.push_back(home + "/.gitconfig");
  configs.push_back(layout.common_dir + "config");
  std::optional<std::string> excludes_file;
  bool ignore_case = false;
  for (const auto& path : configs) {
    auto config = read_ignore_config(path, &why);
    if (!config)
      return std::nullopt;
    if (config->excludes_file)
      excludes_file = config->excludes_file;
    if (config->ignore_case)
      ignore_case = *config->ignore_case;
  }
  if (ignore_case) {
    why = "core.ignoreCase is set";
    return std::nullopt;
  }
  std::string excludes;
  if (excludes_file) {
    const std::string& v = *excludes_file;
    if (v.rfind("~/", 0) == 0 && !home.empty())
      excludes = home + v.substr(1);
    else if (!v.empty() && v[0] == '/')
      excludes = v;
    else {
      why = "core.excludesFile is neither absolute nor ~/-relative";
      return std::nullopt;
    }
  } else if (!xdg.empty()) {
    excludes = xdg + "/git/ignore";
  } else if (!home.empty()) {
    excludes = home + "/.config/git/ignore";
  }
  ExcludeSetup setup;
  setup.ignore_case = ignore_case;
  // info/exclude first: it takes precedence over core.excludesFile.
  if (!add_exclude_file(layout.common_dir + "info/exclude", setup.files, budget, diagnostics, why))
    return std::nullopt;
  if (!excludes.empty() && !add_exclude_file(excludes, setup.files, budget, diagnostics, why))
    return std::nullopt;
  return setup;
}

// A directory's .gitignore (`rel` "" or "dir/", relative to the work tree `top`), added below
// `parent` when it has patterns. As git >= 2.32, a .gitignore that is a symbolic link is not
// followed; one that cannot be read (a directory, a FIFO, permission denied) adds nothing, as
// for git; one over max_pattern_file is not used, with a diagnostic.
std::shared_ptr<const IgnoreNode> with_gitignore(std::shared_ptr<const IgnoreNode> parent, int top,
                                                 const std::string& rel, PatternBudget& budget,
                                                 std::vector<Diagnostic>& diagnostics)
{
  ReadFileOptions opts;
  opts.dir_fd = top;
  opts.follow_final_link = false;
  std::string text;
  ReadFileError err;
  const std::string path = rel + ".gitignore";
  if (!read_regular_file(path, max_pattern_file, text, &err, opts)) {
    if (err.too_large)
      diagnostics.push_back({Severity::warning, path,
                             "ignore file larger than " + std::to_string(max_pattern_file) +
                                 " bytes: its patterns are not used"});
    return parent;
  }
  std::size_t dropped = 0;
  IgnoreList list = parse_ignore_list(text, rel, &dropped);
  if (dropped)
    diagnostics.push_back({Severity::warning, path,
                           std::to_string(dropped) + " ignore pattern(s) longer than " +
                               std::to_string(max_pattern_length) + " bytes not used"});
  if (list.patterns.empty() || !budget.take(list, path, diagnostics))
    return parent;
  auto node = std::make_shared<IgnoreNode>();
  node->parent = std::move(parent);
  node->list = std::move(list);
  return node;
}

struct Listed {
  enum class Kind : unsigned char { regular, symlink, nested };
  std::string path;
  Kind kind;
  const IndexEntry* entry; // tracked regular files
};

unsigned char type_at(int dir_fd, const char* name)
{
  struct stat st {};
  if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return DT_UNKNOWN;
  if (S_ISREG(st.st_mode))
    return DT_REG;
  if (S_ISDIR(st.st_mode))
    return DT_DIR;
  if (S_ISLNK(st.st_mode))
    return DT_LNK;
  return DT_UNKNOWN;
}

// An index path the walk could produce: relative, no empty, ".", ".." or ".git" component. Only
// those are handed to the reader ahead of the walk (a hostile index could name "../x").
bool plain_index_path(std::string_view path)
{
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    std::string_view c = path.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
    if (c.empty() || c == "." || c == ".." ||
        (c.size() == 4 && c[0] == '.' && (c[1] | 0x20) == 'g' && (c[2] | 0x20) == 'i' &&
         (c[3] | 0x20) == 't'))
      return false;
    if (slash == std::string_view::npos)
      break;
    pos = slash + 1;
  }
  return true;
}

bool racily_clean(const IndexEntryStat& e, const IndexFile& index)
{
  return static_cast<std::int64_t>(e.mtime_s) > index.mtime_s ||
         (static_cast<std::int64_t>(e.mtime_s) == index.mtime_s &&
          static_cast<std::int64_t>(e.mtime_ns) >= index.mtime_ns);
}

// The listing of a checkout from its index and one directory walk: nullopt, with the reason in
// `why`, when something is not understood (the caller uses libgit2 then).
std::optional<Batch> list_checkout(const std::string& root, const WorktreeOptions& options,
                                   std::string& why)
{
  for (const char* name : unusual_environment)
    if (!env_or_empty(name).empty()) {
      why = std::string(name) + " is set";
      return std::nullopt;
    }
  auto layout = discover_git_layout(root, GitEnvironment{}, &why);
  if (!layout)
    return std::nullopt;
  char canon[PATH_MAX];
  if (!::realpath(root.c_str(), canon)) {
    why = "cannot resolve " + root;
    return std::nullopt;
  }
  std::string prefix = std::string(canon) + "/";
  if (prefix.rfind(layout->work_tree, 0) != 0) {
    why = "the root is not inside the work tree";
    return std::nullopt;
  }
  prefix.erase(0, layout->work_tree.size());
  if (prefix == ".git/" || prefix.rfind(".git/", 0) == 0) {
    why = "the root is inside the git directory";
    return std::nullopt;
  }

  Batch batch;
  PatternBudget budget;
  auto excludes = exclude_setup(*layout, budget, batch.diagnostics, why);
  if (!excludes)
    return std::nullopt;
  auto index = read_index_file(layout->index_path, &why, true);
  if (!index)
    return std::nullopt;
  if (index->first_unmerged >= 0) {
    why = "the index has unmerged entries";
    return std::nullopt;
  }
  Fd top(::open(layout->work_tree.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!top) {
    why = "cannot open " + layout->work_tree + ": " + std::strerror(errno);
    return std::nullopt;
  }
  const std::string& workdir = layout->work_tree;

  // Tracked paths under the root, and the directories that hold them. Regular files go to the
  // reader (on_listed) at once: most of a checkout is tracked.
  std::unordered_map<std::string_view, const IndexEntry*> tracked;
  std::unordered_set<std::string_view> tracked_dirs;
  tracked.reserve(index->entries.size());
  std::string fs_path = workdir;
  for (const IndexEntry& e : index->entries) {
    if (e.path.compare(0, prefix.size(), prefix) != 0)
      continue;
    tracked.emplace(e.path, &e);
    for (std::size_t slash = e.path.find('/'); slash != std::string_view::npos;
         slash = e.path.find('/', slash + 1))
      tracked_dirs.insert(e.path.substr(0, slash));
    if (options.on_listed && !e.skip_worktree && (e.mode == 0100644 || e.mode == 0100755) &&
        plain_index_path(e.path)) {
      fs_path.resize(workdir.size());
      fs_path += e.path;
      options.on_listed(fs_path, std::string(e.path));
    }
  }

  IgnoreRules rules(std::move(excludes->files), excludes->ignore_case);
  // The root's ancestors inside the work tree: their .gitignore files apply, and when one of
  // them is ignored nothing untracked below is listed (git does not enter it).
  std::shared_ptr<const IgnoreNode> node;
  bool untracked = true;
  std::string rel;
  for (std::size_t pos = 0; pos < prefix.size();) {
    std::size_t slash = prefix.find('/', pos);
    if (untracked)
      node = with_gitignore(node, top.get(), rel, budget, batch.diagnostics);
    std::string path = prefix.substr(0, slash);
    if (untracked && rules.excluded(path, true, node.get()))
      untracked = false;
    rel = path + "/";
    pos = slash + 1;
  }

  struct Frame {
    std::string rel; // "" or "dir/"
    bool untracked;  // untracked files below are listed (the directory is not ignored)
    std::shared_ptr<const IgnoreNode> parent_node;
  };
  std::vector<Frame> stack{{prefix, untracked, node}};
  if (options.watch_name)
    batch.watched_entries.emplace();
  std::vector<Listed> listed;
  listed.reserve(tracked.size() + 64);
  std::vector<std::pair<std::string, unsigned char>> entries;
  bool first = true;
  while (!stack.empty()) {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    const std::string dir_path =
        frame.rel.empty() ? std::string(".") : frame.rel.substr(0, frame.rel.size() - 1);
    int raw = open_below(top.get(), dir_path.c_str(),
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (raw < 0) {
      if (first) {
        why = "cannot open " + root + ": " + std::strerror(errno);
        return std::nullopt;
      }
      // Gone or swapped since it was listed: as libgit2, nothing below it. Anything else (a
      // path over PATH_MAX, too many open files) is said, as git status and the plain walk
      // do; permission denied is skipped silently, as by the plain walk.
      if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != EACCES)
        batch.diagnostics.push_back({Severity::warning, dir_path,
                                     std::string("cannot open directory: ") + std::strerror(errno) +
                                         "; files below it not read"});
      continue;
    }
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(raw), &::closedir);
    if (!dir) {
      ::close(raw);
      continue;
    }
    first = false;
    entries.clear();
    while (const dirent* e = ::readdir(dir.get())) {
      std::string_view name = e->d_name;
      if (name == "." || name == ".." || name == ".git")
        continue;
      if (options.watch_name && options.watch_name(name))
        batch.watched_entries->push_back(frame.rel + std::string(name));
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN)
        type = type_at(::dirfd(dir.get()), e->d_name);
      entries.emplace_back(name, type);
    }
    const int dir_fd = ::dirfd(dir.get());
    // Its .gitignore, read only when the listing has one (an open per directory saved).
    const bool has_gitignore = std::any_of(entries.begin(), entries.end(),
                                           [](const auto& e) { return e.first == ".gitignore"; });
    std::shared_ptr<const IgnoreNode> here =
        frame.untracked && has_gitignore
            ? with_gitignore(frame.parent_node, top.get(), frame.rel, budget, batch.diagnostics)
            : frame.parent_node;
    for (auto& [name, type] : entries) {
      std::string path = frame.rel + name;
      if (auto it = tracked.find(path); it != tracked.end()) {
        const IndexEntry* e = it->second;
        if (e->skip_worktree || e->mode == 0160000)
          continue; // sparse, or a submodule: not content here
        if (type == DT_REG)
          listed.push_back({std::move(path), Listed::Kind::regular, e});
        else if (type == DT_LNK)
          listed.push_back({std::move(path), Listed::Kind::symlink, nullptr});
        if (type != DT_DIR)
          continue; // other kinds: gone as far as git is concerned
        // A tracked file replaced by a directory: the directory is untracked.
      }
      if (type == DT_DIR) {
        const bool holds_tracked = tracked_dirs.count(path) != 0;
        const bool below = frame.untracked && !rules.excluded(path, true, here.get());
        if (!holds_tracked) {
          if (!below)
            continue;
          std::string dotgit = name + "/.git";
          if (::faccessat(dir_fd, dotgit.c_str(), F_OK, 0) == 0) {
            // Another repository (not a submodule of this one): not entered, reported as the
            // directory it is, as libgit2's status does.
            listed.push_back({path + "/", Listed::Kind::nested, nullptr});
            continue;
          }
        }
        stack.push_back({path + "/", below, here});
        continue;
      }
      if (!frame.untracked || (type != DT_REG && type != DT_LNK))
        continue;
      if (rules.excluded(path, false, here.get()))
        continue;
      if (type == DT_REG && options.on_listed)
        options.on_listed(workdir + path, path);
      listed.push_back({std::move(path),
                        type == DT_REG ? Listed::Kind::regular : Listed::Kind::symlink, nullptr});
    }
  }

  std::sort(listed.begin(), listed.end(),
            [](const Listed& a, const Listed& b) { return a.path < b.path; });
  batch.files.reserve(listed.size());
  for (auto& l : listed) {
    switch (l.kind) {
    case Listed::Kind::regular: {
      const IndexEntry* e = l.entry;
      std::string fs = workdir + l.path; // before l.path is moved from
      add_regular(batch, std::move(fs), std::move(l.path));
      const IndexEntryStat* es =
          e ? &index->stats[static_cast<std::size_t>(e - index->entries.data())] : nullptr;
      if (e && !e->intent_to_add && !racily_clean(*es, *index)) {
        IndexStat st;
        std::memcpy(st.id.bytes.data(), e->id.data(), st.id.bytes.size());
        st.ctime_s = es->ctime_s;
        st.ctime_ns = es->ctime_ns;
        st.mtime_s = es->mtime_s;
        st.mtime_ns = es->mtime_ns;
        st.ino = es->ino;
        st.size = es->size;
        st.mode = e->mode;
        batch.files.back().index_stat = st;
      }
      break;
    }
    case Listed::Kind::symlink:
      ++batch.stats.files;
      ++batch.stats.skipped_symlink;
      break;
    case Listed::Kind::nested:
      consider(batch, workdir + l.path, l.path, options);
      break;
    }
  }
  return batch;
}

} // namespace

FileStat file_stat_of(const struct stat& st)
{
  auto u32 = [](auto v) { return static_cast<std::uint32_t>(v); };
  FileStat f;
  f.ctime_s = u32(st.st_ctim.tv_sec);
  f.ctime_ns = u32(st.st_ctim.tv_nsec);
  f.mtime_s = u32(st.st_mtim.tv_sec);
  f.mtime_ns = u32(st.st_mtim.tv_nsec);
  f.ino = u32(st.st_ino);
  f.size = u32(st.st_size);
  f.mode = u32(st.st_mode);
  return f;
}

std::optional<BlobId> known_id_for(const FileRef& ref, const FileStat& st)
{
  if (ref.known_id)
    return ref.known_id;
  if (!ref.index_stat)
    return std::nullopt;
  const IndexStat& x = *ref.index_stat;
  if (!S_ISREG(st.mode) || ((st.mode & 0100) != 0) != (x.mode == 0100755) || st.size != x.size ||
      st.mtime_s != x.mtime_s || st.mtime_ns != x.mtime_ns || st.ctime_s != x.ctime_s ||
      st.ctime_ns != x.ctime_ns || st.ino != x.ino)
    return std::nullopt;
  return x.id;
}

std::optional<BlobId> known_id_for(const FileRef& ref, const struct stat& st)
{
  if (ref.known_id || !ref.index_stat)
    return ref.known_id;
  return known_id_for(ref, file_stat_of(st));
}

RootInfo describe_root(const std::string& root)
{
  std::error_code ec;
  if (!fs::exists(root, ec))
    throw Error(root + ": no such file or directory");
  RootInfo info;
  info.display_root = root;
  if (outside_any_repository(root))
    return info; // libgit2 would find nothing either: not loaded for a plain directory
  auto repo = repository_of(root);
  if (!repo)
    return info;
  info.in_repo = true;
  info.git_dir = git_repository_path(repo->get());
  info.bare = git_repository_is_bare(repo->get()) != 0;
  if (!info.bare) {
    info.workdir = git_repository_workdir(repo->get());
    auto canon_root = fs::weakly_canonical(fs::absolute(root)).generic_string();
    auto canon_wd = fs::weakly_canonical(info.workdir).generic_string();
    if (!canon_wd.empty() && canon_wd.back() != '/')
      canon_wd += '/';
    if (canon_root.size() + 1 >= canon_wd.size() && (canon_root + "/").rfind(canon_wd, 0) == 0) {
      info.prefix = (canon_root + "/").substr(canon_wd.size());
    } else {
      // core.worktree names a directory that does not hold the root (/etc, a sibling): a scan
      // never leaves the path it is given, so the root is taken as the work tree instead.
      info.worktree_elsewhere = info.workdir;
      info.workdir = canon_root + "/";
    }
    info.display_root = info.workdir;
  }
  return info;
}

RootInfo describe_checkout_root(const std::string& root)
{
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return describe_root(root);
  for (const char* name : unusual_environment)
    if (!env_or_empty(name).empty())
      return describe_root(root);
  auto layout = discover_git_layout(root, GitEnvironment{});
  char canon[PATH_MAX];
  if (!layout || !::realpath(root.c_str(), canon))
    return describe_root(root);
  std::string path = std::string(canon) + "/";
  if (path.rfind(layout->work_tree, 0) != 0)
    return describe_root(root);
  RootInfo info;
  info.in_repo = true;
  info.git_dir = layout->git_dir;
  info.workdir = layout->work_tree;
  info.prefix = path.substr(layout->work_tree.size());
  info.display_root = info.workdir;
  return info;
}

Batch enumerate_worktree(const std::string& root, const WorktreeOptions& options)
{
  Batch batch;
  std::error_code ec;
  if (fs::is_regular_file(root, ec) || fs::is_symlink(root, ec)) {
    consider(batch, root, fs::path(root).filename().generic_string(), options);
    return batch;
  }
  if (options.why_not_own)
    options.why_not_own->clear();
  if (options.plain_directory) {
    walk_directory(batch, root, options);
    return batch;
  }
  if (options.lister != WorktreeOptions::Lister::libgit2) {
    std::string why;
    if (auto own = list_checkout(root, options, why)) {
      phase_note("worktree", "own listing (index and directory walk)");
      return std::move(*own);
    }
    if (options.lister == WorktreeOptions::Lister::own)
      throw Error(root + ": the own working-tree listing does not apply: " + why);
    phase_note("worktree", "libgit2 status: " + why);
    if (options.why_not_own)
      *options.why_not_own = why;
  }
  RootInfo info = describe_root(root);
  if (!info.worktree_elsewhere.empty())
    batch.diagnostics.push_back(
        {Severity::warning, root,
         "the repository's core.worktree names " + info.worktree_elsewhere +
             ", which does not hold this path: its files were scanned as that repository's work "
             "tree instead (a scan never reads outside the path it is given)"});
  if (!info.in_repo) {
    if (options.why_not_own)
      options.why_not_own->clear();
    walk_directory(batch, root, options);
    return batch;
  }
  if (info.bare)
    return batch;
  auto repo = git::open(info.git_dir, info.workdir);
  git_status_options opts;
  git::check(git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION), "status options");
  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_INCLUDE_UNMODIFIED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
               GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
  std::string spec = info.prefix;
  char* spec_ptr = spec.data();
  if (!spec.empty()) {
    opts.pathspec.strings = &spec_ptr;
    opts.pathspec.count = 1;
    opts.flags &= ~static_cast<unsigned>(GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH);
  }
  // The repository's index: loaded here, status reuses it (it re-reads it only when the file
  // changed meanwhile).
  git::Index index;
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo.get()) == 0)
    index.reset(raw_index);
  if (options.on_listed && index) {
    // Tracked regular files, for reading while status stats and compares the tree (most of a
    // clean checkout's listing time).
    std::string fs_path = info.workdir;
    const std::size_t n = git_index_entrycount(index.get());
    for (std::size_t i = 0; i < n; ++i) {
      const git_index_entry* e = git_index_get_byindex(index.get(), i);
      if (!e || git_index_entry_stage(e) != 0 ||
          (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
          (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0 ||
          std::strncmp(e->path, info.prefix.c_str(), info.prefix.size()) != 0)
        continue;
      fs_path.resize(info.workdir.size());
      fs_path += e->path;
      options.on_listed(fs_path, e->path);
    }
  }
  git_status_list* raw = nullptr;
  git::check(git_status_list_new(&raw, repo.get(), &opts), "listing working tree of " + root);
  git::StatusList list(raw);
  std::size_t n = git_status_list_entrycount(list.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_status_entry* e = git_status_byindex(list.get(), i);
    if (!e || !e->index_to_workdir)
      continue;
    if (e->status & (GIT_STATUS_WT_DELETED | GIT_STATUS_IGNORED))
      continue;
    const git_diff_delta* d = e->index_to_workdir;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT)
      continue; // submodule gitlink: not content
    const char* path = d->new_file.path ? d->new_file.path : d->old_file.path;
    if (!path)
      continue;
    // Status has stat'ed the file: a regular one needs no second lstat (see add_regular).
    if (d->new_file.mode == GIT_FILEMODE_BLOB || d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE)
      add_regular(batch, info.workdir + path, path);
    else
      consider(batch, info.workdir + path, path, options);
    // Unmodified tracked file: status has checked it against the index, whose entry holds its
    // blob id, so the scanner need not hash it.
    if (e->status == GIT_STATUS_CURRENT && index && !batch.files.empty() &&
        batch.files.back().provenance.path == path)
      if (const git_index_entry* ie = git_index_get_bypath(index.get(), path, 0))
        batch.files.back().known_id = git::to_blob_id(ie->id);
  }
  return batch;
}

} // namespace zenolint::source
