#include "source/release.hpp"

#include "archive/archive.hpp"
#include "core/error.hpp"
#include "core/read_file.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <poll.h>
#include <set>
#include <string_view>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zenolint::source {
namespace {

// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset()
  {
    if (fd >= 0)
      ::close(fd);
    fd = -1;
  }
};

struct GitOutput {
  std::string out, err;
  int status = -1;
};

// Environment variables that would make git read config or objects other than ours.
bool config_or_location_variable(std::string_view entry)
{
  for (std::string_view name :
       {"GIT_CONFIG", "GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE=", "GIT_OBJECT_DIRECTORY=",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES=", "GIT_COMMON_DIR=", "GIT_NAMESPACE=",
        "GIT_REPLACE_REF_BASE=", "GIT_NO_REPLACE_OBJECTS=", "GIT_ATTR_"})
    if (entry.rfind(name, 0) == 0)
      return true;
  return false;
}

// A scratch git directory for `git archive`: its config is ours (no filter drivers, no hooks,
// nothing git could run), its objects are the repository's through an alternate. The
// repository's config is a stranger's (a tarball with .git): `filter.<name>.smudge` or
// `.process` there, with `filter=<name>` in .gitattributes, would make `git archive` run that
// command. Removed with everything in it when it goes out of scope.
class ScratchGitDir {
public:
  ScratchGitDir(const std::string& objects, const std::string& info_attributes)
  {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/zenolint-release-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw Error("--release: cannot create a directory in " +
                  pattern.substr(0, pattern.rfind('/')) + ": " + std::strerror(errno));
    m_path = pattern + "/";
    for (const char* dir : {"refs", "objects", "objects/info", "info"})
      make_dir(m_path + dir);
    write(m_path + "HEAD", "ref: refs/heads/main\n");
    write(m_path + "config", "[core]\n\trepositoryformatversion = 0\n\tbare = true\n");
    write(m_path + "objects/info/alternates", objects + "\n");
    if (!info_attributes.empty())
      write(m_path + "info/attributes", info_attributes);
  }
  ScratchGitDir(const ScratchGitDir&) = delete;
  ScratchGitDir& operator=(const ScratchGitDir&) = delete;
  ~ScratchGitDir()
  {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  const std::string& path() const { return m_path; }

private:
  void make_dir(const std::string& dir)
  {
    if (::mkdir(dir.c_str(), 0700) != 0)
      throw Error("--release: cannot create " + dir + ": " + std::strerror(errno));
  }
  void write(const std::string& file, const std::string& text)
  {
    Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    std::size_t done = 0;
    while (fd.fd >= 0 && done < text.size()) {
      ssize_t n = ::write(fd.fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += static_cast<std::size_t>(n);
    }
    if (fd.fd < 0 || done != text.size())
      throw Error("--release: cannot write " + file + ": " + std::strerror(errno));
  }
  std::string m_path;
};

// Runs `git <args>` (no shell) and collects its output; stdout beyond `max_out` bytes kills it.
// git reads no system or global config and no GIT_CONFIG* or location variables: only the
// config of the git dir `args` name.
GitOutput run_git(const std::vector<std::string>& args, std::uint64_t max_out)
{
  std::vector<std::string> env_copy;
  for (char** e = environ; *e; ++e)
    if (!config_or_location_variable(*e))
      env_copy.emplace_back(*e);
  env_copy.emplace_back("GIT_CONFIG_NOSYSTEM=1");
  env_copy.emplace_back("GIT_CONFIG_GLOBAL=/dev/null");
  env_copy.emplace_back("GIT_ATTR_NOSYSTEM=1");
  env_copy.emplace_back("GIT_NO_REPLACE_OBJECTS=1");
  std::vector<char*> envp;
  for (auto& e : env_copy)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);
  std::vector<char*> argv;
  std::string git = "git";
  argv.push_back(git.data());
  std::vector<std::string> copies = args;
  for (auto& a : copies)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0)
    throw Error(std::string("cannot start git: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(out_w.fd, STDOUT_FILENO);
    ::dup2(err_w.fd, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      ::dup2(devnull, STDIN_FILENO);
    ::execvpe("git", argv.data(), envp.data());
    const char msg[] = "cannot run git\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  out_w.reset();
  err_w.reset();
  GitOutput result;
  bool too_much = false;
  std::vector<char> buf(1 << 16);
  pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0 && !too_much) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& into = i == 0 ? result.out : result.err;
      into.append(buf.data(), static_cast<std::size_t>(n));
      if (i == 0 && result.out.size() > max_out)
        too_much = true;
      if (i == 1 && result.err.size() > 65536)
        result.err.resize(65536);
    }
  }
  if (too_much)
    ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  if (too_much)
    throw Error("the release archive is larger than " + std::to_string(max_out) +
                " bytes (--max-archive-bytes)");
  return result;
}

constexpr std::uint64_t max_info_attributes = std::uint64_t{4} << 20;

// The common git dir (info/ is shared by all work trees), with a trailing '/'.
std::string common_dir_of(git_repository* repo)
{
  std::string dir = git_repository_commondir(repo);
  if (!dir.empty() && dir.back() != '/')
    dir += '/';
  return dir;
}

// Every path of `tree` that is not a directory or a submodule, '/'-separated.
std::set<std::string> tree_files(git_tree* tree)
{
  std::set<std::string> out;
  auto cb = [](const char* root, const git_tree_entry* entry, void* payload) -> int {
    auto type = git_tree_entry_type(entry);
    if (type == GIT_OBJECT_BLOB)
      static_cast<std::set<std::string>*>(payload)->insert(std::string(root) +
                                                           git_tree_entry_name(entry));
    return 0;
  };
  git::check(git_tree_walk(tree, GIT_TREEWALK_PRE, cb, &out), "walking the release tree");
  return out;
}

} // namespace

Release enumerate_release(const std::string& git_dir, const std::string& rev,
                          const ReleaseOptions& options)
{
  if (rev.empty() || rev[0] == '-')
    throw Error("--release: '" + rev + "' is not a revision");
  Release release;
  release.rev = rev;
  auto repo = git::open(git_dir);
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo.get(), rev.c_str()) < 0)
    throw Error("--release " + rev + ": " + git::last_error_message());
  git::Object obj(raw);
  git_object* peeled = nullptr;
  git::check(git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT), "--release " + rev);
  git::Commit commit(reinterpret_cast<git_commit*>(peeled));
  release.commit = git::commit_info(commit.get());
  git_tree* raw_tree = nullptr;
  git::check(git_commit_tree(&raw_tree, commit.get()), "--release " + rev);
  git::Tree tree(raw_tree);

  // The commit id, not `rev`: the same commit libgit2 resolved, and nothing git could read as an
  // option. git reads the objects through a git dir of our own (ScratchGitDir); the attributes
  // come from the archived tree and the repository's info/attributes, as they would.
  std::string info_attributes;
  ReadFileError attributes_error;
  if (!read_regular_file(common_dir_of(repo.get()) + "info/attributes", max_info_attributes,
                         info_attributes, &attributes_error) &&
      !attributes_error.missing)
    release.batch.diagnostics.push_back({Severity::warning,
                                         common_dir_of(repo.get()) + "info/attributes",
                                         attributes_error.message + ": not used for the release"});
  ScratchGitDir scratch(common_dir_of(repo.get()) + "objects", info_attributes);
  auto out = run_git({"--git-dir=" + scratch.path(), "archive", "--format=tar", release.commit.id},
                     options.max_archive_bytes);
  if (out.status != 0)
    throw Error("--release " + rev + ": git archive failed (exit " + std::to_string(out.status) +
                "): " + out.err);

  std::set<std::string> published;
  archive::Limits limits;
  limits.max_member_size = options.max_file_size;
  limits.max_ratio = UINT64_MAX; // a tar does not compress
  archive::Budget budget;
  budget.limit = options.max_archive_bytes;
  archive::Visitor visitor;
  visitor.on_entry = [&](const std::string& name, bool) { published.insert(name); };
  visitor.on_member = [&](const std::string& name, std::string_view content) {
    BufferRef ref;
    ref.data = std::make_shared<const std::string>(content);
    ref.provenance.kind = Provenance::Kind::release;
    ref.provenance.path = name;
    ref.provenance.commit = release.commit;
    release.batch.buffers.push_back(std::move(ref));
  };
  visitor.on_problem = [&](const std::string& member, const std::string& message) {
    // Links are ordinary in a release (and never followed); anything else is worth a word.
    if (message.find("link to") != std::string::npos)
      return;
    release.batch.diagnostics.push_back(
        {Severity::warning, member.empty() ? "release " + rev : member, message});
  };
  auto counts = archive::read(out.out, "release.tar", limits, budget, visitor);
  release.batch.stats.files = published.size();
  release.batch.stats.skipped_too_large = counts.too_large;
  release.batch.stats.skipped_symlink = counts.symlinks;
  release.batch.stats.skipped_other = counts.skipped;
  release.batch.stats.commits = 1;
  release.published.assign(published.begin(), published.end());
  for (const auto& path : tree_files(tree.get()))
    if (!published.count(path))
      release.excluded.push_back(path);
  return release;
}

} // namespace zenolint::source
