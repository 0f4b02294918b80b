#include "app/scan_stages.hpp"
#include "core/error.hpp"

namespace zenolint::app {

source::Batch collect_sources(const ScanCommand& cmd, const source::RootInfo& root,
                              std::string& scan_kind)
{
  (void)root;
  if (cmd.history_only || cmd.staged || !cmd.range.empty() || cmd.all_objects)
    throw Error("--history-only, --staged, --range and --all-objects are not available yet");
  source::WorktreeOptions wopts;
  wopts.max_file_size = cmd.max_file_size;
  scan_kind = "worktree";
  return source::enumerate_worktree(cmd.path, wopts);
}

} // namespace zenolint::app
