#pragma once
// `zenolint rules list` and `zenolint rules test`.
#include <iosfwd>
#include <string>
#include <vector>

namespace zenolint::app {

// Prints one line per rule (id, severity, name, description), or, when `json` is set, a JSON
// array of {id, name, severity, description, keywords, source}.
int rules_list(const std::vector<std::string>& extra_dirs, bool json, std::ostream& out);

// With `dir` empty: tests the default rules (plus extra_dirs); otherwise the rules in `dir` alone.
// Text: failures on `err` ("FAIL ..."), counts on `out`. JSON (`json`): one object on `out`,
// {rules, examples, negative_examples, failures: [...]}. Returns 0 when every example behaves, 1
// otherwise; malformed files throw Error (exit 2).
int rules_test(const std::string& dir, const std::vector<std::string>& extra_dirs, bool json,
               std::ostream& out, std::ostream& err);

} // namespace zenolint::app
