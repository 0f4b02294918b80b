#include "report/remediation.hpp"

#include "core/text.hpp"

namespace zenolint::report {

SecretFacts facts_of(const std::vector<const Finding*>& findings)
{
  SecretFacts facts;
  for (const Finding* f : findings) {
    if (facts.instance == Instance::unknown)
      facts.instance = f->instance;
    if (!facts.exposure)
      facts.exposure = f->exposure;
    if (!facts.verified)
      facts.verified = f->verified;
    facts.committed = facts.committed || f->provenance.commit || f->introduced_by ||
                      f->provenance.kind == Provenance::Kind::history ||
                      f->provenance.kind == Provenance::Kind::object;
  }
  return facts;
}

std::string numbered_steps(const SecretFacts& facts)
{
  std::string out;
  auto steps = remediation_steps(facts);
  for (std::size_t i = 0; i < steps.size(); ++i)
    out += (i ? "\n" : "") + std::to_string(i + 1) + ". " + steps[i];
  return out;
}

std::string revoke_url(Instance instance)
{
  return instance == Instance::sandbox ? "https://sandbox.zenodo.org/account/settings/applications/"
                                       : "https://zenodo.org/account/settings/applications/";
}

std::vector<std::string> remediation_steps(const SecretFacts& facts)
{
  std::vector<std::string> steps;
  const Exposure* e = facts.exposure ? &*facts.exposure : nullptr;
  bool revoked = facts.verified == Liveness::inactive;
  bool pushed = e && !e->remotes.empty();
  bool tagged = e && !e->tags.empty();
  const std::string rewrite_tool = "`zenolint remediate --replacements FILE` writes the file for "
                                   "`git filter-repo --replace-text FILE`";

  if (revoked) {
    steps.push_back("revoked: still purge it from history where it was pushed. The API refused "
                    "this token (revoked or never valid), so it no longer grants access.");
  } else {
    bool unknown = facts.instance == Instance::unknown;
    std::string where =
        unknown ? revoke_url(Instance::production) +
                      " (if it is not listed there: " + revoke_url(Instance::sandbox) + ")"
                : revoke_url(facts.instance);
    std::string create = unknown ? "on the instance it belongs to (" +
                                       revoke_url(Instance::production) + " or " +
                                       revoke_url(Instance::sandbox) + ")"
                                 : "at " + where;
    steps.push_back("Create a new token " + create +
                    " with only the scopes you need (usually deposit:write and deposit:actions).");
    steps.push_back("Update every place that reads the token, e.g. `gh secret set ZENODO_TOKEN` "
                    "for GitHub Actions, or ~/.zenodorc at mode 600 (`chmod 600 ~/.zenodorc`); "
                    "read it from there or from the environment, never from the repository.");
    steps.push_back("Revoke the old token at " + where +
                    ". Revoking is what protects you: removing the line does not.");
  }
  if (e && e->in_head)
    steps.push_back("Remove it from the files that still hold it (listed above) and commit.");

  if (!facts.committed) {
    steps.push_back("It was never committed: no history to rewrite. Keep the file out of git "
                    "(.gitignore) so it is not committed later.");
  } else if (e && e->stash_only) {
    steps.push_back("It is only in the stash: drop that stash entry (`git stash list`, `git stash "
                    "drop stash@{N}`), then `git reflog expire --expire-unreachable=now --all && "
                    "git gc --prune=now`. No other history holds it.");
  } else if (e && e->unreachable_only) {
    steps.push_back("It is only in unreachable objects (no branch or tag reaches it): `git reflog "
                    "expire --expire-unreachable=now --all && git gc --prune=now` deletes them "
                    "locally. A server that received them keeps its own copy until it collects "
                    "garbage.");
  } else if (pushed) {
    steps.push_back("It was pushed (" + join_list(e->remotes) +
                    "): rewrite history to remove it. " + rewrite_tool +
                    "; then force-push "
                    "every branch and tag and ask collaborators to re-clone. Forks and existing "
                    "clones keep the old commits, which is why revoking comes first.");
  } else if (revoked && !tagged) {
    steps.push_back("History rewrite not needed: the token is revoked and was never pushed (no "
                    "remote-tracking ref holds it). You may still purge it with `zenolint "
                    "remediate` before you push.");
  } else {
    steps.push_back(
        std::string(e ? "No remote-tracking ref holds it yet" : "It is in git history") +
        ": rewrite history before you push (recommended). " + rewrite_tool +
        "; check every clone and "
        "remote you push to.");
  }

  if (e && !e->zenodo_archived_releases.empty()) {
    steps.push_back(
        "Release tags " + join_list(e->zenodo_archived_releases) +
        " hold it and this repository archives its releases on Zenodo (.zenodo.json, "
        "CITATION.cff or a Zenodo DOI in the README): those archives are public, and a published "
        "record cannot be edited. Revoke the token (above), publish a new version without it, and "
        "contact Zenodo support (https://zenodo.org/support) about the affected versions.");
  } else if (tagged) {
    steps.push_back("Release tags " + join_list(e->tags) +
                    " hold it: source archives of those releases contain it. After rewriting "
                    "history, recreate the tags and re-publish the releases.");
  }
  return steps;
}

std::string remediation_markdown()
{
  return "**What to do** (zenolint's text report gives these steps for each token, with its "
         "exposure; see docs/remediation.md):\n\n"
         "1. Create a new token with only the scopes you need: "
         "https://zenodo.org/account/settings/applications/ (sandbox tokens: "
         "https://sandbox.zenodo.org/account/settings/applications/).\n"
         "2. Update where it is read from: `gh secret set ZENODO_TOKEN`, or `~/.zenodorc` at "
         "mode 600.\n"
         "3. Revoke the old token on the same page.\n"
         "4. If it was pushed, rewrite history: `zenolint remediate --replacements FILE`, then "
         "`git filter-repo --replace-text FILE`, force-push, and have collaborators re-clone. "
         "Not needed when the token is revoked and was never pushed.\n"
         "5. If a release tag holds it and the repository archives releases on Zenodo, the "
         "archive is public and cannot be edited: publish a new version and contact Zenodo "
         "support.";
}

} // namespace zenolint::report
