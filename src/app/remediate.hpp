#pragma once
// `zenolint remediate [PATH] --replacements FILE`: scans like `zenolint scan` (working tree and
// every ref's history) and writes, for every unique secret found, one `SECRET==>REMOVED` line to
// FILE: the input of `git filter-repo --replace-text FILE`, which rewrites history without them.
//
// FILE holds raw secrets (with `scan --show-secrets`, the only way zenolint writes one): it is
// created with mode 0600 by open(O_CREAT|O_EXCL|O_NOFOLLOW), so an existing file or a symlink
// there is refused, never overwritten or followed. Nothing is written when no secret is found.
#include <iosfwd>
#include <string>

namespace zenolint::app {

struct RemediateCommand {
  std::string path = ".";
  std::string replacements; // FILE (required)
  unsigned jobs = 0;
};

// Prints what was written, the filter-repo command and the follow-up to `out`, diagnostics to
// `err`. Returns 0. Throws Error when the scan fails or FILE cannot be created (it exists, is a
// link, the directory is missing).
int remediate(const RemediateCommand& cmd, std::ostream& out, std::ostream& err);

} // namespace zenolint::app
