#pragma once
// The real SARIF validators (tests/sarif: Microsoft's SARIF multitool with the GitHub rules, and
// ajv against the SARIF 2.1.0 schema), installed from npm by tests/sarif/install.sh, which
// scripts/test.sh and .ci/run run once before the tests; a test only checks that they are there.
#include "support/process.hpp"

#include <stdexcept>
#include <string>

namespace zenolint::test {

inline void ensure_sarif_validators()
{
  static const bool installed = [] {
    auto r =
        run({"bash", std::string(ZENOLINT_SOURCE_DIR) + "/tests/sarif/install.sh", "--check"});
    if (r.status != 0)
      throw std::runtime_error(r.out + r.err);
    return true;
  }();
  (void)installed;
}

// Runs both validators on `file`; status 0 means valid, and out/err say why not.
inline RunResult validate_sarif(const std::string& file)
{
  ensure_sarif_validators();
  return run({"node", std::string(ZENOLINT_SOURCE_DIR) + "/tests/sarif/validate.js", file});
}

} // namespace zenolint::test
