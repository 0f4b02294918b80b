#pragma once
// Scan-wide context, computed from what each blob's single matcher pass left behind, so that no
// blob is ever read twice:
//   * repository context: whether the scan as a whole talks to Zenodo (a file calls the Zenodo
//     API, uses a Zenodo client or names a Zenodo host; the root README or the repository's name
//     mentions Zenodo). Matches of rules with context.scope "repository" count only then, and the
//     finding says why ("repository uploads to zenodo.org: src/upload.py").
//   * the same secret elsewhere: once a string is a Zenodo token anywhere in the scan, every other
//     occurrence of it (any file, any blob) is a finding too, with the rule, instance and
//     fingerprint of the first one.
#include "core/types.hpp"
#include "match/instance.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::rules {
struct Rule;
}

namespace zenolint::match {

struct Match;

// A token-shaped string of a blob (a maximal run of exactly 60 letters and digits that passes the
// token-shape checks), kept so that the end of the scan can recognise a known secret in it.
struct Candidate {
  std::string secret;
  std::size_t offset = 0;
  std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0; // as in Match
  std::string line_hash;
  bool suppressed = false;
};

// How much a blob says about Zenodo.
struct ZenodoUse {
  bool api = false;      // calls the Zenodo API, uses a Zenodo client, or names a Zenodo host
  bool mentions = false; // says "zenodo" at all
  Hosts hosts;           // Zenodo hosts it names
};

// Offsets of the token candidates of `content`, at most `limit` of them, in order. Looks at one
// byte in 60 plus the letter-and-digit runs around those bytes, so it costs far less than reading
// the content. `any_run` (if given) is set when the part looked at holds a maximal run of exactly
// 60 letters and digits, plausible or not: the only place a (?P<secret>[A-Za-z0-9]{60}) rule with
// token checks can match (the same pass answers both; once `limit` candidates are found it is
// true anyway). A run that begins with the tail of an escape (`%3D`, `\x22`, `\u0022`) and
// then holds exactly 60 more counts as the 60 after the escape.
std::vector<std::size_t> token_candidates(std::string_view content, std::size_t limit,
                                          bool* any_run = nullptr);

// What `content` says about Zenodo. `mentions_zenodo`: the caller already knows whether the
// content contains "zenodo" (any case); when false the result is empty at no cost.
ZenodoUse zenodo_use(std::string_view content, bool mentions_zenodo);

// Everything one blob's matcher pass leaves for the end of the scan.
struct BlobMatches;

// One blob as the scan-wide pass sees it.
struct BlobView {
  BlobMatches* blob = nullptr;
  std::string_view path; // its primary path (repository-relative)
};

struct RepositoryContext {
  bool uses_zenodo = false;
  std::string reason; // e.g. "repository uploads to zenodo.org: src/upload.py"
  Hosts hosts;        // Zenodo hosts named by the files that call the API
};

// Decides the repository context from every blob's ZenodoUse, the root README and
// `repository_name` (the working tree's or repository's directory name; may be empty).
// Deterministic: the reason names the smallest path of its kind.
RepositoryContext repository_context(const std::vector<BlobView>& blobs,
                                     std::string_view repository_name);

// Settles every blob's pending repository-scope matches (kept with the context's reason, or
// dropped), then adds a match for each candidate holding a secret that is a Zenodo token
// elsewhere in the scan. Afterwards every blob's `matches` are final and ordered by offset.
void resolve(std::vector<BlobView>& blobs, const RepositoryContext& context);

} // namespace zenolint::match
