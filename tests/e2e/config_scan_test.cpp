// Credential-file checks during `zenolint scan`, on real repositories built with the git CLI.
#include "checks/credential_file.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>

using namespace zenolint::test;
using nlohmann::json;

namespace {

json scan_json(const TempRepo& repo, std::vector<std::string> extra = {})
{
  std::vector<std::string> args{"scan", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = repo.zenolint(args);
  INFO(r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  return json::parse(r.out);
}

std::vector<json> findings(const json& report, const std::string& rule, const std::string& path)
{
  std::vector<json> out;
  for (const auto& f : report["findings"])
    if (f["rule"] == rule && f["path"] == path)
      out.push_back(f);
  return out;
}

void set_mode(const std::string& path, mode_t mode)
{
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

unsigned mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

} // namespace

TEST_CASE("scan: tracked, historical and unignored credential files", "[config-scan]")
{
  TempRepo repo;
  repo.write(".zenodorc", "[ZENODO]\ntoken = <FIXME>\n");
  repo.write("README", "hello\n");
  repo.commit("add rc");
  repo.git({"rm", "-q", "--cached", ".zenodorc"});
  repo.write(".gitignore", ".zenodo_token\n");
  repo.git({"add", ".gitignore"});
  repo.git({"commit", "-q", "-m", "untrack rc"}); // not commit(): its 'git add -A' would re-add
  repo.write("conf/.zenodo.toml", "[tokens]\nsandbox = \"<FIXME>\"\n");
  repo.git({"add", "conf/.zenodo.toml"});
  repo.write(".zenodo_token", "ACCESS_TOKEN: <FIXME>\n");
  for (auto p : {".zenodorc", "conf/.zenodo.toml", ".zenodo_token"})
    set_mode(repo / p, 0600);

  auto j = scan_json(repo);
  INFO(j.dump(2));
  auto hist = findings(j, "config/tracked-credential-file", ".zenodorc");
  REQUIRE(hist.size() == 2); // in history (error) and not ignored now (warning)
  std::set<std::string> sev{hist[0]["severity"], hist[1]["severity"]};
  CHECK(sev == std::set<std::string>{"error", "warning"});
  bool saw_history = false;
  for (const auto& f : hist)
    if (f["severity"] == "error") {
      saw_history = true;
      CHECK(f["message"].get<std::string>().find("present in git history") != std::string::npos);
      CHECK(f["source"] == "history");
    }
  CHECK(saw_history);
  auto tracked = findings(j, "config/tracked-credential-file", "conf/.zenodo.toml");
  REQUIRE(tracked.size() == 1);
  CHECK(tracked[0]["severity"] == "error");
  CHECK(tracked[0]["message"].get<std::string>().find("tracked by git") != std::string::npos);
  CHECK(findings(j, "config/tracked-credential-file", ".zenodo_token").empty()); // ignored
  // The placeholder note of the ignored zenodopy file shows that it was found and parsed.
  CHECK(findings(j, "config/placeholder-token", ".zenodo_token").size() == 1);
  // --no-history leaves history alone.
  auto nh = scan_json(repo, {"--no-history"});
  CHECK(findings(nh, "config/tracked-credential-file", ".zenodorc").size() == 1);
}

TEST_CASE("scan: permissions of client files and untracked token files only", "[config-scan]")
{
  TempRepo repo;
  auto t1 = make_token(), t2 = make_token(), t3 = make_token();
  repo.write("tracked.env", "ZENODO_TOKEN=" + t1 + "\n");
  repo.commit("oops");
  repo.write(".gitignore", "secret.env\nprivate/\n");
  repo.write("secret.env", "ZENODO_TOKEN=" + t2 + "\n"); // ignored: not scanned at all
  repo.write("local.env", "ZENODO_TOKEN=" + t3 + "\n");  // untracked, not ignored
  repo.write("private/.zenodorc", "[ZENODO]\nMYTOKEN_ALL = <FIXME>\n"); // ignored directory
  repo.write("private/keep.txt", "x\n");
  for (auto p : {"tracked.env", "secret.env", "local.env", "private/.zenodorc"})
    set_mode(repo / p, 0644);

  auto j = scan_json(repo);
  INFO(j.dump(2));
  CHECK(findings(j, "config/loose-permissions", "tracked.env").empty());
  CHECK(findings(j, "zenodo/assignment", "tracked.env").size() == 1);
  CHECK(findings(j, "config/tracked-credential-file", "tracked.env").empty());
  auto local = findings(j, "config/loose-permissions", "local.env");
  REQUIRE(local.size() == 1);
  CHECK(local[0]["message"].get<std::string>().find("mode 0644") != std::string::npos);
  CHECK(findings(j, "config/tracked-credential-file", "local.env").size() == 1);
  for (const auto& f : j["findings"]) {
    CHECK(f["path"] != "secret.env");
    if (f["rule"].get<std::string>().rfind("config/", 0) == 0)
      CHECK(f["secret"] == "");
  }
  CHECK(j.dump().find(t3) == std::string::npos);

  // --fix: modes of credential files set to 0600, nothing else changes.
  std::string before = read_file(repo / "local.env");
  auto r = repo.zenolint({"scan", "--fix", "--format", "json"});
  CHECK(r.err.find("zenolint: fixed: local.env: mode 0644 -> 0600") != std::string::npos);
  CHECK(mode_of(repo / "local.env") == 0600);
  CHECK(read_file(repo / "local.env") == before);
  CHECK(mode_of(repo / "tracked.env") == 0644); // tracked source file: not a fix target
  CHECK(mode_of(repo / "secret.env") == 0644);  // never read
  CHECK(findings(json::parse(r.out), "config/loose-permissions", "local.env").empty());
}

TEST_CASE("scan --fix on a clone tracking .zenodorc -> ../diary.txt leaves the victim alone",
          "[config-scan]")
{
  TempDir base;
  {
    TempRepo origin;
    origin.write("README", "hello\n");
    std::filesystem::create_symlink("../diary.txt", origin / ".zenodorc");
    origin.commit("a link");
    must_run({"git", "clone", "-q", origin.path(), base / "clone"}, origin.options());
  }
  write_file(base / "diary.txt", "dear diary\n");
  set_mode(base / "diary.txt", 0644);
  REQUIRE(std::filesystem::is_symlink(base / "clone/.zenodorc"));

  RunOptions o;
  o.cwd = base / "clone";
  o.env = {{"HOME", base.path()}, {"NO_COLOR", "1"}};
  auto r = run_zenolint({"scan", "--fix", "--format", "json"}, o);
  INFO(r.err);
  REQUIRE((r.status == 0 || r.status == 1));
  CHECK(mode_of(base / "diary.txt") == 0644);
  CHECK(read_file(base / "diary.txt") == "dear diary\n");
  CHECK(r.err.find("zenolint: fixed") == std::string::npos);
  auto j = json::parse(r.out);
  // The link is reported: the target's loose mode is a finding naming the link, and --fix says
  // why it did not change it.
  auto perm = findings(j, "config/loose-permissions", ".zenodorc");
  REQUIRE(perm.size() == 1);
  CHECK(perm[0]["message"].get<std::string>().find("symbolic link to") != std::string::npos);
  CHECK(j["diagnostics"].dump().find("--fix never writes through a link") != std::string::npos);
}

TEST_CASE("scan --fix leaves a credential file owned by another user alone", "[config-scan]")
{
  TempRepo repo;
  repo.write("README", "hello\n");
  repo.commit("readme");
  repo.write(".zenodo_token", "ACCESS_TOKEN: <FIXME>\n");
  set_mode(repo / ".zenodo_token", 0644);
  REQUIRE(::chown((repo / ".zenodo_token").c_str(), 65534, 65534) == 0);
  auto r = repo.zenolint({"scan", "--fix", "--format", "json"});
  CHECK(mode_of(repo / ".zenodo_token") == 0644);
  CHECK(json::parse(r.out)["diagnostics"].dump().find("not changed: owned by uid 65534") !=
        std::string::npos);
}

TEST_CASE("scan: an ignored credential file in an ignored directory next to tracked files",
          "[config-scan]")
{
  TempRepo repo;
  repo.write(".gitignore", ".zenodorc\n");
  repo.write("app/main.py", "print()\n");
  repo.write("app/.zenodorc", "[SANDBOX]\nMYTOKEN_PROD = " + make_token() + "\n");
  set_mode(repo / "app/.zenodorc", 0666);
  repo.commit("app");
  auto j = scan_json(repo);
  INFO(j.dump(2));
  auto perm = findings(j, "config/loose-permissions", "app/.zenodorc");
  REQUIRE(perm.size() == 1);
  CHECK(perm[0]["severity"] == "error");
  auto label = findings(j, "config/misleading-label", "app/.zenodorc");
  REQUIRE(label.size() == 1);
  CHECK(label[0]["line"] == 2);
  CHECK(findings(j, "config/tracked-credential-file", "app/.zenodorc").empty());
}

TEST_CASE("scan: INI files with a [zenodo] section get label checks", "[config-scan]")
{
  TempRepo repo;
  repo.write("settings.ini", "[zenodo]\nupload_sb = " + make_token() + "\n");
  repo.commit("settings");
  auto j = scan_json(repo);
  auto f = findings(j, "config/misleading-label", "settings.ini");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["message"].get<std::string>().find("move it to [sandbox] as upload_sb") !=
        std::string::npos);
  CHECK(findings(j, "config/loose-permissions", "settings.ini").empty()); // tracked
}

TEST_CASE("scan: a clean repository with a correct 0600 ignored zenodorc has no finding",
          "[config-scan]")
{
  TempRepo repo;
  repo.write(".gitignore", ".zenodorc\n");
  repo.write(".zenodorc", "[ZENODO]\nMYTOKEN_ALL = " + make_token() +
                              "\n[SANDBOX]\nMYTOKEN_ALL_SB = " + make_token() + "\n");
  set_mode(repo / ".zenodorc", 0600);
  repo.commit("ignore");
  auto r = repo.zenolint({"scan"});
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("0 findings") != std::string::npos);
}

TEST_CASE("scan outside a repository checks client files in the directory", "[config-scan]")
{
  TempDir dir;
  write_file(dir / "cfg/.zenodo_token", "ACCESS_TOKEN: " + make_token() + "\n");
  set_mode(dir / "cfg/.zenodo_token", 0660);
  RunOptions o;
  o.env = {{"NO_COLOR", "1"}};
  auto r = zenolint::test::zenolint({"scan", dir.path(), "--format", "json"}, o);
  REQUIRE(r.status == 1);
  auto j = json::parse(r.out);
  auto f = findings(j, "config/loose-permissions", "cfg/.zenodo_token");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["severity"] == "error");
}

TEST_CASE("scan: every credential-file format's names are watched in history",
          "[config-scan][history]")
{
  // Iterates the one table of formats, so a new entry is covered without touching this test: its
  // file, committed and then deleted, must be found by the history walk alone.
  for (const auto& format : zenolint::checks::file_formats())
    for (auto name : format.file_names) {
      DYNAMIC_SECTION(format.description << ": " << name)
      {
        TempRepo repo;
        std::string path = "deep/dir/" + std::string(name);
        repo.write("README.md", "readme\n");
        repo.write(path, "placeholder\n");
        repo.commit("Add " + path);
        repo.git({"rm", "-q", path});
        repo.git({"commit", "-q", "-m", "Remove it"});
        REQUIRE(!std::filesystem::exists(repo / path));
        auto j = scan_json(repo);
        INFO(j.dump(2));
        auto hist = findings(j, "config/tracked-credential-file", path);
        REQUIRE(hist.size() == 1);
        CHECK(hist[0]["severity"] == "error");
        CHECK(hist[0]["source"] == "history");
        // And the same name outside history (in the working tree) is the format it names.
        CHECK(zenolint::checks::kind_from_name(name) == format.kind);
      }
    }
}
