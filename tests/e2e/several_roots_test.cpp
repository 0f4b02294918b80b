// `zenolint scan A B`: exposure and verification are per secret across every root (issue 13):
// the same token in a repository and in a deposit directory is one leaked token, with one
// exposure and one request to the API.
#include "support/api_server.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;

namespace {

// A repository whose tag v1.0 holds `token` (deleted since), and a deposit directory beside it
// that still holds it.
struct RepoAndDeposit {
  TempRepo repo;
  std::string token = make_token();
  std::string deposit;

  RepoAndDeposit()
  {
    repo.write("upload.env", "ZENODO_TOKEN=" + token + "\n");
    repo.commit("Upload settings");
    repo.git({"tag", "v1.0"});
    repo.git({"rm", "-q", "upload.env"});
    repo.commit("Remove");
    deposit = repo.home() + "/deposit";
    write_file(deposit + "/config/zenodo.env", "ZENODO_TOKEN=" + token + "\n");
  }
};

} // namespace

TEST_CASE("several roots: one exposure per secret across roots", "[e2e][exposure][roots]")
{
  RepoAndDeposit s;
  auto r = s.repo.zenolint(
      {"scan", "--format", "json", "--show-secrets", "--progress", "never", ".", s.deposit});
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto report = json::parse(r.out);
  std::size_t with_token = 0;
  for (const auto& f : report.at("findings")) {
    if (f.at("secret") != s.token)
      continue;
    ++with_token;
    INFO(f.dump(2));
    REQUIRE(f.contains("exposure"));
    const auto& e = f.at("exposure");
    // In the deposit's files (a working tree of its own), in tag v1.0 of the repository.
    CHECK(e.at("in_head") == true);
    CHECK(e.at("tags") == json{"v1.0"});
    CHECK(e.at("branches") == json{"main"});
  }
  CHECK(with_token == 2); // the repository's history, the deposit's file

  // One secret in the text summary, in two places, still somewhere on disk, in the release tag.
  auto text = s.repo.zenolint({"scan", "--color", "never", "--progress", "never", ".", s.deposit});
  CHECK_THAT(text.out, Catch::Contains("1 leaked token (1 of unknown instance) in 2 places; 1 "
                                       "still in HEAD; 1 in release tag v1.0"));
}

TEST_CASE("several roots: --verify asks once per secret, whichever roots hold it",
          "[e2e][verify][roots][network]")
{
  RepoAndDeposit s;
  ZenodoApiServer server({{"production", {{s.token, "401"}}}, {"sandbox", {{s.token, "401"}}}});
  auto r = s.repo.zenolint({"scan", "--format", "json", "--verify", "--progress", "never", ".",
                            s.deposit, s.deposit + "/config"},
                           server.env());
  INFO(r.out << r.err);
  REQUIRE(r.status <= 1);
  std::size_t production = 0;
  for (const auto& req : server.requests())
    production += req.instance == "production" && req.authorization == "Bearer " + s.token;
  CHECK(production == 1);
  auto report = json::parse(r.out);
  std::size_t verified = 0;
  for (const auto& f : report.at("findings"))
    if (f.contains("verified")) {
      CHECK(f.at("verified") == "inactive");
      ++verified;
    }
  CHECK(verified >= 2);
}
