// Exposure of each leaked secret (source/exposure.hpp), attached to every finding of that secret.
// Findings are grouped by the secret's value, not by rule: the same token matched by two rules, or
// in two files, is one thing to revoke.
#include "app/scan_stages.hpp"
#include "source/exposure.hpp"

#include <map>

namespace zenolint::app {

void attach_exposure(const source::RootInfo& root, const source::Batch& batch, report::Report& rep)
{
  if (!batch.graph)
    return;
  std::map<std::string, std::size_t> index_of; // secret -> sighting
  std::vector<source::SecretSighting> sightings;
  std::vector<std::size_t> sighting_of(rep.findings.size(), SIZE_MAX);
  for (std::size_t i = 0; i < rep.findings.size(); ++i) {
    const Finding& f = rep.findings[i];
    if (f.secret.empty())
      continue;
    auto [it, fresh] = index_of.try_emplace(f.secret, sightings.size());
    if (fresh) {
      sightings.emplace_back();
      sightings.back().only_unreachable = true;
    }
    auto& s = sightings[it->second];
    if (!f.blob.is_zero())
      s.blobs.push_back(f.blob);
    if (f.provenance.kind == Provenance::Kind::worktree ||
        f.provenance.kind == Provenance::Kind::staged)
      s.in_worktree = true;
    if (!f.provenance.unreachable)
      s.only_unreachable = false;
    sighting_of[i] = it->second;
  }
  if (sightings.empty())
    return;
  auto exposures = source::compute_exposure(root.git_dir, *batch.graph, sightings, rep.diagnostics);
  for (std::size_t i = 0; i < rep.findings.size(); ++i)
    if (sighting_of[i] != SIZE_MAX)
      rep.findings[i].exposure = exposures[sighting_of[i]];
}

} // namespace zenolint::app
