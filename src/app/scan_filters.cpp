// Suppression by baseline (--baseline) and ignore file (.zenolintignore or --ignore-file).
#include "app/baseline.hpp"
#include "app/ignore.hpp"
#include "app/scan_stages.hpp"
#include "core/error.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <optional>

namespace zenolint::app {
namespace {

// The ignore file that applies, or nullopt: --ignore-file (which must exist), else
// .zenolintignore at the repository root, else at the scanned directory outside a repository.
std::optional<IgnoreFile> load_ignore(const ScanCommand& cmd, const source::RootInfo& root,
                                      std::vector<Diagnostic>& diagnostics)
{
  if (!cmd.ignore_file.empty())
    return IgnoreFile::load(cmd.ignore_file, diagnostics);
  std::string dir;
  if (root.in_repo && !root.bare)
    dir = root.workdir;
  else if (!root.in_repo && is_dir(cmd.path))
    dir = cmd.path + "/";
  if (dir.empty() || !is_regular(dir + ".zenolintignore"))
    return std::nullopt;
  return IgnoreFile::load(dir + ".zenolintignore", diagnostics);
}

} // namespace

void filter_sources(const ScanCommand& cmd, const source::RootInfo& root, source::Batch& batch)
{
  auto ignore = load_ignore(cmd, root, batch.diagnostics);
  if (!ignore || ignore->glob_count() == 0)
    return;
  auto skipped = [&](const auto& ref) {
    if (!ignore->ignores_path(ref.provenance.path))
      return false;
    ++batch.stats.skipped_other;
    return true;
  };
  batch.files.erase(std::remove_if(batch.files.begin(), batch.files.end(), skipped),
                    batch.files.end());
  batch.objects.erase(std::remove_if(batch.objects.begin(), batch.objects.end(), skipped),
                      batch.objects.end());
}

void apply_filters(const ScanCommand& cmd, const source::RootInfo& root, report::Report& rep)
{
  std::vector<Diagnostic> repeated; // already reported by filter_sources
  auto ignore = load_ignore(cmd, root, repeated);
  std::optional<Baseline> baseline;
  if (!cmd.baseline.empty())
    baseline = Baseline::load(cmd.baseline, rep.diagnostics);
  if (!ignore && !baseline)
    return;
  auto& stats = rep.stats;
  rep.findings.erase(std::remove_if(rep.findings.begin(), rep.findings.end(),
                                    [&](const Finding& f) {
                                      // Findings of checks that read files themselves, too.
                                      if (ignore && (ignore->ignores_fingerprint(f.fingerprint) ||
                                                     ignore->ignores_path(f.path))) {
                                        ++stats.suppressed_ignore;
                                        return true;
                                      }
                                      if (baseline && baseline->contains(f)) {
                                        ++stats.suppressed_baseline;
                                        return true;
                                      }
                                      return false;
                                    }),
                     rep.findings.end());
}

} // namespace zenolint::app
