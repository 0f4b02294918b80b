#pragma once
// Token-shape checks shared by every rule that sets token_checks (the default), and redaction.
#include <string>
#include <string_view>

namespace zenolint::match {

// Shannon entropy in bits per character.
double shannon_entropy(std::string_view s);

// Tunables of the token-shape checks (rules may override min_entropy).
struct TokenCheckOptions {
  // Shannon entropy floor in bits/char for secrets of 40+ characters. A uniformly random
  // 60-character token over 62 symbols has ~5.4; 4.2 leaves a wide margin.
  double min_entropy = 4.2;
};

// Why `secret` (found at [offset, offset+len) of `text`) does not look like a real random token,
// or nullptr when it does. Checks: boundaries (not a window of a longer run of letters, digits,
// '+', '/', '=', '-', '_'), upper- and lower-case letters, digits (or, without digits, a balanced
// mix of cases unlike a CamelCase identifier), entropy, no long sequential or periodic patterns, no
// placeholder words. The returned string is static (e.g. "no digit").
const char* implausible_token_reason(std::string_view text, std::size_t offset, std::size_t len,
                                     const TokenCheckOptions& options);
const char* implausible_token_reason(std::string_view text, std::size_t offset, std::size_t len);

// At most the first 4 characters, then "…". Never more, whatever the secret's length.
std::string redact(std::string_view secret);

} // namespace zenolint::match
