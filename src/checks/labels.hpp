#pragma once
// config/misleading-label and config/placeholder-token on one parsed credential file.
#include "checks/credential_file.hpp"
#include "checks/findings.hpp"

#include <string>

namespace zenolint::checks {

// Adds label findings (misleading instance claim, same token under both instances, duplicate
// label in one section) and placeholder findings (client files only) for `file`, shown as `path`.
// `blob` is the file's git blob id (stored in each finding).
void check_labels(const ParsedFile& file, const std::string& path, const BlobId& blob, Result& out);

} // namespace zenolint::checks
