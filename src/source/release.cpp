#include "source/release.hpp"

#include "archive/archive.hpp"
#include "core/error.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <set>
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

// Runs `git <args>` (no shell) and collects its output; stdout beyond `max_out` bytes kills it.
GitOutput run_git(const std::vector<std::string>& args, std::uint64_t max_out)
{
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
    ::execvp("git", argv.data());
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
  // option.
  auto out = run_git({"--git-dir=" + git_dir, "archive", "--format=tar", release.commit.id},
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
