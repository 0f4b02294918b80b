#pragma once
// Token-shape checks shared by every rule that sets token_checks (the default), and redaction.
#include <string>
#include <string_view>

namespace zenolint::match {

// Shannon entropy in bits per character.
double shannon_entropy(std::string_view s);

// Why `secret` (found at [offset, offset+len) of `text`) does not look like a real random token,
// or nullptr when it does. Checks: boundaries (not a window of a longer run of letters, digits,
// '+', '/', '=', '-', '_'), at least one digit, upper- and lower-case letters, entropy, no long
// sequential or periodic patterns, no placeholder words.
const char* implausible_token_reason(std::string_view text, std::size_t offset, std::size_t len);

// At most the first 4 characters, then "…". Never more, whatever the secret's length.
std::string redact(std::string_view secret);

} // namespace zenolint::match
