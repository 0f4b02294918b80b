// `zenolint scan --release REV`: exactly the files `git archive REV` writes (what a GitHub release
// and Zenodo's GitHub integration publish), with export-ignore honoured.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace zenolint::test;
using nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.back() != '/')
      out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("release: --release scans what git archive publishes, export-ignore left out", "[e2e][release]")
{
  TempRepo repo;
  std::string shipped = make_token(), ignored = make_token(), later = make_token();
  repo.write(".gitattributes", "/tests export-ignore\n"
                               "dev/ export-ignore\n"
                               "*.secret export-ignore\n"
                               "VERSION export-subst\n");
  repo.write("VERSION", "commit $Format:%H$\n");
  repo.write("src/upload.py", "ZENODO_TOKEN = '" + shipped + "'\n");
  repo.write("tests/fixture.env", "ZENODO_TOKEN=" + ignored + "\n");
  repo.write("dev/notes.env", "ZENODO_TOKEN=" + ignored + "\n");
  repo.write("local.secret", "ZENODO_TOKEN=" + ignored + "\n");
  repo.write("pkg/cfg/.zenodorc", "[ZENODO]\ntoken = " + shipped + "\n");
  must_run({"bsdtar", "-czf", repo / "data.tar.gz", "-C", repo / "pkg", "cfg"}, repo.options());
  repo.git({"rm", "-rq", "--cached", "--ignore-unmatch", "pkg"});
  std::string tagged = repo.commit("Release 1.0");
  repo.git({"tag", "-a", "v1.0", "-m", "v1.0"});
  // After the tag: neither the working tree nor later commits are part of the release.
  repo.write("src/later.py", "ZENODO_TOKEN = '" + later + "'\n");
  repo.commit("After the release");

  auto r = repo.zenolint({"scan", "--format", "json", "--release", "v1.0"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  CHECK(doc["scan"] == "release");
  const auto& rel = doc["release"];
  CHECK(rel["rev"] == "v1.0");
  CHECK(rel["commit"]["commit"] == tagged);
  // Exactly the files of `git archive v1.0`.
  auto archived = lines_of(must_run({"bsdtar", "-tf", "-"}, [&] {
    RunOptions o = repo.options();
    o.stdin_data = repo.git({"archive", "--format=tar", "v1.0"});
    return o;
  }()));
  CHECK(rel["published"].get<std::vector<std::string>>() == archived);
  CHECK(rel["published"] == json::array({".gitattributes", "VERSION", "data.tar.gz",
                                         "pkg/cfg/.zenodorc", "src/upload.py"}));
  CHECK(rel["excluded"] == json::array({"dev/notes.env", "local.secret", "tests/fixture.env"}));
  // Which secrets the published files hold (the archive member too); nothing else.
  std::vector<std::string> paths;
  for (const auto& f : doc["findings"]) {
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) != 0)
      continue;
    paths.push_back(f["path"]);
    CHECK(f["source"] == "release");
    CHECK(f["commit"] == tagged);
  }
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"data.tar.gz!cfg/.zenodorc", "pkg/cfg/.zenodorc",
                                          "src/upload.py"});
  CHECK(r.out.find(ignored.substr(0, 4) + "\u2026") == std::string::npos);

  auto text = repo.zenolint({"scan", "--release", "v1.0"});
  CHECK_THAT(text.out, Catch::Contains("release v1.0 (commit " + tagged.substr(0, 12) +
                                       "): 5 files would be published, 3 of them with findings; "
                                       "3 left out by export-ignore"));
}

TEST_CASE("release: a clean release exits 0; bad revisions and combinations exit 2",
          "[e2e][release]")
{
  TempRepo repo;
  repo.write(".gitattributes", "secrets/ export-ignore\n");
  repo.write("README.md", "hello\n");
  repo.write("secrets/deploy.env", "ZENODO_TOKEN=" + make_token() + "\n");
  repo.commit("init");
  auto clean = repo.zenolint({"scan", "--release", "HEAD"});
  INFO(clean.out << clean.err);
  CHECK(clean.status == 0);
  CHECK_THAT(clean.out, Catch::Contains("2 files would be published, 0 of them with findings"));
  // The plain scan still sees the secret the release leaves out.
  CHECK(repo.zenolint({"scan"}).status == 1);
  CHECK(repo.zenolint({"scan", "--release", "no-such-tag"}).status == 2);
  CHECK(repo.zenolint({"scan", "--release", "--upload-pack=evil"}).status == 2);
  CHECK(repo.zenolint({"scan", "--release", "HEAD", "--staged"}).status == 2);
  TempDir plain;
  CHECK(run_zenolint({"scan", "--release", "HEAD", plain.path()}).status == 2);
}
