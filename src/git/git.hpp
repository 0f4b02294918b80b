#pragma once
// RAII over libgit2. Every handle is owned from the line that creates it; every return code goes
// through check(), which reads git_error_last() at once and throws zenolint::Error.
#include "core/digest.hpp"
#include "core/handle.hpp"
#include "core/types.hpp"

#include <git2.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace zenolint::git {

using zenolint::Handle; // core/handle.hpp

using Repository = Handle<git_repository, git_repository_free>;
using Object = Handle<git_object, git_object_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Tree = Handle<git_tree, git_tree_free>;
using TreeEntry = Handle<git_tree_entry, git_tree_entry_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tag = Handle<git_tag, git_tag_free>;
using Index = Handle<git_index, git_index_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Revwalk = Handle<git_revwalk, git_revwalk_free>;
using StatusList = Handle<git_status_list, git_status_list_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Reference = Handle<git_reference, git_reference_free>;
using ReferenceIterator = Handle<git_reference_iterator, git_reference_iterator_free>;
using Config = Handle<git_config, git_config_free>;

// Keeps libgit2 initialised for the lifetime of the process (first call initialises, and applies
// the settings apply_process_settings asked for). Every function here that opens a repository
// calls it; code calling libgit2 otherwise must call it first.
void ensure_initialised();

// Whether libgit2 has been initialised in this process (for tests and ZENOLINT_PHASES: the
// pre-commit path must not need it).
bool initialised();

// Whether libgit2 is mapped into this process: the zenolint executable opens it on first use
// (src/git/libgit2_loader.cpp, ZENOLINT_LAZY_LIBGIT2); tests and fuzzers link it.
bool loaded();

// The process-wide libgit2 settings of a zenolint run: no hash re-verification on read, bounded
// pack mapping, no object cache for commits and trees (the history walk reads each once). Called
// once by the CLI at start-up (cli::run), before any thread starts; applied when libgit2 is first
// initialised (ensure_initialised), so a run that never needs libgit2 never initialises it.
// Library code never changes process-wide state. Without it (tests calling the library
// in-process) libgit2's defaults apply: same results, more memory.
void apply_process_settings();

// Throws Error("<what>: <libgit2 message>") when rc < 0. GIT_ITEROVER is not an error: returns
// false.
bool check(int rc, std::string_view what);

// The libgit2 message of the last failed call, or a generic text.
std::string last_error_message();

// git's blob id of `data` ("blob <len>\0<data>" hashed with SHA-1).
BlobId blob_hash(std::string_view data);

// git's blob id of content of `size` bytes given in pieces (a file read in blocks): update() with
// exactly `size` bytes in all, then finish() once. Same id as blob_hash() of the whole.
class BlobHasher {
public:
  explicit BlobHasher(std::uint64_t size);
  void update(std::string_view data) { m_sha.update(data); }
  BlobId finish();

private:
  Sha1 m_sha;
};

BlobId to_blob_id(const git_oid& oid);
git_oid to_oid(const BlobId& id);

// Opens the repository containing `path` (searching upwards, `.git` files included). Reads no
// environment variable: callers that honour GIT_DIR and friends pass them explicitly (libgit2's
// GIT_REPOSITORY_OPEN_FROM_ENV fails on GIT_WORK_TREE in 1.5: "unimplemented"). Returns nullopt
// when `path` is not inside a repository.
std::optional<Repository> discover(const std::string& path);

// Opens the repository at exactly `git_dir_or_workdir` (no upward search). Throws on failure.
// Opened by its git dir, libgit2 takes core.worktree or else the git dir's parent as the work
// tree: wrong for `git clone --separate-git-dir` and GIT_WORK_TREE. Whoever needs the work tree
// passes the one discovery found as `workdir` (ignored when empty; a bare repository given a
// work tree is no longer bare, as with GIT_WORK_TREE).
Repository open(const std::string& path, const std::string& workdir = {});

// Id, author, email, date (ISO 8601 with the author's offset) and summary of `commit`; names and
// summary decoded from the commit's `encoding` header to valid UTF-8 (to_utf8).
CommitInfo commit_info(git_commit* commit);

} // namespace zenolint::git
