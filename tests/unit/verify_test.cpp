// Pieces of `scan --verify` that need no server: URL checks, bearer syntax, answer classification,
// settings from the environment. The requests themselves are tested in tests/e2e/verify_test.cpp.
#include "core/error.hpp"
#include "support/api_server.hpp"
#include "support/tokens.hpp"
#include "verify/verify.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace zenolint;
using namespace zenolint::verify;
using zenolint::test::make_token;
using zenolint::test::ZenodoApiServer;

namespace {

Finding token_finding(const std::string& path, const std::string& secret, Instance instance)
{
  Finding f;
  f.rule_id = "zenodo/assignment";
  f.severity = instance == Instance::sandbox ? Severity::warning : Severity::error;
  f.instance = instance;
  f.message = "Zenodo access token in plain text. Revoke it on Zenodo.";
  f.path = path;
  f.line = 1;
  f.secret = secret;
  f.fingerprint = std::string(64, 'a');
  return f;
}

Options loopback_options(const ZenodoApiServer& server)
{
  Options o;
  o.production = parse_base_url(server.url("production"), "production");
  o.sandbox = parse_base_url(server.url("sandbox"), "sandbox");
  return o;
}

} // namespace

TEST_CASE("verify: loopback hosts", "[unit][verify]")
{
  for (const char* h : {"localhost", "LocalHost", "127.0.0.1", "127.255.255.254", "[::1]", "::1",
                        "[0:0:0:0:0:0:0:1]"}) {
    INFO(h);
    CHECK(is_loopback_host(h));
  }
  for (const char* h :
       {"localhost.", "localhost.example.com", "128.0.0.1", "10.0.0.1", "127.1", "0x7f.0.0.1",
        "2130706433", "[::2]", "[::ffff:127.0.0.1]", "zenodo.org", "", "127.0.0.1.nip.io"}) {
    INFO(h);
    CHECK_FALSE(is_loopback_host(h));
  }
}

TEST_CASE("verify: base URLs as libcurl parses them", "[unit][verify]")
{
  auto b = parse_base_url("https://zenodo.org", "X");
  CHECK(b.url == "https://zenodo.org");
  CHECK(b.scheme == "https");
  CHECK(b.host == "zenodo.org");
  CHECK(b.authority == "zenodo.org:443");
  CHECK_FALSE(b.loopback);

  auto l = parse_base_url("HTTP://LocalHost:8080/prefix/", "X");
  CHECK(l.url == "http://localhost:8080/prefix");
  CHECK(l.authority == "localhost:8080");
  CHECK(l.loopback);

  // What is checked is what curl connects to: it normalises numeric IPv4 forms itself.
  auto short_form = parse_base_url("http://127.1:5/", "X");
  CHECK(short_form.url == "http://127.0.0.1:5");
  CHECK(short_form.loopback);
  CHECK_FALSE(parse_base_url("http:///path", "X").loopback); // host "path"

  auto v6 = parse_base_url("http://[::1]:9/", "X");
  CHECK(v6.host == "[::1]");
  CHECK(v6.loopback);

  for (const char* bad :
       {"zenodo.org", "ftp://127.0.0.1/", "http://u:p@127.0.0.1/", "http://127.0.0.1/?a=b",
        "http://127.0.0.1/#x", "http://127.0.0.1 /", "http://[fe80::1%25eth0]/", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_base_url(bad, "ZENOLINT_ZENODO_URL"), Error);
  }
  // The message names the variable, never the URL's credentials.
  try {
    parse_base_url("http://user:hunter2@127.0.0.1/", "ZENOLINT_ZENODO_URL");
    FAIL("accepted user info");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("ZENOLINT_ZENODO_URL") != std::string::npos);
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("verify: bearer tokens are header-safe", "[unit][verify]")
{
  CHECK(is_bearer_token("abcXYZ019"));
  CHECK(is_bearer_token("a-b._~+/c=="));
  CHECK_FALSE(is_bearer_token(""));
  CHECK_FALSE(is_bearer_token("=abc"));
  CHECK_FALSE(is_bearer_token("abc\r\nX-Evil: 1"));
  CHECK_FALSE(is_bearer_token("ab c"));
  CHECK_FALSE(is_bearer_token("abc=d"));
  CHECK_FALSE(is_bearer_token(std::string(1025, 'a')));
}

TEST_CASE("verify: answers classified", "[unit][verify]")
{
  std::string reason;
  auto with = [](long status) {
    Response r;
    r.status = status;
    r.attempts = 1;
    return r;
  };
  CHECK(classify(with(200), reason) == Liveness::active);
  CHECK(reason.empty());
  CHECK(classify(with(403), reason) == Liveness::active);
  CHECK(classify(with(401), reason) == Liveness::inactive);
  CHECK(classify(with(500), reason) == Liveness::unknown);
  CHECK(reason == "HTTP 500");
  CHECK(classify(with(301), reason) == Liveness::unknown);
  CHECK(reason.find("redirects are not followed") != std::string::npos);
  Response limited = with(429);
  limited.attempts = 3;
  limited.retry_after = 7;
  CHECK(classify(limited, reason) == Liveness::unknown);
  CHECK(reason == "rate limited (HTTP 429) after 3 requests, Retry-After 7 s");
  Response failed;
  failed.error = "Could not resolve host: zenodo.org";
  CHECK(classify(failed, reason) == Liveness::unknown);
  CHECK(reason == failed.error);
}

TEST_CASE("verify: settings from the environment", "[unit][verify]")
{
  std::map<std::string, std::string> env;
  auto getenv = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto o = options_from_environment(getenv);
  CHECK(o.production.url == "https://zenodo.org");
  CHECK(o.sandbox.url == "https://sandbox.zenodo.org");
  CHECK(o.limits.timeout == std::chrono::seconds(10));
  CHECK(o.limits.max_in_flight == 4);
  CHECK(o.limits.max_per_second_per_host == 5);

  env["ZENOLINT_ZENODO_URL"] = "http://127.0.0.1:5000";
  env["ZENOLINT_SANDBOX_URL"] = ""; // empty: unset
  env["ZENOLINT_VERIFY_TIMEOUT_MS"] = "250";
  o = options_from_environment(getenv);
  CHECK(o.production.url == "http://127.0.0.1:5000");
  CHECK(o.sandbox.url == "https://sandbox.zenodo.org");
  CHECK(o.limits.timeout == std::chrono::milliseconds(250));

  for (const char* t : {"99", "10001", "abc", "100ms", "-5"}) {
    env["ZENOLINT_VERIFY_TIMEOUT_MS"] = t;
    CHECK_THROWS_AS(options_from_environment(getenv), Error);
  }
  env["ZENOLINT_VERIFY_TIMEOUT_MS"] = "";
  env["ZENOLINT_SANDBOX_URL"] = "https://sandbox.zenodo.org"; // the real one: not loopback
  CHECK_THROWS_AS(options_from_environment(getenv), Error);
}

TEST_CASE("verify: findings of one secret share one answer; caps bound a hostile run",
          "[unit][verify][network]")
{
  CurlGlobal curl;
  std::string a = make_token(), b = make_token(), c = make_token();
  ZenodoApiServer server({{"production", {{a, "200"}, {b, "401"}, {c, "200"}}}});
  std::vector<Finding> findings{token_finding("1.env", a, Instance::production),
                                token_finding("2.env", b, Instance::production),
                                token_finding("3.env", a, Instance::unknown),
                                token_finding("4.env", c, Instance::production),
                                token_finding("5.env", "not a token", Instance::production)};
  findings.push_back(findings[0]);
  findings.back().rule_id = "config/something"; // no secret: never verified
  findings.back().secret.clear();
  std::vector<Diagnostic> diags;
  Options o = loopback_options(server);

  SECTION("at most max_secrets unique secrets are sent")
  {
    o.max_secrets = 2;
    verify_findings(findings, diags, o);
    CHECK(findings[0].verified == Liveness::active);
    CHECK(findings[2].verified == Liveness::active);
    CHECK(findings[2].instance == Instance::production); // settled
    CHECK(findings[1].verified == Liveness::inactive);
    CHECK(findings[1].severity == Severity::warning);
    CHECK(findings[1].message ==
          "revoked: still purge it from history where it was pushed. Zenodo access token in "
          "plain text.");
    CHECK(findings[3].verified == Liveness::unknown); // third unique secret: over the cap
    CHECK(findings[4].verified == Liveness::unknown);
    CHECK_FALSE(findings[5].verified);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].subject == "--verify");
    CHECK(diags[0].message.find("2 of 4 unique tokens were not verified") != std::string::npos);
    CHECK(server.requests().size() == 2);
  }
  SECTION("no request starts after the time budget")
  {
    o.limits.budget = std::chrono::seconds(0);
    verify_findings(findings, diags, o);
    for (std::size_t i = 0; i < 5; ++i)
      CHECK(findings[i].verified == Liveness::unknown);
    CHECK(server.requests().empty());
    REQUIRE(diags.size() >= 4);
    CHECK(diags[0].message.find("time budget") != std::string::npos);
  }
  SECTION("a secret that is not a bearer token is never sent")
  {
    verify_findings(findings, diags, o);
    CHECK(findings[3].verified == Liveness::active);
    CHECK(findings[4].verified == Liveness::unknown);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].subject == "5.env:1");
    CHECK(diags[0].message.find("not a bearer token") != std::string::npos);
    CHECK(diags[0].message.find("not a token") == std::string::npos); // the secret is not echoed
    CHECK(server.requests().size() == 3);
  }
}
