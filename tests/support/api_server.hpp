#pragma once
// A real HTTP server on 127.0.0.1 standing in for both Zenodo instances (tests/support/
// zenodo_api_server.py, run with python3), for the `scan --verify` tests. Started by the
// constructor, stopped (SIGTERM, waited for) by the destructor.
#include "support/temp.hpp"

#include <map>
#include <string>
#include <vector>

namespace zenolint::test {

// One request as the server saw it when it arrived.
struct LoggedRequest {
  std::string instance; // "production" or "sandbox"
  std::string method;   // "GET", or "CONNECT" when it was used as a proxy
  std::string path;     // request target as sent
  std::string authorization;
  double t = 0;       // arrival, monotonic seconds
  int concurrent = 0; // requests being handled at arrival, this one included
};

class ZenodoApiServer {
public:
  // `behaviours`: instance -> token -> behaviour (see the script: "200", "401", "403", "500",
  // "429", "429-always", "429-long", "slow", "delay", "redirect"); unlisted tokens get 401.
  // With `tls_cert` and `tls_key` (PEM files), the production instance speaks https.
  explicit ZenodoApiServer(
      const std::map<std::string, std::map<std::string, std::string>>& behaviours,
      const std::string& tls_cert = "", const std::string& tls_key = "");
  ~ZenodoApiServer();
  ZenodoApiServer(const ZenodoApiServer&) = delete;
  ZenodoApiServer& operator=(const ZenodoApiServer&) = delete;

  int port(const std::string& instance) const
  {
    return instance == "sandbox" ? m_sandbox_port : m_production_port;
  }
  std::string url(const std::string& instance) const
  {
    return std::string(m_tls && instance != "sandbox" ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(port(instance));
  }
  // ZENOLINT_ZENODO_URL and ZENOLINT_SANDBOX_URL pointing here, proxies unset.
  std::map<std::string, std::string> env() const;
  // Every request so far, in arrival order.
  std::vector<LoggedRequest> requests() const;

private:
  TempDir m_dir;
  int m_pid = -1;
  int m_production_port = 0;
  int m_sandbox_port = 0;
  bool m_tls = false;
};

} // namespace zenolint::test
