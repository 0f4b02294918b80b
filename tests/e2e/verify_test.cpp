// `scan --verify` against a real local HTTP server standing in for both Zenodo instances
// (tests/support/zenodo_api_server.py on 127.0.0.1). No test touches the network: every base URL
// points at loopback, and the one test without overrides sends through a local proxy that refuses.
#include "support/api_server.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

namespace {

using Behaviours = std::map<std::string, std::map<std::string, std::string>>;
const std::string api_path = "/api/deposit/depositions?size=1";

std::string production_file(const std::string& token)
{
  return "ZENODO_URL=https://zenodo.org\nZENODO_TOKEN=" + token + "\n";
}
std::string sandbox_file(const std::string& token)
{
  return "ZENODO_URL=https://sandbox.zenodo.org\nZENODO_TOKEN=" + token + "\n";
}
std::string unknown_file(const std::string& token)
{
  return "ZENODO_TOKEN=" + token + "\n";
}

RunResult scan_verify(const TempRepo& repo, std::map<std::string, std::string> env,
                      std::vector<std::string> extra = {})
{
  std::vector<std::string> args{"scan", "--no-history", "--verify", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(".");
  return repo.zenolint(args, env);
}

// The token finding (rule zenodo/...) at `path`.
json token_finding(const json& doc, const std::string& path)
{
  for (const auto& f : doc["findings"])
    if (f["path"] == path && f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      return f;
  FAIL("no token finding at " << path);
  return {};
}

// Diagnostics whose subject starts with `path`.
std::vector<std::string> diagnostics_for(const json& doc, const std::string& path)
{
  std::vector<std::string> out;
  for (const auto& d : doc["diagnostics"])
    if (d["subject"].get<std::string>().rfind(path + ":", 0) == 0)
      out.push_back(d["message"]);
  return out;
}

std::vector<LoggedRequest> requests_with(const ZenodoApiServer& server, const std::string& token)
{
  std::vector<LoggedRequest> out;
  for (const auto& r : server.requests())
    if (r.authorization == "Bearer " + token)
      out.push_back(r);
  return out;
}

bool contains(const std::string& haystack, const std::string& needle)
{
  return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("verify: every server answer becomes active, inactive or unknown",
          "[e2e][verify][network]")
{
  TempRepo repo;
  std::map<std::string, std::string> token; // behaviour -> token
  Behaviours behaviours;
  for (std::string b : {"200", "403", "401", "500", "429", "slow", "redirect"}) {
    token[b] = make_token();
    behaviours["production"][token[b]] = b;
    repo.write(b + ".env", production_file(token[b]));
  }
  ZenodoApiServer server(behaviours);
  auto env = server.env();
  env["ZENOLINT_VERIFY_TIMEOUT_MS"] = "1500";
  auto r = scan_verify(repo, env);
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);

  CHECK(token_finding(doc, "200.env")["verified"] == "active");
  CHECK(token_finding(doc, "403.env")["verified"] == "active");
  CHECK(token_finding(doc, "429.env")["verified"] == "active");
  auto revoked = token_finding(doc, "401.env");
  CHECK(revoked["verified"] == "inactive");
  CHECK(revoked["severity"] == "warning");
  CHECK(revoked["message"].get<std::string>().rfind(
            "revoked: still purge it from history where it was pushed", 0) == 0);
  CHECK(token_finding(doc, "200.env")["severity"] == "error");
  for (std::string b : {"500", "slow", "redirect"}) {
    INFO(b);
    CHECK(token_finding(doc, b + ".env")["verified"] == "unknown");
    CHECK(token_finding(doc, b + ".env")["severity"] == "error");
    auto diags = diagnostics_for(doc, b + ".env");
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags[0], "could not verify"));
    CHECK(contains(diags[0], server.url("production")));
    CHECK(contains(r.err, diags[0])); // diagnostics reach stderr too
  }
  CHECK(contains(diagnostics_for(doc, "500.env")[0], "HTTP 500"));
  CHECK(contains(diagnostics_for(doc, "slow.env")[0], "timed out"));
  CHECK(contains(diagnostics_for(doc, "redirect.env")[0], "redirects are not followed"));
  CHECK(diagnostics_for(doc, "200.env").empty());
  CHECK(diagnostics_for(doc, "401.env").empty());

  // What arrived: one GET per token (two for the 429), the token in the Authorization header
  // only, only at the production instance; the redirect was not followed to the sandbox.
  auto log = server.requests();
  for (const auto& req : log) {
    CHECK(req.instance == "production");
    CHECK(req.method == "GET");
    CHECK(req.path == api_path);
  }
  for (const auto& [b, t] : token) {
    INFO(b);
    auto got = requests_with(server, t);
    CHECK(got.size() == (b == "429" ? 2u : 1u));
    for (const auto& req : log)
      CHECK_FALSE(contains(req.path, t));
    CHECK_FALSE(contains(r.out, t));
    CHECK_FALSE(contains(r.err, t));
  }
  auto retried = requests_with(server, token["429"]);
  REQUIRE(retried.size() == 2);
  CHECK(retried[1].t - retried[0].t >= 0.9); // Retry-After: 1 was respected
}

TEST_CASE("verify: unknown instance asks production, then sandbox, and is settled",
          "[e2e][verify][network]")
{
  TempRepo repo;
  std::string on_sandbox = make_token(), on_production = make_token(), revoked = make_token(),
              unclear = make_token(), sandbox_only = make_token(), shared = make_token();
  repo.write("a.env", unknown_file(on_sandbox));
  repo.write("b.env", unknown_file(on_production));
  repo.write("c.env", unknown_file(revoked));
  repo.write("d.env", unknown_file(unclear));
  repo.write("s.env", sandbox_file(sandbox_only));
  // One secret in three places (two files and history): sent once, verified everywhere.
  repo.write("x/one.env", unknown_file(shared));
  repo.write("x/two.env", unknown_file(shared));
  repo.commit("tokens");
  repo.write("b.env", "# moved away\n");
  ZenodoApiServer server(
      {{"production", {{on_production, "200"}, {unclear, "500"}}},
       {"sandbox",
        {{on_sandbox, "200"}, {unclear, "401"}, {sandbox_only, "403"}, {shared, "200"}}}});
  auto r = repo.zenolint({"scan", "--verify", "--format", "json", "."}, server.env());
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);

  auto a = token_finding(doc, "a.env");
  CHECK(a["verified"] == "active");
  CHECK(a["instance"] == "sandbox");    // settled by the sandbox's answer
  CHECK(a["severity"] == "warning");    // sandbox tokens are warnings
  auto b = token_finding(doc, "b.env"); // only in history now
  CHECK(b["source"] == "history");
  CHECK(b["verified"] == "active");
  CHECK(b["instance"] == "production");
  auto c = token_finding(doc, "c.env");
  CHECK(c["verified"] == "inactive");
  CHECK(c["instance"] == "unknown");
  CHECK(c["severity"] == "warning");
  auto d = token_finding(doc, "d.env");
  CHECK(d["verified"] == "unknown"); // 500 on production, 401 on sandbox: cannot tell
  CHECK(diagnostics_for(doc, "d.env").size() == 1);
  CHECK(token_finding(doc, "s.env")["verified"] == "active");
  for (std::string p : {"x/one.env", "x/two.env"}) {
    CHECK(token_finding(doc, p)["verified"] == "active");
    CHECK(token_finding(doc, p)["instance"] == "sandbox");
  }

  auto instances = [&](const std::string& t) {
    std::vector<std::string> out;
    for (const auto& req : requests_with(server, t))
      out.push_back(req.instance);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(instances(on_sandbox) == V{"production", "sandbox"});
  CHECK(instances(on_production) == V{"production"}); // accepted: never sent to the sandbox
  CHECK(instances(revoked) == V{"production", "sandbox"});
  CHECK(instances(unclear) == V{"production", "sandbox"});
  CHECK(instances(sandbox_only) == V{"sandbox"}); // a sandbox token never goes to production
  CHECK(instances(shared) == V{"production", "sandbox"});
  for (const auto& t : {on_sandbox, on_production, revoked, unclear, sandbox_only, shared}) {
    CHECK_FALSE(contains(r.out, t));
    CHECK_FALSE(contains(r.err, t));
  }
}

TEST_CASE("verify: at most 4 requests in flight and 5 per second per host",
          "[e2e][verify][network]")
{
  TempRepo repo;
  Behaviours behaviours;
  std::vector<std::string> tokens;
  for (int i = 0; i < 14; ++i) {
    tokens.push_back(make_token());
    behaviours["production"][tokens.back()] = "delay"; // 0.4 s each: requests overlap
    repo.write("t" + std::to_string(i) + ".env", production_file(tokens.back()));
  }
  ZenodoApiServer server(behaviours);
  auto r = scan_verify(repo, server.env());
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  for (int i = 0; i < 14; ++i)
    CHECK(token_finding(doc, "t" + std::to_string(i) + ".env")["verified"] == "active");

  auto log = server.requests();
  REQUIRE(log.size() == 14);
  int max_concurrent = 0;
  for (const auto& req : log)
    max_concurrent = std::max(max_concurrent, req.concurrent);
  CHECK(max_concurrent <= 4);
  CHECK(max_concurrent >= 2); // they do run in parallel
  // No six arrivals within one second (0.8 s: allowance for connection latency under load;
  // without the limit they come within milliseconds).
  for (std::size_t i = 0; i + 5 < log.size(); ++i)
    CHECK(log[i + 5].t - log[i].t >= 0.8);
}

TEST_CASE("verify: 429 retries are bounded, and a long Retry-After is not waited for",
          "[e2e][verify][network]")
{
  TempRepo repo;
  std::string always = make_token(), long_wait = make_token();
  repo.write("always.env", production_file(always));
  repo.write("long.env", production_file(long_wait));
  ZenodoApiServer server({{"production", {{always, "429-always"}, {long_wait, "429-long"}}}});
  auto r = scan_verify(repo, server.env());
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  CHECK(token_finding(doc, "always.env")["verified"] == "unknown");
  CHECK(token_finding(doc, "long.env")["verified"] == "unknown");
  auto always_diag = diagnostics_for(doc, "always.env");
  REQUIRE(always_diag.size() == 1);
  CHECK(contains(always_diag[0], "rate limited (HTTP 429) after 3 requests"));
  auto long_diag = diagnostics_for(doc, "long.env");
  REQUIRE(long_diag.size() == 1);
  CHECK(contains(long_diag[0], "Retry-After 3600 s"));
  auto retried = requests_with(server, always);
  REQUIRE(retried.size() == 3);
  CHECK(retried[1].t - retried[0].t >= 0.9);
  CHECK(retried[2].t - retried[1].t >= 0.9);
  CHECK(requests_with(server, long_wait).size() == 1);
}

TEST_CASE("verify: override URLs must point at loopback", "[e2e][verify][network]")
{
  TempRepo repo;
  std::string token = make_token();
  repo.write("a.env", production_file(token));
  ZenodoApiServer server({{"production", {{token, "200"}}}});
  std::string port = std::to_string(server.port("production"));
  for (std::string url :
       std::vector<std::string>{"http://example.com:" + port, "https://zenodo.org.example.com",
                                "http://10.0.0.1:" + port, "http://127.0.0.1.nip.io:" + port,
                                "http://user:pw@127.0.0.1:" + port, "http://[::2]:" + port,
                                "http://[::ffff:127.0.0.1]:" + port, "ftp://127.0.0.1:" + port,
                                "http://127.0.0.1:" + port + "/?token=x", "127.0.0.1",
                                "http://127.0.0.1:" + port + "\x1b[31m"}) {
    for (std::string var : {"ZENOLINT_ZENODO_URL", "ZENOLINT_SANDBOX_URL"}) {
      INFO(var << "=" << url);
      auto env = server.env();
      env[var] = url;
      auto r = scan_verify(repo, env);
      CHECK(r.status == 2);
      CHECK(contains(r.err, var));
      CHECK_FALSE(contains(r.err, "\x1b"));
      CHECK_FALSE(contains(r.err, "pw@"));
    }
  }
  auto bad_timeout = server.env();
  bad_timeout["ZENOLINT_VERIFY_TIMEOUT_MS"] = "60000";
  auto t = scan_verify(repo, bad_timeout);
  CHECK(t.status == 2);
  CHECK(contains(t.err, "ZENOLINT_VERIFY_TIMEOUT_MS"));
  CHECK(server.requests().empty()); // nothing was sent for any refused setting

  // Loopback spellings that are accepted: localhost, 127.0.0.0/8 and ::1 (nothing listens on the
  // last two, so the answer is unknown, but the run goes on).
  for (std::string url :
       std::vector<std::string>{"http://localhost:" + port, "http://127.0.0.1:" + port + "/",
                                "http://127.254.0.1:1", "http://[::1]:1"}) {
    INFO(url);
    auto env = server.env();
    env["ZENOLINT_ZENODO_URL"] = url;
    auto r = scan_verify(repo, env);
    CHECK(r.status == 1);
    bool listening = url.find(port) != std::string::npos;
    CHECK(token_finding(json::parse(r.out), "a.env")["verified"] ==
          (listening ? "active" : "unknown"));
  }
  CHECK(requests_with(server, token).size() == 2); // localhost and 127.0.0.1 reached the server
}

TEST_CASE("verify: the proxy environment is honoured, and loopback bypasses it",
          "[e2e][verify][network]")
{
  TempRepo repo;
  std::string production = make_token(), unknown = make_token();
  repo.write("p.env", production_file(production));
  repo.write("u.env", unknown_file(unknown));
  ZenodoApiServer server({{"production", {{production, "200"}, {unknown, "200"}}}});

  // Real instance URLs (no overrides) through a local proxy that refuses every CONNECT: the
  // requests reach the proxy, not the network, and the token stays inside the tunnel.
  auto env = server.env();
  env["ZENOLINT_ZENODO_URL"] = ""; // "": unset
  env["ZENOLINT_SANDBOX_URL"] = "";
  env["https_proxy"] = "http://127.0.0.1:" + std::to_string(server.port("sandbox"));
  env["no_proxy"] = "";
  env["NO_PROXY"] = "";
  auto r = scan_verify(repo, env);
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  CHECK(token_finding(doc, "p.env")["verified"] == "unknown");
  CHECK(token_finding(doc, "u.env")["verified"] == "unknown");
  std::vector<std::string> targets;
  for (const auto& req : server.requests()) {
    CHECK(req.method == "CONNECT");
    CHECK(req.authorization.empty());
    targets.push_back(req.path);
  }
  std::sort(targets.begin(), targets.end());
  // p.env: production only; u.env: production, then sandbox.
  CHECK(targets ==
        std::vector<std::string>{"sandbox.zenodo.org:443", "zenodo.org:443", "zenodo.org:443"});
  auto diags = diagnostics_for(doc, "p.env");
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0], "https://zenodo.org"));

  // Loopback overrides with a proxy set: the requests go straight to the server.
  TempRepo direct;
  direct.write("p.env", production_file(production));
  ZenodoApiServer second({{"production", {{production, "200"}}}});
  auto env2 = second.env();
  env2["http_proxy"] = "http://127.0.0.1:" + std::to_string(second.port("sandbox"));
  env2["no_proxy"] = "";
  auto r2 = scan_verify(direct, env2);
  INFO(r2.err);
  REQUIRE(r2.status == 1);
  CHECK(token_finding(json::parse(r2.out), "p.env")["verified"] == "active");
  auto log = second.requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0].instance == "production");
  CHECK(log[0].path == api_path);
}

TEST_CASE("verify: TLS certificates are verified", "[e2e][verify][network]")
{
  TempDir certs;
  must_run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", certs / "key.pem",
            "-out", certs / "cert.pem"});
  TempRepo repo;
  std::string token = make_token();
  repo.write("a.env", production_file(token));
  ZenodoApiServer server({{"production", {{token, "200"}}}}, certs / "cert.pem", certs / "key.pem");
  REQUIRE(server.url("production").rfind("https://", 0) == 0);
  auto r = scan_verify(repo, server.env());
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  CHECK(token_finding(doc, "a.env")["verified"] == "unknown");
  auto diags = diagnostics_for(doc, "a.env");
  REQUIRE(diags.size() == 1);
  CHECK(contains(diags[0], "certificate"));
  CHECK(server.requests().empty()); // the handshake failed: no request, no token sent
}

TEST_CASE("verify: verified in every format, absent without --verify", "[e2e][verify][network]")
{
  TempRepo repo;
  std::string token = make_token();
  repo.write("a.env", production_file(token));
  ZenodoApiServer server({{"production", {{token, "200"}}}});
  auto run_format = [&](const std::string& format, bool verify) {
    std::vector<std::string> args{"scan", "--no-history", "--format", format, "."};
    if (verify)
      args.insert(args.begin() + 1, "--verify");
    auto r = repo.zenolint(args, server.env());
    INFO(r.err);
    CHECK(r.status == 1);
    return r.out;
  };

  auto j = json::parse(run_format("json", true));
  CHECK(token_finding(j, "a.env")["verified"] == "active");
  CHECK_FALSE(token_finding(json::parse(run_format("json", false)), "a.env").contains("verified"));

  auto sarif_result = [](const json& doc) {
    for (const auto& res : doc["runs"][0]["results"])
      if (res["ruleId"].get<std::string>().rfind("zenodo/", 0) == 0)
        return res;
    return json{};
  };
  auto s = json::parse(run_format("sarif", true));
  CHECK(sarif_result(s)["properties"]["verified"] == "active");
  CHECK_FALSE(
      sarif_result(json::parse(run_format("sarif", false)))["properties"].contains("verified"));

  auto gitlab_vuln = [](const json& doc) {
    for (const auto& v : doc["vulnerabilities"])
      if (v["identifiers"][0]["value"].get<std::string>().rfind("zenodo/", 0) == 0)
        return v;
    return json{};
  };
  auto g = json::parse(run_format("gitlab", true));
  CHECK(gitlab_vuln(g)["details"]["verified"]["value"] == "active");
  CHECK_FALSE(gitlab_vuln(json::parse(run_format("gitlab", false))).contains("details"));

  CHECK(contains(run_format("text", true), "verified: active"));
  CHECK_FALSE(contains(run_format("text", false), "verified"));
  CHECK(requests_with(server, token).size() == 4); // one per --verify run
}
