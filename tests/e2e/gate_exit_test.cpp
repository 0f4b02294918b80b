// --fail-on and --exit-code.
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

using namespace zenolint::test;

TEST_CASE("gate: --fail-on decides which severities fail", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("sandbox.env", "ZENODO_SANDBOX_TOKEN=" + make_token() + "\n"); // sandbox: warning
  repo.commit("sandbox token");
  CHECK(repo.zenolint({"scan", "."}).status == 1); // default: warning
  CHECK(repo.zenolint({"scan", "--fail-on", "warning", "."}).status == 1);
  CHECK(repo.zenolint({"scan", "--fail-on", "note", "."}).status == 1);
  auto error_only = repo.zenolint({"scan", "--fail-on", "error", "."});
  CHECK(error_only.status == 0);
  CHECK(error_only.out.find("warning") != std::string::npos); // still reported

  repo.write("prod.env", "ZENODO_TOKEN=" + make_token() + "\n"); // production: error
  CHECK(repo.zenolint({"scan", "--fail-on", "error", "."}).status == 1);
  CHECK(repo.zenolint({"scan", "--fail-on", "bogus", "."}).status == 2);
}

TEST_CASE("gate: --exit-code replaces 1", "[e2e][gate]")
{
  TempRepo repo;
  repo.write("clean.txt", "nothing\n");
  repo.commit("clean");
  CHECK(repo.zenolint({"scan", "--exit-code", "7", "."}).status == 0);
  repo.write("prod.env", "ZENODO_TOKEN=" + make_token() + "\n");
  CHECK(repo.zenolint({"scan", "--exit-code", "7", "."}).status == 7);
  CHECK(repo.zenolint({"scan", "--exit-code", "7", "--format", "sarif", "-o", "x.sarif", "."})
            .status == 7);
  CHECK(repo.zenolint({"scan", "--exit-code", "0", "."}).status == 2); // out of range
}
