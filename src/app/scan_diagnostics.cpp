// Diagnostics that share a cause, grouped: a partial clone (`git clone --filter=blob:none`) lacks
// every blob of history that was never checked out, and one line per object would bury the
// report. Without --verbose they become one line naming the first few paths; with it each stays.
#include "app/scan_stages.hpp"
#include "git/git.hpp"

#include <algorithm>
#include <filesystem>

namespace zenolint::app {
namespace {

// How many paths a grouped diagnostic names before "and N more".
constexpr std::size_t named_paths = 5;
// Missing objects outside a partial clone are listed one by one up to this many.
constexpr std::size_t ungrouped_missing = 10;

std::string names_of(const std::vector<Diagnostic>& group)
{
  std::string out;
  for (std::size_t i = 0; i < group.size() && i < named_paths; ++i)
    out += (i ? ", " : "") + group[i].subject;
  if (group.size() > named_paths)
    out += " and " + std::to_string(group.size() - named_paths) + " more";
  return out;
}

} // namespace

bool is_partial_clone(const std::string& git_dir)
{
  namespace fs = std::filesystem;
  // git marks every pack fetched from a promisor remote with a .promisor file.
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(git_dir) / "objects" / "pack", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".promisor")
      return true;
  // Older git records the promisor remote as extensions.partialClone, newer git (also) as
  // remote.<name>.promisor.
  auto repo = git::discover(git_dir);
  if (!repo)
    return false;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo->get()) < 0)
    return false;
  git::Config config(raw);
  git_buf buf{};
  if (git_config_get_string_buf(&buf, config.get(), "extensions.partialclone") == 0) {
    git_buf_dispose(&buf);
    return true;
  }
  bool promisor = false;
  git_config_foreach_match(
      config.get(), "^remote\\..*\\.promisor$",
      [](const git_config_entry* e, void* out) {
        int value = 0;
        if (git_config_parse_bool(&value, e->value) == 0 && value)
          *static_cast<bool*>(out) = true;
        return 0;
      },
      &promisor);
  return promisor;
}

void group_diagnostics(const source::RootInfo& root, bool verbose, std::vector<Diagnostic>& diags)
{
  std::vector<Diagnostic> missing, rest;
  for (auto& d : diags)
    (d.cause == DiagnosticCause::missing_object ? missing : rest).push_back(std::move(d));
  if (missing.empty()) {
    diags = std::move(rest);
    return;
  }
  const bool partial = root.in_repo && is_partial_clone(root.git_dir);
  if (verbose || missing.size() == 1 || (!partial && missing.size() <= ungrouped_missing)) {
    for (auto& d : missing) {
      if (partial)
        d.message += " (not in this partial clone: never fetched from its promisor remote)";
      rest.push_back(std::move(d));
    }
  } else {
    Diagnostic group;
    group.severity = Severity::warning;
    for (const auto& d : missing) // a missing tree or commit is an error: the scan is incomplete
      group.severity = std::max(group.severity, d.severity);
    group.subject = root.display_root.empty() ? std::string(".") : root.display_root;
    group.cause = DiagnosticCause::missing_object;
    std::string n = std::to_string(missing.size());
    group.message =
        partial ? n +
                      " objects are not in this partial clone (promisor pack); not fetched, so not "
                      "scanned (a full clone has them): see --verbose. Expected at " +
                      names_of(missing)
                : n +
                      " objects are missing from the object database (a damaged repository?); "
                      "not scanned: see --verbose. Expected at " +
                      names_of(missing);
    rest.push_back(std::move(group));
  }
  diags = std::move(rest);
}

} // namespace zenolint::app
