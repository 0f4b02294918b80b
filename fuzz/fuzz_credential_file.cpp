// The credential-file parsers (checks/credential_file) and the label checks on their result.
//
// Input: one byte choosing the kind (zenodorc, zenodopy, toml, ini; 4 and up: sniffed from the
// content), then the file's content.
#include "checks/credential_file.hpp"
#include "checks/labels.hpp"
#include "match/matcher.hpp"

#include <cstddef>
#include <cstdint>

using namespace zenolint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size < 1)
    return 0;
  std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  checks::FileKind kind =
      data[0] < 4 ? static_cast<checks::FileKind>(data[0]) : checks::sniff_kind(content);
  checks::ParsedFile parsed = checks::parse(kind, content, "fuzz/.zenodorc");
  checks::Result result;
  checks::check_labels(parsed, "fuzz/.zenodorc", BlobId{}, result);
  volatile std::size_t sink = result.findings.size() + result.diagnostics.size();
  for (const auto& e : parsed.entries) {
    sink = sink + checks::is_placeholder(e.value) + checks::is_token_shaped(e.token);
    sink = sink + static_cast<std::size_t>(checks::instance_of_section(e.section));
  }
  if (content.size() < 4096) // the section lookup scans back from the offset
    sink = sink + match::enclosing_section(content, content.size() / 2).size();
  return 0;
}
