#pragma once
// Pattern validation for the rule loader, so RE2 stays inside match/.
#include <optional>
#include <string>
#include <string_view>

namespace zenolint::match {

// nullopt if RE2 accepts `pattern` (and, when `need_secret_group`, it has a named group `secret`);
// otherwise the reason.
std::optional<std::string> pattern_error(std::string_view pattern, bool need_secret_group);

} // namespace zenolint::match
