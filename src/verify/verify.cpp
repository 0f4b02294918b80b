#include "verify/verify.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace zenolint::verify {
namespace {

BaseUrl base_from_env(const std::function<const char*(const char*)>& getenv, const char* var,
                      const char* default_url)
{
  const char* value = getenv(var);
  if (value == nullptr || *value == '\0')
    return parse_base_url(default_url, var);
  BaseUrl b = parse_base_url(value, var);
  if (!b.loopback)
    throw Error(std::string(var) + ": host '" + b.host +
                "' is not a loopback address; overrides may only point at localhost, "
                "127.0.0.0/8 or ::1 (tokens are never sent anywhere but Zenodo)");
  return b;
}

// Printable, bounded text for a diagnostic: no control bytes (they could reach a terminal), no
// secret.
std::string clean_reason(std::string text, const std::string& secret)
{
  if (!secret.empty())
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
      text.replace(pos, secret.size(), "[secret]");
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f)
      c = '?';
  if (text.size() > 300)
    text = text.substr(0, 300) + "...";
  return text;
}

std::string first_sentence(const std::string& text)
{
  auto pos = text.find(". ");
  return pos == std::string::npos ? text : text.substr(0, pos + 1);
}

// One unique secret and what is known about it.
struct Secret {
  std::string value;
  std::vector<std::size_t> findings; // indexes, in report order
  bool production = false, sandbox = false, unknown = false;
  std::vector<Liveness> results; // one per instance asked, in plan order
  Verdict verdict;
};

} // namespace

Options options_from_environment(const std::function<const char*(const char*)>& getenv)
{
  Options o;
  o.production = base_from_env(getenv, "ZENOLINT_ZENODO_URL", production_url);
  o.sandbox = base_from_env(getenv, "ZENOLINT_SANDBOX_URL", sandbox_url);
  if (const char* t = getenv("ZENOLINT_VERIFY_TIMEOUT_MS"); t != nullptr && *t != '\0') {
    char* end = nullptr;
    long ms = std::strtol(t, &end, 10);
    if (end == t || *end != '\0' || ms < 100 || ms > 10'000)
      throw Error("ZENOLINT_VERIFY_TIMEOUT_MS: expected milliseconds from 100 to 10000");
    o.limits.timeout = std::chrono::milliseconds(ms);
  }
  return o;
}

Liveness classify(const Response& r, std::string& reason)
{
  reason.clear();
  if (r.status == 200 || r.status == 403)
    return Liveness::active;
  if (r.status == 401)
    return Liveness::inactive;
  if (r.status == 0)
    reason = r.error.empty() ? "no answer" : r.error;
  else if (r.status == 429)
    reason = "rate limited (HTTP 429) after " + std::to_string(r.attempts) +
             (r.attempts == 1 ? " request" : " requests") +
             (r.retry_after > 0 ? ", Retry-After " + std::to_string(r.retry_after) + " s" : "");
  else if (r.status >= 300 && r.status < 400)
    reason = "HTTP " + std::to_string(r.status) + " (redirects are not followed)";
  else
    reason = "HTTP " + std::to_string(r.status);
  return Liveness::unknown;
}

void verify_findings(std::vector<Finding>& findings, std::vector<Diagnostic>& diagnostics,
                     const Options& opts)
{
  std::vector<Secret> secrets;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (f.secret.empty())
      continue;
    auto [it, added] = index_of.emplace(f.secret, secrets.size());
    if (added)
      secrets.push_back(Secret{f.secret, {}, false, false, false, {}, {}});
    Secret& s = secrets[it->second];
    s.findings.push_back(i);
    (f.instance == Instance::production ? s.production
     : f.instance == Instance::sandbox  ? s.sandbox
                                        : s.unknown) = true;
  }

  // Secrets beyond the cap are not sent; they stay unknown under one diagnostic.
  const std::size_t sent = std::min(secrets.size(), opts.max_secrets);

  // Which instances to ask, in order: the one the token was found for; production then sandbox
  // when that is unknown or the findings disagree.
  auto plan = [](const Secret& s) {
    if (s.sandbox && !s.production && !s.unknown)
      return std::vector<Instance>{Instance::sandbox};
    if (s.production && !s.sandbox && !s.unknown)
      return std::vector<Instance>{Instance::production};
    return std::vector<Instance>{Instance::production, Instance::sandbox};
  };

  // Round by round: each round sends every secret's next instance, while none accepted it yet.
  for (std::size_t round = 0; round < 2; ++round) {
    std::vector<Request> requests;
    std::vector<std::size_t> owner;
    for (std::size_t k = 0; k < sent; ++k) {
      Secret& s = secrets[k];
      auto instances = plan(s);
      if (round >= instances.size() || s.verdict.instance)
        continue;
      Instance inst = instances[round];
      requests.push_back(
          Request{inst == Instance::sandbox ? opts.sandbox : opts.production, api_path, s.value});
      owner.push_back(k);
    }
    if (requests.empty())
      break;
    auto answers = get_all(requests, opts.limits);
    for (std::size_t j = 0; j < answers.size(); ++j) {
      Secret& s = secrets[owner[j]];
      Instance inst = plan(s)[round];
      std::string reason;
      Liveness l = classify(answers[j], reason);
      s.results.push_back(l);
      if (l == Liveness::active)
        s.verdict.instance = inst;
      if (l == Liveness::unknown)
        s.verdict.problems.push_back(requests[j].base.url + ": " + clean_reason(reason, s.value));
    }
  }

  // Any instance accepting the token makes it active; every instance refusing it, inactive.
  for (Secret& s : secrets) {
    auto& r = s.results;
    if (std::find(r.begin(), r.end(), Liveness::active) != r.end())
      s.verdict.liveness = Liveness::active;
    else if (!r.empty() &&
             std::all_of(r.begin(), r.end(), [](Liveness l) { return l == Liveness::inactive; }))
      s.verdict.liveness = Liveness::inactive;
    else
      s.verdict.liveness = Liveness::unknown;
  }

  for (const Secret& s : secrets) {
    const Verdict& v = s.verdict;
    for (std::size_t i : s.findings) {
      Finding& f = findings[i];
      f.verified = v.liveness;
      if (v.liveness == Liveness::active && v.instance && f.instance == Instance::unknown) {
        f.instance = *v.instance;
        if (f.instance == Instance::sandbox && f.severity == Severity::error)
          f.severity = Severity::warning;
      }
      if (v.liveness == Liveness::inactive) {
        f.severity = std::min(f.severity, Severity::warning);
        f.message = std::string(revoked_message) + " " + first_sentence(f.message);
      }
    }
    if (v.liveness == Liveness::unknown) {
      const Finding& first = findings[s.findings.front()];
      for (const auto& p : v.problems)
        diagnostics.push_back(Diagnostic{Severity::warning,
                                         first.path + ":" + std::to_string(first.line),
                                         "could not verify the token (fingerprint " +
                                             first.fingerprint.substr(0, 12) + "): " + p});
    }
  }
  if (sent < secrets.size())
    diagnostics.push_back(Diagnostic{
        Severity::warning, "--verify",
        std::to_string(secrets.size() - sent) + " of " + std::to_string(secrets.size()) +
            " unique tokens were not verified: at most " + std::to_string(opts.max_secrets) +
            " are checked per run (their findings say verified: unknown)"});
}

} // namespace zenolint::verify
