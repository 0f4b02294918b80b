// The own working-tree listing of a checkout (index + directory walk + gitignore rules) against
// libgit2's status listing (both kept callable through WorktreeOptions::lister) and against
// `git ls-files -co --exclude-standard`, on many generated repositories: nested .gitignore files
// with random patterns, info/exclude, core.excludesFile, tracked files inside ignored
// directories, modified and deleted tracked files, symbolic links, a nested repository, a
// submodule (gitlink), and a subdirectory as the scan root. Replay a failure with the seed it
// prints (ZENOLINT_TEST_SEED).
#include "core/fd.hpp"
#include "core/read_file.hpp"
#include "git/git.hpp"
#include "source/gitignore.hpp"
#include "source/index_file.hpp"
#include "source/worktree.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <git2.h>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

using namespace zenolint;
using namespace zenolint::test;
namespace fs = std::filesystem;

namespace {

// The in-process environment of a listing: the repository's HOME and XDG directory (libgit2 is
// pointed at the same ones: it reads its search paths once), no system config, no GIT_DIR & co.
class ListingEnvironment {
public:
  explicit ListingEnvironment(const TempRepo& repo)
  {
    git::ensure_initialised();
    set("HOME", repo.home());
    set("XDG_CONFIG_HOME", repo.home() + "/.config");
    set("GIT_CONFIG_NOSYSTEM", "1");
    for (const char* name :
         {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_CONFIG_GLOBAL",
          "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"})
      set(name, nullptr);
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, repo.home().c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG,
                     (repo.home() + "/.config/git").c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, m_empty.path().c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, m_empty.path().c_str());
  }
  ~ListingEnvironment()
  {
    for (auto& [name, value] : m_saved)
      if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    for (int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM,
                      GIT_CONFIG_LEVEL_PROGRAMDATA})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, nullptr); // back to the defaults
  }
  ListingEnvironment(const ListingEnvironment&) = delete;
  ListingEnvironment& operator=(const ListingEnvironment&) = delete;

private:
  void set(const std::string& name, const char* value)
  {
    if (!m_saved.count(name)) {
      const char* old = std::getenv(name.c_str());
      m_saved[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    if (value)
      ::setenv(name.c_str(), value, 1);
    else
      ::unsetenv(name.c_str());
  }
  void set(const std::string& name, const std::string& value) { set(name, value.c_str()); }
  std::map<std::string, std::optional<std::string>> m_saved;
  TempDir m_empty;
};

// A listing in comparable form: each entry with its kind, in batch order, and the counters.
struct Listing {
  std::vector<std::string> files;       // regular files, report paths, in order
  std::vector<std::string> diagnostics; // "subject: message"
  std::uint64_t files_stat = 0, symlinks = 0, other = 0;
  std::map<std::string, std::optional<BlobId>> known; // what the scanner would take as id
  std::string why_not_own;
};

std::optional<BlobId> effective_known_id(const source::FileRef& ref)
{
  struct stat st {};
  if (::lstat(ref.fs_path.c_str(), &st) != 0)
    return std::nullopt;
  return source::known_id_for(ref, st);
}

Listing list(const std::string& root, source::WorktreeOptions::Lister lister)
{
  source::WorktreeOptions opts;
  opts.lister = lister;
  Listing out;
  opts.why_not_own = &out.why_not_own;
  auto batch = source::enumerate_worktree(root, opts);
  for (const auto& f : batch.files) {
    out.files.push_back(f.provenance.path);
    out.known[f.provenance.path] = effective_known_id(f);
  }
  for (const auto& d : batch.diagnostics)
    out.diagnostics.push_back(d.subject + ": " + d.message);
  out.files_stat = batch.stats.files;
  out.symlinks = batch.stats.skipped_symlink;
  out.other = batch.stats.skipped_other;
  return out;
}

std::set<std::string> split_nul(const std::string& s)
{
  std::set<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = s.find('\0', pos);
    if (end == std::string::npos)
      end = s.size();
    if (end > pos)
      out.insert(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// What git lists under `prefix` ("" or "dir/"): tracked files that are not deleted and not
// gitlinks, plus untracked files not ignored (nested repositories as "dir/").
std::set<std::string> git_listing(const TempRepo& repo, const std::string& prefix)
{
  std::vector<std::string> spec;
  if (!prefix.empty())
    spec = {"--", prefix};
  auto args = [&](std::vector<std::string> a) {
    a.insert(a.end(), spec.begin(), spec.end());
    return a;
  };
  auto listed = split_nul(repo.git(args({"ls-files", "-z", "-co", "--exclude-standard"})));
  for (const auto& d : split_nul(repo.git(args({"ls-files", "-z", "-d"}))))
    listed.erase(d);
  // gitlinks: "160000 <id> 0\t<path>"
  std::string staged = repo.git(args({"ls-files", "-z", "-s"}));
  for (const auto& line : split_nul(staged))
    if (line.rfind("160000 ", 0) == 0)
      listed.erase(line.substr(line.find('\t') + 1));
  return listed;
}

int g_libgit2_differs = 0; // repositories where libgit2's listing is not git's
int g_known_checked = 0;   // known ids compared with the content's blob id

class Generator {
public:
  explicit Generator(std::uint64_t seed) : m_rng(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(int percent) { return pick(100) < percent; }
  template <class T>
  const T& one(const std::vector<T>& v)
  {
    return v[pick(int(v.size()))];
  }

  std::string name()
  {
    static const std::vector<std::string> names = {
        "a",     "b",     "c.txt", "d.log", "e.tmp", "build", "src", "doc",    "x y",
        "#h",    "!n",    "t ",    "[x]",   "q?",    "UP",    "up",  "keep",   "foo",
        "bar.c", "a.txt", "lib",   "out",   "tmp",   "k.log", "n*m", "back\\s"};
    return one(names);
  }

  std::string pattern(const std::vector<std::string>& dirs)
  {
    static const std::vector<std::string> fixed = {"*.log",
                                                   "!k.log",
                                                   "*.tmp",
                                                   "build/",
                                                   "/build",
                                                   "**/tmp",
                                                   "a/**/b",
                                                   "\\#h",
                                                   "\\!n",
                                                   "[a-c]",
                                                   "[!a]*.txt",
                                                   "*.txt   ",
                                                   "t\\ ",
                                                   "# comment",
                                                   "x?y",
                                                   "q\\?",
                                                   "[[:upper:]]*",
                                                   "doc/*.txt",
                                                   "**/",
                                                   "out",
                                                   "!out",
                                                   "src/**",
                                                   "*",
                                                   "!*/",
                                                   "!keep",
                                                   "lib/",
                                                   "\\[x]",
                                                   "n\\*m",
                                                   "**/b",
                                                   "foo/**/bar.c",
                                                   "!foo/",
                                                   "*.c",
                                                   "/a",
                                                   "a/",
                                                   "[!a-c]",
                                                   "back\\\\s",
                                                   "up",
                                                   "UP/",
                                                   "*/c.txt",
                                                   "!**/keep",
                                                   "[]x]",
                                                   "?"};
    std::string p = one(fixed);
    if (chance(25) && !dirs.empty()) {
      // Anchored to a directory that exists: "dir/name" or "/dir/*".
      const std::string& d = one(dirs);
      p = chance(50) ? d + "/" + name() : "/" + d + "/*";
    }
    if (chance(10))
      p = "!" + p;
    return p;
  }

  std::string patterns(const std::vector<std::string>& dirs)
  {
    std::string out;
    int n = 1 + pick(5);
    for (int i = 0; i < n; ++i)
      out += pattern(dirs) + (chance(10) ? "\r\n" : "\n");
    return out;
  }

private:
  std::mt19937_64 m_rng;
};

void write_at(const std::string& path, const std::string& content)
{
  write_file(path, content);
}

// One generated repository, its listings compared. Returns a description for failures.
void check_one(std::uint64_t seed)
{
  INFO("repository seed " << seed << " (ZENOLINT_TEST_SEED=" << test_seed() << ")");
  Generator g(seed);
  TempRepo repo;
  repo.git({"config", "core.symlinks", "true"});
  std::vector<std::string> dirs; // "" and "x/", "x/y/"
  dirs.push_back("");
  std::vector<std::string> files;
  // Directories three levels deep at most, files in each.
  for (int i = 0; i < 6; ++i) {
    std::string parent = g.one(dirs);
    if (std::count(parent.begin(), parent.end(), '/') >= 3)
      continue;
    std::string d = parent + g.name() + "/";
    if (std::find(dirs.begin(), dirs.end(), d) == dirs.end())
      dirs.push_back(d);
  }
  auto add_files = [&](int n) {
    for (int i = 0; i < n; ++i) {
      std::string f = g.one(dirs) + g.name();
      bool clash = false;
      for (const auto& d : dirs) // a file where a directory is, or above one
        if (d.rfind(f + "/", 0) == 0)
          clash = true;
      if (clash || std::find(files.begin(), files.end(), f) != files.end())
        continue;
      write_at(repo / f, "content " + f + " " + std::to_string(g.pick(3)) + "\n");
      files.push_back(f);
    }
  };
  add_files(14);
  for (const auto& d : dirs)
    fs::create_directories(repo / d);
  // Some files tracked, including ones the ignore rules will cover later.
  for (const auto& f : files)
    if (g.chance(60))
      repo.git({"add", "--", f});
  repo.git({"commit", "-q", "--allow-empty", "-m", "base"});

  // Ignore rules: nested .gitignore files, info/exclude, core.excludesFile or the XDG default.
  std::vector<std::string> rel_dirs;
  for (const auto& d : dirs)
    if (!d.empty())
      rel_dirs.push_back(d.substr(0, d.size() - 1));
  for (const auto& d : dirs)
    if (g.chance(55))
      write_at(repo / (d + ".gitignore"), g.patterns(rel_dirs));
  if (g.chance(50))
    write_at(repo / ".git/info/exclude", g.patterns(rel_dirs));
  switch (g.pick(3)) {
  case 0:
    write_at(repo.home() + "/global-ignore", g.patterns(rel_dirs));
    repo.git({"config", "core.excludesFile", repo.home() + "/global-ignore"});
    break;
  case 1:
    write_at(repo.home() + "/.config/git/ignore", g.patterns(rel_dirs));
    break;
  default:
    break;
  }
  // More untracked files, modified and deleted tracked ones, links, a nested repository and a
  // submodule.
  add_files(10);
  std::vector<std::string> tracked;
  for (const auto& f : files)
    if (repo.try_git({"ls-files", "--error-unmatch", "--", f}).status == 0)
      tracked.push_back(f);
  for (const auto& f : tracked) {
    int what = g.pick(10);
    if (what == 0)
      fs::remove(repo / f);
    else if (what == 1)
      write_at(repo / f, "modified " + f + "\n");
    else if (what == 2) {
      fs::remove(repo / f);
      fs::create_symlink("elsewhere", repo / f); // a tracked file now a link (typechange)
    }
  }
  for (int i = 0; i < 2; ++i) {
    std::string l = g.one(dirs) + "link" + std::to_string(i);
    if (!fs::exists(fs::symlink_status(repo / l)))
      fs::create_symlink(g.chance(50) ? "/etc" : "../nowhere", repo / l);
  }
  if (g.chance(50)) {
    std::string nested = g.one(dirs) + "nested";
    if (!fs::exists(repo / nested)) {
      fs::create_directories(repo / nested);
      must_run({"git", "init", "-q", repo / nested}, repo.options());
      write_at(repo / (nested + "/inner.txt"), "inner\n");
    }
  }
  if (g.chance(40)) {
    std::string sub = g.one(dirs) + "module";
    if (!fs::exists(repo / sub)) {
      fs::create_directories(repo / sub);
      RunOptions o = repo.options();
      o.cwd = repo / sub;
      must_run({"git", "init", "-q", "-b", "main", "."}, o);
      write_at(repo / (sub + "/m.txt"), "module\n");
      must_run({"git", "add", "-f", "m.txt"}, o);
      must_run({"git", "commit", "-q", "-m", "m"}, o);
      std::string head = must_run({"git", "rev-parse", "HEAD"}, o);
      head.erase(head.find_last_not_of("\n") + 1);
      repo.git({"update-index", "--add", "--cacheinfo", "160000," + head + "," + sub});
    }
  }
  if (const char* keep = std::getenv("ZENOLINT_WORKTREE_KEEP")) // debugging: a copy to look at
    must_run({"cp", "-a", repo.path(), std::string(keep) + "-" + std::to_string(seed)});
  if (const char* keep = std::getenv("ZENOLINT_WORKTREE_KEEP"))
    must_run({"cp", "-a", repo.home(), std::string(keep) + "-" + std::to_string(seed) + "-home"});
  std::string prefix = g.chance(30) ? g.one(dirs) : "";
  const std::string root = prefix.empty() ? repo.path() : repo / prefix;
  INFO("scan root: " << (prefix.empty() ? "." : prefix));
  {
    std::ostringstream ignores;
    for (const auto& d : dirs)
      if (fs::exists(repo / (d + ".gitignore")))
        ignores << d << ".gitignore:\n" << read_file(repo / (d + ".gitignore"));
    if (fs::exists(repo / ".git/info/exclude"))
      ignores << "info/exclude:\n" << read_file(repo / ".git/info/exclude");
    for (const char* global : {"/global-ignore", "/.config/git/ignore"})
      if (fs::exists(repo.home() + global))
        ignores << "~" << global << ":\n" << read_file(repo.home() + global);
    INFO("ignore files:\n" << ignores.str());
    INFO("git status:\n" << repo.git({"status", "--porcelain", "--ignored", "-uall"}));

    ListingEnvironment env(repo);
    Listing own = list(root, source::WorktreeOptions::Lister::own);
    Listing lib = list(root, source::WorktreeOptions::Lister::libgit2);
    CHECK(own.why_not_own.empty());

    // git's listing: regular files and nested repositories ("dir/") by path, links counted.
    auto expected = git_listing(repo, prefix);
    std::uint64_t links = 0;
    for (auto it = expected.begin(); it != expected.end();) {
      struct stat st {};
      if (::lstat((repo / *it).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        ++links;
        it = expected.erase(it);
      } else {
        ++it;
      }
    }
    auto paths_of = [](const Listing& l) {
      std::set<std::string> out(l.files.begin(), l.files.end());
      for (const auto& d : l.diagnostics)
        out.insert(d.substr(0, d.find(": ")));
      return out;
    };
    // 1. The own listing is git's.
    CHECK(paths_of(own) == expected);
    CHECK(own.symlinks == links);
    CHECK(std::is_sorted(own.files.begin(), own.files.end()));
    // 1b. And what git status says: untracked files listed, deleted files not.
    for (const auto& rec : split_nul(repo.git({"status", "--porcelain", "-z", "-uall"}))) {
      if (rec.size() < 4)
        continue;
      const std::string xy = rec.substr(0, 2), path = rec.substr(3);
      if (path.rfind(prefix, 0) != 0)
        continue;
      INFO("git status: '" << rec << "'");
      if (xy == "??") {
        struct stat st {};
        if (::lstat((repo / path).c_str(), &st) == 0 && !S_ISLNK(st.st_mode))
          CHECK(paths_of(own).count(path) == 1);
      } else if (xy[1] == 'D') {
        CHECK(paths_of(own).count(path) == 0);
      }
    }
    // 2. Where libgit2 agrees with git (it does not always: it lets a negative pattern re-include
    // a file inside an ignored directory, and follows a link for a directory-only pattern), the
    // own listing is libgit2's entry for entry: order, counters, diagnostics.
    const bool libgit2_agrees = paths_of(lib) == expected && lib.symlinks == links;
    if (!libgit2_agrees) {
      ++g_libgit2_differs;
      if (std::getenv("ZENOLINT_WORKTREE_VERBOSE")) {
        std::string only_lib, only_git;
        for (const auto& p : paths_of(lib))
          if (!expected.count(p))
            only_lib += " '" + p + "'";
        for (const auto& p : expected)
          if (!paths_of(lib).count(p))
            only_git += " '" + p + "'";
        WARN("seed " << seed << ": libgit2 only:" << only_lib << "; git only:" << only_git
                     << "; links " << lib.symlinks << " vs " << links);
      }
      return;
    }
    CHECK(own.files == lib.files);
    CHECK(own.diagnostics == lib.diagnostics);
    CHECK(own.files_stat == lib.files_stat);
    CHECK(own.symlinks == lib.symlinks);
    CHECK(own.other == lib.other);
    // 3. A known id only where libgit2's status says unchanged with the same id, and always the
    // content's blob id.
    for (const auto& [path, id] : own.known) {
      if (!id)
        continue;
      INFO(path);
      CHECK(lib.known[path] == id);
      CHECK(*id == git::blob_hash(read_file(repo / path)));
      ++g_known_checked;
    }
  }
}

} // namespace

TEST_CASE("worktree: the own listing equals libgit2's and git's on generated repositories",
          "[worktree][slow]")
{
  const std::uint64_t base = test_seed();
  const int count = std::getenv("ZENOLINT_WORKTREE_CASES")
                        ? std::atoi(std::getenv("ZENOLINT_WORKTREE_CASES"))
                        : 40;
  const char* only = std::getenv("ZENOLINT_WORKTREE_ONLY"); // debugging: one repository seed
  if (only) {
    check_one(std::strtoull(only, nullptr, 10));
    return;
  }
  for (int i = 0; i < count; ++i)
    check_one(base * 1000003u + static_cast<std::uint64_t>(i));
  CHECK(g_known_checked > 0);
  WARN(g_libgit2_differs << " of " << count
                         << " repositories: libgit2's listing differs from git's (own == git)");
}

namespace {

source::Batch own_batch(const std::string& root)
{
  source::WorktreeOptions opts;
  opts.lister = source::WorktreeOptions::Lister::own;
  return source::enumerate_worktree(root, opts);
}

bool has_file(const source::Batch& b, const std::string& path)
{
  return std::any_of(b.files.begin(), b.files.end(),
                     [&](const source::FileRef& f) { return f.provenance.path == path; });
}

const source::FileRef& file(const source::Batch& b, const std::string& path)
{
  auto it = std::find_if(b.files.begin(), b.files.end(),
                         [&](const source::FileRef& f) { return f.provenance.path == path; });
  REQUIRE(it != b.files.end());
  return *it;
}

} // namespace

TEST_CASE("worktree: the index reader gives stat data and skip-worktree when asked", "[worktree]")
{
  TempRepo repo;
  repo.write("a.txt", "hello\n");
  repo.git({"add", "a.txt"});
  repo.git({"update-index", "--skip-worktree", "a.txt"});
  auto index = source::read_index_file(repo / ".git/index", nullptr, true);
  REQUIRE(index);
  REQUIRE(index->entries.size() == 1);
  REQUIRE(index->stats.size() == 1);
  struct stat st {};
  REQUIRE(::lstat((repo / "a.txt").c_str(), &st) == 0);
  CHECK(index->stats[0].size == 6);
  CHECK(index->stats[0].mtime_s == static_cast<std::uint32_t>(st.st_mtim.tv_sec));
  CHECK(index->stats[0].mtime_ns == static_cast<std::uint32_t>(st.st_mtim.tv_nsec));
  CHECK(index->stats[0].ino == static_cast<std::uint32_t>(st.st_ino));
  CHECK(index->entries[0].skip_worktree);
  CHECK(index->mtime_s > 0);
  auto plain = source::read_index_file(repo / ".git/index");
  REQUIRE(plain);
  CHECK(plain->stats.empty());
  // The listing leaves the skip-worktree entry out, as git's sparse checkout does.
  ListingEnvironment env(repo);
  source::WorktreeOptions opts;
  opts.lister = source::WorktreeOptions::Lister::own;
  CHECK(source::enumerate_worktree(repo.path(), opts).files.empty());
}

TEST_CASE("worktree: a huge .gitignore is not used, with a diagnostic naming it", "[worktree]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "a");
  std::string huge = "*.secret\n";
  huge += std::string(source::max_pattern_file, '#') + "\n";
  repo.write("sub/.gitignore", huge);
  repo.write("sub/x.secret", "x\n");
  repo.write("long/.gitignore", std::string(source::max_pattern_length + 10, '*') + "\n*.b\n");
  repo.write("long/y.b", "y\n");
  repo.write("long/z.c", "z\n");
  ListingEnvironment env(repo);
  auto batch = own_batch(repo.path());
  CHECK(has_file(batch, "sub/x.secret"));   // the patterns of the huge file are not applied
  CHECK_FALSE(has_file(batch, "long/y.b")); // the other patterns of a file with a long one are
  CHECK(has_file(batch, "long/z.c"));
  bool huge_named = false, long_named = false;
  for (const auto& d : batch.diagnostics) {
    huge_named |=
        d.subject == "sub/.gitignore" && d.message.find("larger than") != std::string::npos;
    long_named |=
        d.subject == "long/.gitignore" && d.message.find("longer than") != std::string::npos;
  }
  CHECK(huge_named);
  CHECK(long_named);
}

TEST_CASE("worktree: ignore patterns are bounded per listing; a file over the total is not used",
          "[worktree]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "a");
  auto patterns = [](std::size_t n, const std::string& last) {
    std::string text;
    for (std::size_t i = 0; i + 1 < n; ++i)
      text += "never-" + std::to_string(i) + "-*\n";
    return text + last + "\n";
  };
  // The top file fits; the deeper one would take the listing over the total.
  const std::size_t top = source::max_patterns_total * 3 / 4;
  repo.write(".gitignore", patterns(top, "*.one"));
  repo.write("sub/.gitignore", patterns(source::max_patterns_total - top + 1, "*.two"));
  repo.write("b.one", "b\n");
  repo.write("sub/c.one", "c\n");
  repo.write("sub/d.two", "d\n");
  ListingEnvironment env(repo);
  auto batch = own_batch(repo.path());
  CHECK_FALSE(has_file(batch, "b.one")); // the top file's patterns apply
  CHECK_FALSE(has_file(batch, "sub/c.one"));
  CHECK(has_file(batch, "sub/d.two")); // the deeper file's do not: scanned, not hidden
  bool named = false;
  for (const auto& d : batch.diagnostics)
    named |= d.subject == "sub/.gitignore" && d.message.find("not used") != std::string::npos;
  CHECK(named);
}

TEST_CASE("worktree: a directory deeper than PATH_MAX is named in a diagnostic, not lost",
          "[worktree]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "a");
  // 25 levels of 200-byte names (5,025 bytes), made relative to each level's descriptor.
  const std::string name(200, 'd');
  int fd = ::open(repo.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  for (int level = 0; level < 25; ++level) {
    REQUIRE(::mkdirat(fd, name.c_str(), 0755) == 0);
    int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    REQUIRE(next >= 0);
    fd = next;
  }
  int file = ::openat(fd, "deep.env", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ::close(fd);
  REQUIRE(file >= 0);
  ::close(file);
  ListingEnvironment env(repo);
  auto batch = own_batch(repo.path());
  bool named = false;
  for (const auto& d : batch.diagnostics)
    named |= d.subject.rfind(name + "/", 0) == 0 && d.message.find("not read") != std::string::npos;
  CHECK(named);
  // Remove the chain from the bottom up: std::filesystem cannot, the paths being too long.
  fd = ::open(repo.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::vector<int> fds{fd};
  for (int level = 0; level < 25; ++level)
    fds.push_back(::openat(fds.back(), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ::unlinkat(fds.back(), "deep.env", 0);
  for (int level = 25; level > 0; --level) {
    ::close(fds[level]);
    ::unlinkat(fds[level - 1], name.c_str(), AT_REMOVEDIR);
  }
  ::close(fds[0]);
}

TEST_CASE("worktree: a .gitignore that is a symbolic link is not followed (git >= 2.32)",
          "[worktree]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "a");
  repo.write("patterns", "*.log\n");
  repo.write("d/x.log", "x\n");
  fs::create_symlink("../patterns", repo / "d/.gitignore");
  ListingEnvironment env(repo);
  auto batch = own_batch(repo.path());
  CHECK(has_file(batch, "d/x.log"));
  CHECK(git_listing(repo, "").count("d/x.log") == 1); // git agrees
}

TEST_CASE("worktree: the scan root may be a subdirectory; parent .gitignore files apply",
          "[worktree]")
{
  TempRepo repo;
  repo.write(".gitignore", "*.log\nignored/\n");
  repo.write("sub/.gitignore", "!keep.log\n");
  repo.write("sub/deeper/a.log", "a\n");
  repo.write("sub/deeper/keep.log", "k\n");
  repo.write("sub/deeper/b.txt", "b\n");
  repo.write("ignored/tracked.txt", "t\n");
  repo.git({"add", "-f", "ignored/tracked.txt"});
  repo.commit("c");
  repo.write("ignored/untracked.txt", "u\n");
  ListingEnvironment env(repo);
  auto batch = own_batch(repo / "sub/deeper");
  std::vector<std::string> paths;
  for (const auto& f : batch.files)
    paths.push_back(f.provenance.path);
  CHECK(paths == std::vector<std::string>{"sub/deeper/b.txt", "sub/deeper/keep.log"});
  auto inside_ignored = own_batch(repo / "ignored");
  paths.clear();
  for (const auto& f : inside_ignored.files)
    paths.push_back(f.provenance.path);
  CHECK(paths == std::vector<std::string>{"ignored/tracked.txt"}); // tracked: listed anyway
}

TEST_CASE("worktree: what the own listing does not understand goes to libgit2", "[worktree]")
{
  TempRepo repo;
  repo.commit_file("a.txt", "a\n", "a");
  ListingEnvironment env(repo);
  std::string why;
  source::WorktreeOptions opts;
  opts.why_not_own = &why;
  auto own = source::enumerate_worktree(repo.path(), opts);
  CHECK(why.empty());
  write_file(repo.home() + "/extra.config", "[core]\n\texcludesFile = /nowhere\n");
  repo.git({"config", "include.path", repo.home() + "/extra.config"});
  auto fallback = source::enumerate_worktree(repo.path(), opts);
  CHECK(why.find("include") != std::string::npos);
  REQUIRE(fallback.files.size() == 1);
  CHECK(fallback.files[0].provenance.path == "a.txt");
  opts.lister = source::WorktreeOptions::Lister::own;
  CHECK_THROWS(source::enumerate_worktree(repo.path(), opts));
}

TEST_CASE("worktree: known ids only for files whose stat data matches a not racily clean entry",
          "[worktree]")
{
  TempRepo repo;
  repo.write("same.txt", "same content\n");
  repo.write("edited.txt", "original\n");
  repo.commit("c");
  ListingEnvironment env(repo);
  auto id_of = [&](const source::Batch& b, const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat((repo / path).c_str(), &st) == 0);
    return source::known_id_for(file(b, path), st);
  };
  // Make sure the index is newer than the files (not racily clean).
  struct timespec times[2] = {{0, UTIME_OMIT}, {0, 0}};
  ::clock_gettime(CLOCK_REALTIME, &times[1]);
  times[1].tv_sec += 5;
  REQUIRE(::utimensat(AT_FDCWD, (repo / ".git/index").c_str(), times, 0) == 0);
  auto batch = own_batch(repo.path());
  auto same = id_of(batch, "same.txt");
  REQUIRE(same);
  CHECK(*same == git::blob_hash("same content\n"));
  REQUIRE(id_of(batch, "edited.txt"));

  // Same size, mtime put back: the ctime still differs, so the content is hashed.
  struct stat before {};
  REQUIRE(::lstat((repo / "edited.txt").c_str(), &before) == 0);
  ::usleep(20000);
  write_file(repo / "edited.txt", "ORIGINAL\n");
  struct timespec back[2] = {{0, UTIME_OMIT}, before.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, (repo / "edited.txt").c_str(), back, 0) == 0);
  CHECK_FALSE(id_of(batch, "edited.txt"));

  // The index not newer than the file: racily clean, no index entry for the scanner to trust.
  struct timespec old[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, (repo / ".git/index").c_str(), old, 0) == 0);
  auto racy = own_batch(repo.path());
  CHECK_FALSE(file(racy, "same.txt").index_stat);
}

// Regression (harden8): a directory listed by the walk and swapped for a link to a directory
// outside the tree before the walk entered it was followed (the plain walk opened it by path),
// and a file below a swapped directory was read through the link (O_NOFOLLOW guards the last
// component only). The on_listed callback swaps it at the moment a racer could.
TEST_CASE("worktree: a directory swapped for a link during the walk is not followed",
          "[unit][worktree][hostile]")
{
  TempDir outside;
  write_file(outside / "secret.env", "outside\n");
  for (bool repo : {false, true}) {
    std::optional<TempRepo> r;
    TempDir plain;
    const std::string root = repo ? (r.emplace(), r->path()) : plain.path();
    write_file(root + "/top.txt", "top\n");
    write_file(root + "/d/inner.env", "inside\n");
    fs::create_directories(root + "/d/e");
    write_file(root + "/d/e/deep.env", "inside\n");
    if (r)
      r->commit("add");
    source::WorktreeOptions options;
    bool swapped = false;
    options.on_listed = [&](const std::string&, const std::string& path) {
      if (path != "top.txt" || swapped)
        return;
      swapped = true;
      fs::rename(root + "/d", root + "/d.moved");
      fs::create_directory_symlink(outside.path(), root + "/d");
    };
    auto batch = source::enumerate_worktree(root, options);
    INFO((repo ? "repository" : "plain directory"));
    CHECK(swapped);
    for (const auto& f : batch.files) {
      CHECK(f.provenance.path != "d/secret.env");
      std::string content;
      ReadFileOptions below;
      below.follow_final_link = false;
      Fd dir(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      below.dir_fd = dir.get();
      const std::string& rel = f.provenance.path;
      if (rel.rfind("d/", 0) == 0) // listed before the swap: reading it must not go outside
        CHECK_FALSE(read_regular_file(rel, 1 << 20, content, nullptr, below));
    }
    fs::remove(root + "/d");
    fs::rename(root + "/d.moved", root + "/d");
  }
}

TEST_CASE("read_regular_file below a directory follows no link in any component",
          "[unit][worktree][hostile]")
{
  TempDir root, outside;
  write_file(outside / "secret.env", "outside\n");
  fs::create_directory_symlink(outside.path(), root / "link");
  write_file(root / "real/file.env", "inside\n");
  Fd dir(::open(root.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  ReadFileOptions below;
  below.follow_final_link = false;
  below.dir_fd = dir.get();
  std::string content;
  CHECK(read_regular_file("real/file.env", 1 << 20, content, nullptr, below));
  CHECK(content == "inside\n");
  CHECK_FALSE(read_regular_file("link/secret.env", 1 << 20, content, nullptr, below));
}
