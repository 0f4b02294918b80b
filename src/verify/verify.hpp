#pragma once
// Live verification (`scan --verify`): asks each token's Zenodo instance whether the token still
// works, one request per unique secret, and records the answer on the findings. See docs/verify.md.
#include "core/types.hpp"
#include "verify/http.hpp"

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zenolint::verify {

inline constexpr const char* production_url = "https://zenodo.org";
inline constexpr const char* sandbox_url = "https://sandbox.zenodo.org";
inline constexpr const char* api_path = "/api/deposit/depositions?size=1";
inline constexpr const char* revoked_message = "revoked: still purge it from history where it "
                                               "was pushed.";

struct Options {
  BaseUrl production; // where production tokens (and unknown ones, first) are checked
  BaseUrl sandbox;    // where sandbox tokens (and unknown ones, second) are checked
  Limits limits;
  // At most this many unique secrets are sent per run (in report order); the others stay
  // unknown, with one diagnostic. With the two rounds' budgets this bounds a run on a hostile
  // repository full of token-shaped strings.
  std::size_t max_secrets = 200;
};

// Options for a real run. Base URLs come from ZENOLINT_ZENODO_URL and ZENOLINT_SANDBOX_URL when
// set (and non-empty), which must point at a loopback address (localhost, 127.0.0.0/8, ::1):
// they exist for tests, and a token must never be sent to a host that is not Zenodo. Plain http is
// allowed for loopback only. ZENOLINT_VERIFY_TIMEOUT_MS (100 to 10000) shortens the 10 s request
// timeout, for tests. `getenv` reads the environment (injectable for unit tests). Throws Error on
// any refused value, naming the variable.
Options options_from_environment(const std::function<const char*(const char*)>& getenv =
                                     [](const char* n) { return std::getenv(n); });

// What the instances said about one token.
struct Verdict {
  Liveness liveness = Liveness::unknown;
  std::optional<Instance> instance;  // the instance that accepted the token, when one did
  std::vector<std::string> problems; // one per unclear answer: "<base url>: <reason>"
};

// Liveness from one answer: 200 or 403 -> active, 401 -> inactive, anything else unknown (with
// the reason in `reason`, which never contains the bearer token).
Liveness classify(const Response& r, std::string& reason);

// Verifies every finding that carries a secret. Each unique secret is sent once to its instance
// (production, sandbox; unknown or conflicting: production first, then sandbox when production
// did not accept it), through get_all() under opts.limits. Then, on every finding with that
// secret: `verified` is set; an unknown instance is settled to the instance that accepted the
// token (sandbox findings of severity error become warnings, as the matcher does); an inactive
// token's finding drops to severity warning and its message starts with revoked_message. A secret
// whose answer stays unknown adds one Diagnostic per unclear answer, naming the first finding's
// path and line and the fingerprint, never the secret. Needs a live CurlGlobal.
void verify_findings(std::vector<Finding>& findings, std::vector<Diagnostic>& diagnostics,
                     const Options& opts);

} // namespace zenolint::verify
