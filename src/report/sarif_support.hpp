#pragma once
// Pieces of the SARIF writer exposed for unit tests and the other writers.
#include "core/rule_meta.hpp"
#include "core/types.hpp"
#include "report/report.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::report {

// GitHub's properties.security-severity for a rule, as a string: "9.1" for token rules of
// severity error (a production or unknown-instance token: critical), "7.5" for config/ rules of
// severity error, "5.0" for warnings (sandbox-only rules, config warnings), "2.0" for notes.
std::string security_severity(const RuleMeta& rule);

// `text` with every occurrence of f.secret replaced by its redacted form (unless show_secrets).
std::string redact_in(std::string text, const Finding& f, const ReportOptions& options);

// A '/'-separated path as a URI path: bytes outside RFC 3986 pchar (and ':') percent-encoded.
std::string percent_encode_path(std::string_view path);

// The artifactLocation.uri (relative to %SRCROOT%) of a repository path, percent-encoded byte by
// byte, that always resolves inside %SRCROOT%: the dot segments "." and ".." (tree entries a
// hostile repository can hold) become "%2E" and "%2E%2E", and an empty segment (an empty entry
// name, which no file can have) becomes "%00", so the URI never starts with "/" or "//".
std::string sarif_relative_uri(std::string_view path);

// file:// URI (with trailing '/') of the directory `root` names, or of a file's directory;
// empty when it cannot be made absolute.
std::string root_file_uri(const std::string& root);

// The exact size of `data` gzipped as GitHub's upload-sarif action does (zlib level 6, gzip
// wrapper), computed by deflating into a byte counter: nothing but a 64 KiB buffer is allocated.
std::uint64_t gzip_size(std::string_view data);

// partialFingerprints.primaryLocationLineHash for each finding ("<16 hex>:<N>").
std::vector<std::string> primary_line_hashes(const std::vector<Finding>& findings);

} // namespace zenolint::report
