#include "git/git.hpp"

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/pack_index_check.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "git/loose_object.hpp"

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <link.h>
#include <mutex>
#include <sys/stat.h>
#include <vector>

namespace zenolint::git {

namespace {

std::atomic<bool> g_initialised{false};
bool g_process_settings = false; // set once at start-up, before any thread starts

void apply_settings_now()
{
  // We never write objects; skip re-hashing objects on read (speed), keep strict object creation
  // off.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // Bound the pack files mapped into memory at once (libgit2's 64-bit defaults: 1 GiB windows,
  // 8 GiB in all), so peak RSS does not grow with the size of the repository's packs: touched
  // mapped pages count as RSS. The history walk reads commits spread over the whole pack and the
  // scanner reads objects in pack order, once each: small windows and a low mapped limit let
  // libgit2 unmap what is behind (git/git, a 496 MiB pack: peak RSS 662 -> 496 MiB).
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::size_t{32} << 20);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, std::size_t{128} << 20);
  // The history walk reads every commit and tree exactly once (seen sets), so libgit2's object
  // cache would only hold dead copies: on large histories that was hundreds of MiB of peak RSS.
  // Nothing else reads a commit or tree twice through libgit2 often enough to need the cache.
  git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, std::size_t{0});
  git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, std::size_t{0});
}

} // namespace

void ensure_initialised()
{
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    if (g_process_settings)
      apply_settings_now();
    g_initialised = true;
  });
}

bool initialised()
{
  return g_initialised;
}

bool loaded()
{
  bool found = false;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        if (info->dlpi_name && std::strstr(info->dlpi_name, "libgit2"))
          *static_cast<bool*>(data) = true;
        return 0;
      },
      &found);
  return found;
}

void apply_process_settings()
{
  // Initialising libgit2 costs about a millisecond and a half (it loads the TLS library's
  // certificates): the pre-commit path (`scan --staged`) usually never needs it. The settings
  // are applied when something first initialises it.
  g_process_settings = true;
  if (g_initialised)
    apply_settings_now();
}

std::string last_error_message()
{
  const git_error* e = git_error_last();
  if (e && e->message)
    return e->message;
  return "unknown libgit2 error";
}

bool check(int rc, std::string_view what)
{
  if (rc == GIT_ITEROVER)
    return false;
  if (rc < 0)
    throw Error(std::string(what) + ": " + last_error_message());
  return true;
}

BlobId to_blob_id(const git_oid& oid)
{
  BlobId id;
  std::copy(std::begin(oid.id), std::begin(oid.id) + 20, id.bytes.begin());
  return id;
}

git_oid to_oid(const BlobId& id)
{
  git_oid oid;
  std::copy(id.bytes.begin(), id.bytes.end(), std::begin(oid.id));
  return oid;
}

BlobHasher::BlobHasher(std::uint64_t size)
{
  // git's object id: SHA-1 of "blob <size>\0" followed by the bytes. OpenSSL's SHA-1 rather than
  // libgit2's git_odb_hash (SHA1DC, deprecated upstream): same ids, about twice the speed
  // (bench/hash/run.sh).
  std::string header = "blob " + std::to_string(size);
  m_sha.update(std::string_view(header.data(), header.size() + 1)); // with the NUL
}

BlobId BlobHasher::finish()
{
  BlobId id;
  id.bytes = m_sha.finish();
  return id;
}

BlobId blob_hash(std::string_view data)
{
  BlobHasher h(data.size());
  h.update(data);
  return h.finish();
}

namespace {

// libgit2 1.5 crashes on a pack index whose fan-out claims more objects than the file holds (it
// computes the expected size in 32 bits). When the repository has an index that
// read_pack_index refuses (or a .pack that is not a regular file: libgit2 would block on a FIFO),
// its object database is rebuilt from the loose objects, the packs whose
// indexes pass, and the alternates, so libgit2 never opens the bad one. The history source names
// the skipped index (PackPositions::rejected).
void leave_out_bad_packs(git_repository* repo)
{
  namespace fs = std::filesystem;
  const std::string objects = std::string(git_repository_commondir(repo)) + "objects";
  std::vector<std::string> good;
  bool bad = false;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(objects) / "pack", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() != ".idx")
      continue;
    std::string pack = it->path().string();
    pack.replace(pack.size() - 4, 4, ".pack");
    struct stat st {};
    bool special_pack = ::stat(pack.c_str(), &st) == 0 && !S_ISREG(st.st_mode); // a FIFO blocks
    if (!special_pack && read_pack_index(it->path().string(), nullptr, nullptr))
      good.push_back(it->path().string());
    else
      bad = true;
  }
  if (!bad)
    return;
  git_odb* raw = nullptr;
  check(git_odb_new(&raw), "creating an object database");
  Odb odb(raw);
  git_odb_backend* backend = nullptr;
  check(git_odb_backend_loose(&backend, objects.c_str(), -1, 0, 0, 0), "opening " + objects);
  if (git_odb_add_backend(odb.get(), backend, 2) < 0) {
    backend->free(backend);
    check(-1, "opening " + objects);
  }
  for (const auto& idx : good) {
    backend = nullptr;
    if (git_odb_backend_one_pack(&backend, idx.c_str()) < 0)
      continue;
    if (git_odb_add_backend(odb.get(), backend, 1) < 0)
      backend->free(backend);
  }
  std::string alternates;
  if (read_regular_file(objects + "/info/alternates", 1 << 20, alternates)) {
    std::size_t pos = 0;
    while (pos < alternates.size()) {
      std::size_t nl = alternates.find('\n', pos);
      std::string line = alternates.substr(pos, nl == std::string::npos ? nl : nl - pos);
      pos = nl == std::string::npos ? alternates.size() : nl + 1;
      if (line.empty() || line[0] == '#')
        continue;
      std::string dir = line[0] == '/' ? line : objects + "/" + line;
      git_odb_add_disk_alternate(odb.get(),
                                 dir.c_str()); // a bad alternate: its objects are missing
    }
  }
  check(git_repository_set_odb(repo, odb.get()), "opening the object database of " + objects);
}

// Every loose object libgit2 reads is checked first (git/loose_object.hpp): libgit2 1.5 loops
// forever on a truncated one. A database that does not open is left for its first user to report.
void check_loose_objects(git_repository* repo)
{
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) < 0) {
    git_error_clear();
    return;
  }
  Odb odb(raw);
  add_checked_loose_backend(odb.get(), std::string(git_repository_commondir(repo)) + "objects");
}

// The config files of a repository that libgit2 reads while opening it are the repository's:
// a stranger's, in a tarball with .git. libgit2 1.5 opens an included file without O_NONBLOCK
// (an include naming a FIFO blocks the scan for ever) and takes about 50 bytes of memory and
// 1.5 us per byte of config (a 30 MB config: 1.6 GB, 48 s per open). So before libgit2 opens a
// repository, its config, config.worktree and every file they include (include.path and
// includeIf.*.path, whatever the condition, up to libgit2's depth of 10) must be missing or
// regular files of max_config_bytes in all.
constexpr std::uint64_t max_config_bytes = std::uint64_t{4} << 20;
constexpr int max_config_include_depth = 10;

// The values of `path` keys in include and includeIf sections of config `text`, with git's
// quoting, escapes, comments and line continuations.
std::vector<std::string> config_include_paths(std::string_view text)
{
  std::vector<std::string> out;
  bool in_include = false;
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
      ++i;
  };
  auto skip_line = [&] {
    while (i < text.size() && text[i] != '\n')
      ++i;
  };
  while (i < text.size()) {
    skip_blanks();
    if (i >= text.size())
      break;
    if (text[i] == '\n') {
      ++i;
      continue;
    }
    if (text[i] == '[') {
      std::size_t close = text.find_first_of("]\n", i);
      if (close == std::string_view::npos || text[close] != ']') {
        skip_line();
        continue;
      }
      std::string name;
      for (std::size_t k = i + 1; k < close && text[k] != ' ' && text[k] != '\t' && text[k] != '"';
           ++k)
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
      in_include = name.rfind("include", 0) == 0; // include, includeif, [include.x]
      i = close + 1;
      continue; // a key may follow on the same line
    }
    if (text[i] == '#' || text[i] == ';') {
      skip_line();
      continue;
    }
    std::string key;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-'))
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
    skip_blanks();
    if (!in_include || key != "path" || i >= text.size() || text[i] != '=') {
      // Skip the rest of this entry, continuation lines and quoted newlines included.
      bool quoted = false;
      while (i < text.size() && (text[i] != '\n' || quoted)) {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i;
        else if (text[i] == '"')
          quoted = !quoted;
        ++i;
      }
      continue;
    }
    ++i; // '='
    skip_blanks();
    std::string value;
    std::size_t kept = 0; // value.size() without trailing unquoted blanks
    bool quoted = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n' && !quoted)
        break;
      if (!quoted && (c == ';' || c == '#')) {
        skip_line();
        break;
      }
      if (c == '"') {
        quoted = !quoted;
        kept = value.size();
        continue;
      }
      if (c == '\\' && i + 1 < text.size()) {
        char e = text[++i];
        if (e == '\n')
          continue; // continuation line
        value += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'b' ? '\b' : e;
        kept = value.size();
        continue;
      }
      value += c;
      if (quoted || (c != ' ' && c != '\t' && c != '\r'))
        kept = value.size();
    }
    value.resize(kept);
    if (!value.empty())
      out.push_back(std::move(value));
  }
  return out;
}

// Throws Error naming the file when config file `path` (a missing one is fine) or a file it
// includes is not a regular file, or the files are over `budget` bytes in all.
void check_config_file(const std::string& path, int depth, std::uint64_t& budget)
{
  std::string text;
  ReadFileError err;
  if (!read_regular_file(path, budget, text, &err)) {
    if (err.missing)
      return;
    if (err.too_large)
      throw Error("config file " + path + ": the repository's config files are larger than " +
                  std::to_string(max_config_bytes) + " bytes in all");
    throw Error("config file " + path + ": " + err.message);
  }
  budget -= text.size();
  if (depth >= max_config_include_depth)
    return; // libgit2 refuses deeper includes itself
  const std::string dir = path.substr(0, path.rfind('/') + 1);
  for (const auto& include : config_include_paths(text)) {
    std::string target;
    if (include.rfind("~/", 0) == 0) {
      const char* home = std::getenv("HOME");
      if (!home || !*home)
        continue;
      target = std::string(home) + include.substr(1);
    } else if (include[0] == '/') {
      target = include;
    } else {
      target = dir + include;
    }
    check_config_file(target, depth + 1, budget);
  }
}

// Throws Error when `path` exists and is not a regular file (after links).
void check_not_special(const std::string& path)
{
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw Error(path + ": not a regular file");
}

// Checks the config files and the other files libgit2 opens without O_NONBLOCK of the
// repository around `path` (git_repository_discover, which reads no config: the one libgit2
// then opens for `path`). Throws Error naming the file.
void check_repository_files(const std::string& path)
{
  git_buf buf = GIT_BUF_INIT;
  int rc = git_repository_discover(&buf, path.c_str(), 0, nullptr);
  std::string git_dir = rc == 0 && buf.ptr ? buf.ptr : "";
  git_buf_dispose(&buf);
  git_error_clear();
  if (git_dir.empty())
    return; // not a repository: opening it says so
  if (git_dir.back() != '/')
    git_dir += '/';
  std::string common = git_dir;
  std::string text;
  if (read_regular_file(git_dir + "commondir", 4096, text)) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    if (!text.empty())
      common = (text[0] == '/' ? text : git_dir + text) + "/";
  }
  std::uint64_t budget = max_config_bytes;
  check_config_file(common + "config", 0, budget);
  check_config_file(git_dir + "config.worktree", 0, budget);

  // Files libgit2 1.5 opens without O_NONBLOCK while it reads the repository: a FIFO planted
  // there blocked every scan (objects/info/alternates, multi-pack-index, commit-graph), a
  // device is no better. Missing ones are fine. The same for each alternate, as libgit2 follows
  // them (5 levels).
  // (HEAD, shallow, grafts and commondir are checked or read without blocking elsewhere.)
  check_not_special(git_dir + "index");
  check_not_special(common + "packed-refs");
  std::vector<std::pair<std::string, int>> objects{{common + "objects", 0}};
  for (std::size_t next = 0; next < objects.size() && next < 64; ++next) {
    const auto [dir, depth] = objects[next];
    for (const char* rel : {"/info/alternates", "/info/commit-graph",
                            "/info/commit-graphs/commit-graph-chain", "/pack/multi-pack-index"})
      check_not_special(dir + rel);
    std::string alternates;
    if (depth >= 5 || !read_regular_file(dir + "/info/alternates", 1 << 20, alternates))
      continue;
    for (const auto& entry : alternates_entries(alternates))
      if (entry[0] != '"')
        objects.emplace_back(alternate_dir(dir, entry), depth + 1);
  }
}

} // namespace

std::optional<Repository> discover(const std::string& path)
{
  ensure_initialised();
  try {
    check_repository_files(path);
  } catch (const Error& e) {
    throw Error("opening repository at " + path + ": " + e.what());
  }
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  Repository repo(raw);
  if (rc == GIT_ENOTFOUND)
    return std::nullopt;
  check(rc, "opening repository at " + path);
  leave_out_bad_packs(repo.get());
  check_loose_objects(repo.get());
  return repo;
}

Repository open(const std::string& path, const std::string& workdir)
{
  ensure_initialised();
  try {
    check_repository_files(path);
  } catch (const Error& e) {
    throw Error("opening repository at " + path + ": " + e.what());
  }
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  Repository repo(raw);
  check(rc, "opening repository at " + path);
  if (!workdir.empty()) {
    const char* current = git_repository_workdir(repo.get());
    if (!current || workdir != current)
      check(git_repository_set_workdir(repo.get(), workdir.c_str(), 0),
            "setting the work tree of " + path + " to " + workdir);
  }
  leave_out_bad_packs(repo.get());
  check_loose_objects(repo.get());
  return repo;
}

CommitInfo commit_info(git_commit* commit)
{
  CommitInfo ci;
  ci.id = to_blob_id(*git_commit_id(commit)).hex();
  // Names and message are in the commit's `encoding` (git's i18n.commitEncoding), UTF-8 when
  // there is none; reports need valid UTF-8 either way.
  const char* raw_encoding = git_commit_message_encoding(commit);
  std::string_view encoding = raw_encoding ? raw_encoding : "";
  if (const git_signature* a = git_commit_author(commit)) {
    ci.author = to_utf8(a->name ? a->name : "", encoding);
    ci.email = to_utf8(a->email ? a->email : "", encoding);
    const git_time& when = a->when;
    std::time_t t = static_cast<std::time_t>(when.time + std::int64_t{when.offset} * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    int off = when.offset < 0 ? -when.offset : when.offset;
    char tz[16];
    std::snprintf(tz, sizeof tz, "%c%02d:%02d", when.offset < 0 ? '-' : '+', off / 60, off % 60);
    ci.date = std::string(buf) + tz;
  }
  const char* summary = git_commit_summary(commit);
  ci.summary = to_utf8(summary ? summary : "", encoding);
  return ci;
}

} // namespace zenolint::git
