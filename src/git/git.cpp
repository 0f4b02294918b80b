#include "git/git.hpp"

#include "core/error.hpp"
#include "core/sha1.hpp"

#include <cstdio>
#include <ctime>
#include <mutex>

namespace zenolint::git {

void ensure_initialised()
{
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // We never write objects; skip re-hashing objects on read (speed), keep strict object creation
    // off.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // Bound the pack files mapped into memory at once (libgit2's 64-bit defaults: 1 GiB windows,
    // 8 GiB in all), so peak RSS does not grow with the size of the repository's packs: touched
    // mapped pages count as RSS (measured: a 169 MB pack added ~135 MB of peak RSS uncapped).
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::size_t{32} << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, std::size_t{256} << 20);
  });
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

BlobId blob_hash(std::string_view data)
{
  // git's object id: SHA-1 of "blob <size>\0" followed by the bytes. Plain SHA-1 rather than
  // libgit2's git_odb_hash (SHA1DC, deprecated upstream): same ids, about twice the speed.
  Sha1 h;
  std::string header = "blob " + std::to_string(data.size());
  h.update(std::string_view(header.data(), header.size() + 1)); // with the NUL
  h.update(data);
  BlobId id;
  id.bytes = h.finish();
  return id;
}

std::optional<Repository> discover(const std::string& path, bool from_env)
{
  ensure_initialised();
  git_repository* raw = nullptr;
  unsigned flags = from_env ? GIT_REPOSITORY_OPEN_FROM_ENV : 0;
  int rc = git_repository_open_ext(&raw, path.c_str(), flags, nullptr);
  Repository repo(raw);
  if (rc == GIT_ENOTFOUND)
    return std::nullopt;
  check(rc, "opening repository at " + path);
  return repo;
}

Repository open(const std::string& path, const std::string& workdir)
{
  ensure_initialised();
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
  return repo;
}

CommitInfo commit_info(git_commit* commit)
{
  CommitInfo ci;
  ci.id = to_blob_id(*git_commit_id(commit)).hex();
  if (const git_signature* a = git_commit_author(commit)) {
    ci.author = a->name ? a->name : "";
    ci.email = a->email ? a->email : "";
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
  ci.summary = summary ? summary : "";
  return ci;
}

} // namespace zenolint::git
