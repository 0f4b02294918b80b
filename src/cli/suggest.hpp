#pragma once
// "did you mean" for mistyped commands and options.
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::cli {

// The candidate closest to `word` by edit distance (case differences count half), when it is close
// enough to be a likely typo: at most a third of the longer word's length (at least 1). Empty when
// none is. Ties go to the earlier candidate.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

} // namespace zenolint::cli
