#pragma once
// The git hook scripts from hooks/, embedded at build time (cmake/EmbedHooks.cmake).
#include <string_view>

namespace zenolint::app {

// The script text for "pre-commit" or "pre-push"; empty for any other name.
std::string_view hook_script(std::string_view name);

} // namespace zenolint::app
