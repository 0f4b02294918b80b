// The summary in words (issues 11 and 15) and grouped diagnostics (issue 15), on real
// repositories: a secret's exposure counted per leaked token, files and history blobs apart, bytes
// in binary units, the elapsed time on a terminal; a real partial clone (`git clone
// --filter=blob:none`) whose missing blobs become one diagnostic unless --verbose.
#include "support/process.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using nlohmann::json;
using zenolint::test::make_token;
using zenolint::test::RunResult;
using zenolint::test::TempDir;
using zenolint::test::TempRepo;

namespace {

std::string last_lines(const std::string& text, std::size_t n)
{
  std::size_t at = text.size();
  if (at && text[at - 1] == '\n')
    --at;
  for (std::size_t i = 0; i < n && at != std::string::npos && at > 0; ++i)
    at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

// The issue's own example: a production token committed in upload.py, tagged v1.0, then deleted;
// a sandbox token still in HEAD, in two files.
struct IssueExample {
  TempRepo repo;
  std::string production = make_token();
  std::string sandbox = make_token();

  IssueExample()
  {
    repo.write("upload.py",
               "import requests\nZENODO_TOKEN = \"" + production +
                   "\"\nrequests.get(\"https://zenodo.org/api/deposit/depositions\")\n");
    repo.commit("Add upload script");
    repo.git({"tag", "v1.0"});
    repo.git({"rm", "-q", "upload.py"});
    repo.commit("Remove upload script");
    repo.write("test.env", "ZENODO_SANDBOX_TOKEN=" + sandbox + "\n");
    repo.write("ci/sandbox.env", "ZENODO_SANDBOX_TOKEN=" + sandbox + "\n");
    repo.commit("Test against the sandbox");
  }
};

} // namespace

TEST_CASE("summary: the issue's example in words, with files, commits and bytes", "[e2e][summary]")
{
  IssueExample ex;
  auto r = ex.repo.zenolint({"scan", "--color", "never", "--progress", "never"});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  auto tail = last_lines(r.out, 2);
  CHECK_THAT(tail, Catch::StartsWith("2 leaked tokens (1 production, 1 sandbox) in 3 places; 1 "
                                     "still in HEAD; 1 in release tag v1.0\n"));
  // Three findings: the sandbox token in two working-tree files, the production one in the
  // deleted upload.py. Two working-tree files and two blobs of history (upload.py, and the .env
  // content committed at two paths: one blob) over three commits; each unique blob read once.
  static const std::regex counters(
      R"(\n3 findings in 2 files and 2 blobs of history \(3 commits\); read 2 unique blobs, \d+ bytes; skipped 0 \(binary 0, too large 0, symlink 0, other 0\)\n$)");
  CHECK(std::regex_search(tail, counters));

  // The same counts in JSON, apart.
  auto j = ex.repo.zenolint({"scan", "--format", "json"});
  auto stats = json::parse(j.out).at("stats");
  CHECK(stats.at("files") == 2);
  CHECK(stats.at("history_blobs") == 2);
  CHECK(stats.at("commits") == 3);
}

TEST_CASE("summary: pushed and revoked words, and nothing leaked", "[e2e][summary]")
{
  IssueExample ex;
  TempDir remote;
  ex.repo.git({"init", "-q", "--bare", remote / "origin.git"});
  ex.repo.git({"remote", "add", "origin", remote / "origin.git"});
  ex.repo.git({"push", "-q", "origin", "main"});
  auto r = ex.repo.zenolint({"scan", "--color", "never", "--progress", "never"});
  CHECK_THAT(r.out, Catch::Contains("2 leaked tokens (1 production, 1 sandbox) in 3 places; 1 "
                                    "still in HEAD; 2 pushed; 1 in release tag v1.0\n"));

  TempRepo clean;
  clean.write("README.md", "# nothing to see\n");
  clean.commit("Start");
  auto c = clean.zenolint({"scan", "--color", "never", "--progress", "never"});
  CHECK(c.status == 0);
  CHECK_THAT(c.out, Catch::StartsWith("no leaked tokens\n0 findings in 1 file and 1 blob of "
                                      "history (1 commit); read 1 unique blob, 17 bytes; "));
}

TEST_CASE("summary: elapsed time only on a terminal, bytes in binary units", "[e2e][summary]")
{
  TempRepo repo;
  repo.write("data/big.txt", std::string(5 * 1024 * 1024 / 2, 'x') + "\n");
  repo.write("notes.txt", "nothing\n");
  auto piped = repo.zenolint({"scan", "--no-history", "--progress", "never"});
  CHECK(piped.status == 0);
  CHECK_THAT(piped.out, Catch::Contains("0 findings in 2 files; read 2 unique blobs, 2.5 MiB; "));

  // script(1) gives zenolint a real terminal on stdout.
  auto opts = repo.options();
  auto tty = zenolint::test::run(
      {"script", "-qec",
       std::string("'") + ZENOLINT_BINARY + "' scan --no-history --progress never --color never",
       "/dev/null"},
      opts);
  INFO(tty.out << tty.err);
  static const std::regex timed(R"(read 2 unique blobs, 2\.5 MiB in \d+\.\d\d s; skipped 0)");
  CHECK(std::regex_search(tty.out, timed));
}

namespace {

// An origin with history whose blobs a blob:none clone does not fetch: `removed` files deleted
// before the tip (never checked out by the clone), one token still at the tip.
struct PartialClone {
  TempRepo origin;
  TempDir dir;
  std::string clone;
  std::string token = make_token();
  std::set<std::string> missing; // ids git itself reports missing in the clone

  explicit PartialClone(int removed)
  {
    for (int i = 0; i < removed; ++i)
      origin.write("old/file" + std::to_string(i) + ".txt",
                   "version one of file " + std::to_string(i) + "\n");
    origin.commit("Old files");
    origin.git({"rm", "-q", "-r", "old"});
    origin.write("deploy.env", "ZENODO_TOKEN=" + token + "\n");
    origin.commit("New layout");
    origin.git({"config", "uploadpack.allowFilter", "true"});
    clone = dir / "clone";
    origin.git({"clone", "-q", "--filter=blob:none", "file://" + origin.path(), clone});
    auto listing = zenolint::test::must_run(
        {"git", "-C", clone, "rev-list", "--objects", "--all", "--missing=print"},
        origin.options());
    std::istringstream in(listing);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '?')
        missing.insert(line.substr(1));
  }

  RunResult scan(std::vector<std::string> extra) const
  {
    std::vector<std::string> args{"scan", "--progress", "never", "--color", "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(clone);
    return zenolint::test::zenolint(args, origin.options());
  }
};

} // namespace

TEST_CASE("diagnostics: a partial clone's missing blobs are one diagnostic, each with --verbose",
          "[e2e][summary][diagnostics]")
{
  PartialClone pc(25);
  REQUIRE(pc.missing.size() == 25);

  auto r = pc.scan({"--format", "json", "--show-secrets"});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  auto report = json::parse(r.out);
  // The token at the tip was checked out, so it is read and found.
  std::size_t found = 0;
  for (const auto& f : report.at("findings"))
    found += f.at("secret") == pc.token ? 1 : 0;
  CHECK(found >= 1);
  REQUIRE(report.at("diagnostics").size() == 1);
  auto message = report.at("diagnostics")[0].at("message").get<std::string>();
  CHECK_THAT(message, Catch::StartsWith("25 objects are not in this partial clone (promisor "
                                        "pack); not fetched, so not scanned"));
  CHECK_THAT(message, Catch::Contains("see --verbose"));
  // The paths where the objects were expected, the first five of them.
  CHECK_THAT(message, Catch::Contains("Expected at old/file"));
  CHECK_THAT(message, Catch::Contains(" and 20 more"));
  // One line on stderr, not 25.
  std::size_t lines = 0;
  for (char c : r.err)
    lines += c == '\n' ? 1 : 0;
  CHECK(lines == 1);

  auto v = pc.scan({"--format", "json", "--verbose"});
  auto verbose = json::parse(v.out);
  REQUIRE(verbose.at("diagnostics").size() == 25);
  std::set<std::string> named, subjects;
  for (const auto& d : verbose.at("diagnostics")) {
    auto m = d.at("message").get<std::string>();
    CHECK_THAT(m, Catch::Contains("not in this partial clone"));
    subjects.insert(d.at("subject").get<std::string>());
    for (const auto& id : pc.missing)
      if (m.find(id) != std::string::npos)
        named.insert(id);
  }
  CHECK(named == pc.missing); // every missing object, by id
  for (int i = 0; i < 25; ++i)
    CHECK(subjects.count("old/file" + std::to_string(i) + ".txt") == 1); // and by path

  // The text report's summary counts the one diagnostic; the text lists it on stderr.
  auto text = pc.scan({});
  CHECK_THAT(text.out, Catch::EndsWith("; 1 diagnostics\n"));
  CHECK_THAT(text.err, Catch::Contains("25 objects are not in this partial clone"));
}

TEST_CASE("diagnostics: one object missing from a partial clone stays one diagnostic",
          "[e2e][summary][diagnostics]")
{
  PartialClone pc(1);
  REQUIRE(pc.missing.size() == 1);
  auto report = json::parse(pc.scan({"--format", "json"}).out);
  REQUIRE(report.at("diagnostics").size() == 1);
  const auto& d = report.at("diagnostics")[0];
  CHECK(d.at("subject") == "old/file0.txt");
  CHECK_THAT(d.at("message").get<std::string>(),
             Catch::Contains(*pc.missing.begin()) && Catch::Contains("not in this partial clone"));
}
