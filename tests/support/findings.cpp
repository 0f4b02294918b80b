#include "support/findings.hpp"

#include "core/digest.hpp"

namespace zenolint::test {

Finding token_finding(const std::string& secret, const std::string& path, std::uint32_t line)
{
  Finding f;
  f.rule_id = "zenodo/assignment";
  f.severity = Severity::error;
  f.instance = Instance::production;
  f.message = "Zenodo production access token in plain text (ZenodoTokenAssignment). Revoke it.";
  f.path = path;
  f.line = line;
  f.column = 5;
  f.end_line = line;
  f.end_column = 65;
  f.secret = secret;
  f.fingerprint = sha256_hex(f.rule_id + ":" + secret);
  f.line_hash = "00112233aabbccdd";
  f.blob = *BlobId::from_hex("0123456789abcdef0123456789abcdef01234567");
  return f;
}

} // namespace zenolint::test
