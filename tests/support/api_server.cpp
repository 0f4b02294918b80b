#include "support/api_server.hpp"

#include "support/tools.hpp"

#include <csignal>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace zenolint::test {

ZenodoApiServer::ZenodoApiServer(
    const std::map<std::string, std::map<std::string, std::string>>& behaviours,
    const std::string& tls_cert, const std::string& tls_key)
    : m_tls(!tls_cert.empty())
{
  nlohmann::json config = nlohmann::json::object();
  for (const auto& [instance, tokens] : behaviours)
    config[instance] = tokens;
  write_file(m_dir / "config.json", config.dump());
  write_file(m_dir / "log.jsonl", "");

  require_tool("python3");
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  std::string script = std::string(ZENOLINT_SOURCE_DIR) + "/tests/support/zenodo_api_server.py";
  std::string config_path = m_dir / "config.json", log_path = m_dir / "log.jsonl";
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out[1], 1);
    std::vector<const char*> argv{"python3", script.c_str(), config_path.c_str(), log_path.c_str()};
    if (!tls_cert.empty()) {
      argv.push_back(tls_cert.c_str());
      argv.push_back(tls_key.c_str());
    }
    argv.push_back(nullptr);
    ::execvp(argv[0], const_cast<char**>(argv.data()));
    ::_exit(127);
  }
  m_pid = pid;
  ::close(out[1]);
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n')
    line.push_back(c);
  ::close(out[0]); // later prints (none expected) would get EPIPE, not block
  std::istringstream in(line);
  if (!(in >> m_production_port >> m_sandbox_port)) {
    ::kill(m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
    throw std::runtime_error("zenodo_api_server.py did not start (printed '" + line + "')");
  }
}

ZenodoApiServer::~ZenodoApiServer()
{
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
}

std::map<std::string, std::string> ZenodoApiServer::env() const
{
  return {{"ZENOLINT_ZENODO_URL", url("production")},
          {"ZENOLINT_SANDBOX_URL", url("sandbox")},
          {"http_proxy", ""},
          {"https_proxy", ""},
          {"HTTPS_PROXY", ""},
          {"all_proxy", ""},
          {"ALL_PROXY", ""}};
}

std::vector<LoggedRequest> ZenodoApiServer::requests() const
{
  std::vector<LoggedRequest> out;
  std::istringstream in(read_file(m_dir / "log.jsonl"));
  for (std::string line; std::getline(in, line);) {
    if (line.empty())
      continue;
    auto j = nlohmann::json::parse(line);
    out.push_back(LoggedRequest{j.at("instance"), j.at("method"), j.at("path"),
                                j.at("authorization"), j.at("t"), j.at("concurrent")});
  }
  return out;
}

} // namespace zenolint::test
