// `zenolint config check` on real files with real modes in a temporary $HOME.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace zenolint::test;
using nlohmann::json;

namespace {

struct Home {
  TempDir dir;
  RunOptions options() const
  {
    RunOptions o;
    o.env = {{"HOME", dir.path()}, {"XDG_CONFIG_HOME", ""}, {"NO_COLOR", "1"}};
    return o;
  }
  std::string put(const std::string& rel, const std::string& content, mode_t mode) const
  {
    std::string p = dir / rel;
    write_file(p, content);
    REQUIRE(::chmod(p.c_str(), mode) == 0);
    return p;
  }
  RunResult check(std::vector<std::string> args) const
  {
    std::vector<std::string> a{"config", "check"};
    a.insert(a.end(), args.begin(), args.end());
    return zenolint::test::zenolint(a, options());
  }
  json check_json(std::vector<std::string> args = {}) const
  {
    args.push_back("--format");
    args.push_back("json");
    auto r = check(args);
    INFO(r.err);
    REQUIRE((r.status == 0 || r.status == 1));
    return json::parse(r.out);
  }
};

unsigned mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<json> with_rule(const json& report, const std::string& rule)
{
  std::vector<json> out;
  for (const auto& f : report["findings"])
    if (f["rule"] == rule)
      out.push_back(f);
  return out;
}

std::string good_zenodorc()
{
  return "[ZENODO]\nMYTOKEN_ALL = " + make_token() +
         "\n\n[SANDBOX]\nMYTOKEN_ALL_SB = " + make_token() + "\n";
}

} // namespace

TEST_CASE("a correctly labelled 0600 zenodorc in HOME has no finding", "[config]")
{
  Home home;
  home.put(".zenodorc", good_zenodorc(), 0600);
  home.put(".zenodo_token", "ACCESS_TOKEN: " + make_token() + "\n", 0600);
  auto r = home.check({});
  CHECK(r.status == 0);
  CHECK(r.out.find("0 findings in 2 files") != std::string::npos);
  auto j = home.check_json();
  CHECK(j["findings"].empty());
  CHECK(j["diagnostics"].empty());
}

TEST_CASE("modes: readable is a warning, writable an error, with the fix", "[config]")
{
  struct Case {
    mode_t mode;
    const char* severity;
    const char* text;
  };
  for (auto c : {Case{0640, "warning", "mode 0640: readable by group"},
                 Case{0644, "warning", "mode 0644: readable by group and others"},
                 Case{0660, "error", "mode 0660: writable by group"},
                 Case{0666, "error", "mode 0666: writable by group and others"},
                 Case{0604, "warning", "mode 0604: readable by others"}}) {
    Home home;
    auto p = home.put(".zenodorc", good_zenodorc(), c.mode);
    auto j = home.check_json();
    auto f = with_rule(j, "config/loose-permissions");
    INFO(j.dump(2));
    REQUIRE(f.size() == 1);
    CHECK(f[0]["severity"] == c.severity);
    std::string msg = f[0]["message"];
    CHECK(msg.find(c.text) != std::string::npos);
    CHECK(msg.find("chmod 600 " + p) != std::string::npos);
    CHECK(f[0]["path"] == p);
  }
}

TEST_CASE("a group-writable parent directory up to HOME is a finding; sticky is not", "[config]")
{
  Home home;
  auto xdg = home.dir / ".config";
  auto p =
      home.put(".config/.zenodo.toml", "[tokens]\nproduction = \"" + make_token() + "\"\n", 0600);
  REQUIRE(::chmod(xdg.c_str(), 0775) == 0);
  auto j = home.check_json();
  auto f = with_rule(j, "config/loose-permissions");
  INFO(j.dump(2));
  REQUIRE(f.size() == 1);
  CHECK(f[0]["severity"] == "error");
  CHECK(f[0]["message"].get<std::string>().find("directory " + xdg + " (mode 0775)") !=
        std::string::npos);
  CHECK(f[0]["message"].get<std::string>().find("chmod go-w " + xdg) != std::string::npos);

  REQUIRE(::chmod(xdg.c_str(), 01777) == 0); // like /tmp
  CHECK(with_rule(home.check_json(), "config/loose-permissions").empty());
  REQUIRE(::chmod(xdg.c_str(), 0755) == 0);
  CHECK(with_rule(home.check_json(), "config/loose-permissions").empty());
}

TEST_CASE("XDG_CONFIG_HOME and its zenodo directory are checked", "[config]")
{
  Home home;
  TempDir xdg;
  write_file(xdg / "zenodo/.zenodorc", good_zenodorc());
  REQUIRE(::chmod((xdg / "zenodo/.zenodorc").c_str(), 0644) == 0);
  auto o = home.options();
  o.env["XDG_CONFIG_HOME"] = xdg.path();
  auto r = zenolint::test::zenolint({"config", "check", "--format", "json"}, o);
  REQUIRE(r.status == 1);
  auto f = with_rule(json::parse(r.out), "config/loose-permissions");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["path"] == xdg / "zenodo/.zenodorc");
}

TEST_CASE("a file owned by another user is a finding", "[config]")
{
  Home home;
  auto p = home.put(".zenodorc", good_zenodorc(), 0600);
  // The test suite runs as root, which may give a file away.
  REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
  auto j = home.check_json();
  auto f = with_rule(j, "config/loose-permissions");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["severity"] == "warning");
  CHECK(f[0]["message"].get<std::string>().find("owned by uid 65534") != std::string::npos);
}

TEST_CASE("fix mode leaves a file owned by another user alone", "[config]")
{
  Home home;
  auto p = home.put(".zenodorc", good_zenodorc(), 0644);
  REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
  auto r = home.check({"--fix", "--format", "json"});
  CHECK(mode_of(p) == 0644);
  CHECK(r.err.find("zenolint: fixed") == std::string::npos);
  auto j = json::parse(r.out);
  CHECK(with_rule(j, "config/loose-permissions").size() == 2); // mode and owner
  CHECK(j["diagnostics"].dump().find("--fix: not changed: owned by uid 65534") !=
        std::string::npos);
}

TEST_CASE("fix mode does not follow a symlinked directory out of HOME", "[config]")
{
  // ~/.config is a link to a directory elsewhere: the zenodorc there is checked, never changed.
  Home home;
  TempDir elsewhere;
  write_file(elsewhere / "zenodo/.zenodorc", good_zenodorc());
  REQUIRE(::chmod((elsewhere / "zenodo/.zenodorc").c_str(), 0644) == 0);
  std::filesystem::create_symlink(elsewhere.path(), home.dir / ".config");
  auto r = home.check({"--fix", "--format", "json"});
  CHECK(mode_of(elsewhere / "zenodo/.zenodorc") == 0644);
  auto j = json::parse(r.out);
  CHECK(with_rule(j, "config/loose-permissions").size() == 1);
  CHECK(j["diagnostics"].dump().find("directory " + home.dir / ".config" + " is a symbolic link") !=
        std::string::npos);
}

TEST_CASE("fix mode changes named files only inside HOME", "[config]")
{
  Home home;
  TempDir elsewhere;
  auto outside = elsewhere / "zenodo.ini";
  write_file(outside, good_zenodorc());
  REQUIRE(::chmod(outside.c_str(), 0644) == 0);
  auto inside = home.put("zenodo.ini", good_zenodorc(), 0644);
  auto r = home.check({"--fix", outside, inside});
  CHECK(mode_of(outside) == 0644);
  CHECK(mode_of(inside) == 0600);
  CHECK(r.err.find("zenolint: fixed: " + inside + ": mode 0644 -> 0600") != std::string::npos);
  CHECK(r.err.find("--fix: not changed: outside " + home.dir.path()) != std::string::npos);
}

TEST_CASE("label cases in a zenodorc", "[config]")
{
  Home home;
  auto shared = make_token();
  home.put(".zenodorc",
           "[ZENODO]\n"
           "MYTOKEN_ALL_SB = " +
               make_token() +
               "\n" // 2: says sandbox in production
               "work = " +
               shared +
               "\n" // 3
               "ci-sandbox = " +
               make_token() +
               "\n" // 4: suffix
               "\n[SANDBOX]\n"
               "MYTOKEN_PROD = " +
               make_token() +
               "\n" // 7: says production in sandbox
               "token_live = " +
               make_token() +
               "\n" // 8
               "play = " +
               shared +
               "\n" // 9: same token as line 3
               "Play = " +
               make_token() + "\n", // 10: duplicate of 'play' (configparser folds case)
           0600);
  auto j = home.check_json();
  auto f = with_rule(j, "config/misleading-label");
  INFO(j.dump(2));
  REQUIRE(f.size() == 6);
  std::map<int, std::string> by_line;
  for (const auto& x : f)
    by_line[x["line"].get<int>()] += x["message"].get<std::string>() + "|";
  CHECK(by_line[2].find("label 'MYTOKEN_ALL_SB' says sandbox, but it is in [ZENODO]") !=
        std::string::npos);
  CHECK(by_line[2].find("move it to [SANDBOX] as MYTOKEN_ALL_SB") != std::string::npos);
  CHECK(by_line[2].find("rename the label to MYTOKEN_ALL") != std::string::npos);
  CHECK(by_line[4].find("'ci-sandbox' says sandbox") != std::string::npos);
  CHECK(by_line[7].find("'MYTOKEN_PROD' says production, but it is in [SANDBOX]") !=
        std::string::npos);
  CHECK(by_line[7].find("rename the label to MYTOKEN_SB") != std::string::npos);
  CHECK(by_line[8].find("'token_live' says production") != std::string::npos);
  CHECK(by_line[9].find("same token as under 'work' in [ZENODO] (production, line 3)") !=
        std::string::npos);
  CHECK(by_line[10].find("appears twice in [SANDBOX] (lines 9 and 10)") != std::string::npos);
  for (const auto& x : f) {
    CHECK(x["severity"] == "warning");
    CHECK(x["secret"] == "");
  }
  CHECK(j.dump().find(shared) == std::string::npos);
}

TEST_CASE("zenodopy: sandbox key with the production token", "[config]")
{
  Home home;
  auto t = make_token();
  home.put(".zenodo_token", "ACCESS_TOKEN: " + t + "\nACCESS_TOKEN-sandbox: " + t + "\n", 0600);
  auto j = home.check_json();
  auto f = with_rule(j, "config/misleading-label");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["line"] == 2);
  CHECK(f[0]["message"].get<std::string>().find(
            "ACCESS_TOKEN-sandbox holds the same token as ACCESS_TOKEN (line 1)") !=
        std::string::npos);
  CHECK(j.dump().find(t) == std::string::npos);
}

TEST_CASE("placeholders in the default section are notes", "[config]")
{
  Home home;
  home.put(".zenodorc", "[ZENODO]\ntoken = <FIXME>\n\n[SANDBOX]\ntoken = <FIXME>\n", 0600);
  home.put(".zenodo_token", "ACCESS_TOKEN: your_access_token_here\n", 0600);
  home.put(".zenodo.toml", "[tokens]\nproduction = \"\"\n", 0600);
  auto r = home.check({"--format", "json"});
  CHECK(r.status == 0); // notes are below the default --fail-on warning
  auto f = with_rule(json::parse(r.out), "config/placeholder-token");
  REQUIRE(f.size() == 3);
  for (const auto& x : f)
    CHECK(x["severity"] == "note");
  CHECK(home.check({"--fail-on", "note"}).status == 1);
}

TEST_CASE("fix mode sets 0600, keeps content, reports each change", "[config]")
{
  Home home;
  std::string rc = "[ZENODO]\nMYTOKEN_ALL_SB = " + make_token() + "\n";
  std::string tok = "ACCESS_TOKEN: " + make_token() + "\n";
  auto p1 = home.put(".zenodorc", rc, 0644);
  auto p2 = home.put(".zenodo_token", tok, 0666);
  auto r = home.check({"--fix", "--format", "json"});
  INFO(r.err);
  CHECK(mode_of(p1) == 0600);
  CHECK(mode_of(p2) == 0600);
  CHECK(read_file(p1) == rc);
  CHECK(read_file(p2) == tok);
  CHECK(r.err.find("zenolint: fixed: " + p1 + ": mode 0644 -> 0600") != std::string::npos);
  CHECK(r.err.find("zenolint: fixed: " + p2 + ": mode 0666 -> 0600") != std::string::npos);
  auto j = json::parse(r.out);
  CHECK(with_rule(j, "config/loose-permissions").empty());
  // The label is never rewritten; its finding stays.
  CHECK(with_rule(j, "config/misleading-label").size() == 1);
  CHECK(r.status == 1);
  // A second run has nothing to fix.
  auto again = home.check({"--fix"});
  CHECK(again.err.find("fixed") == std::string::npos);
}

TEST_CASE("bad input: diagnostics name the file, the rest is still checked", "[config]")
{
  Home home;
  auto t = make_token();
  home.put(".zenodorc",
           "\xEF\xBB\xBFkey = " + t + "\r\n[ZENODO]\r\n[ZENODO]\r\nA_SB = " + make_token() +
               "\r\n  continued\r\njunk line\r\n",
           0644);
  std::filesystem::create_directories(home.dir / ".zenodo_token"); // a directory
  auto big = home.put(".zenodo.toml", std::string(2u << 20, '#'), 0600);
  auto r = home.check({"--format", "json"});
  REQUIRE(r.status == 1);
  auto j = json::parse(r.out);
  std::string diags = j["diagnostics"].dump();
  auto rc = home.dir / ".zenodorc";
  CHECK(diags.find(rc + ":1") != std::string::npos);
  CHECK(diags.find("byte-order mark") != std::string::npos);
  CHECK(diags.find("MissingSectionHeaderError") != std::string::npos);
  CHECK(diags.find(rc + ":3") != std::string::npos); // duplicate section
  CHECK(diags.find("continues the value of 'A_SB'") != std::string::npos);
  CHECK(diags.find("ParsingError") != std::string::npos);
  CHECK(diags.find(home.dir / ".zenodo_token") != std::string::npos);
  CHECK(diags.find("is a directory") != std::string::npos);
  CHECK(diags.find(big) != std::string::npos);
  CHECK(diags.find("more than 1 MiB") != std::string::npos);
  CHECK(diags.find(t) == std::string::npos);
  // The malformed file is still checked.
  CHECK(with_rule(j, "config/loose-permissions").size() == 1);
  CHECK(with_rule(j, "config/misleading-label").size() == 1);
}

TEST_CASE("a symlink: the target is checked, the link is reported", "[config]")
{
  Home home;
  TempDir elsewhere;
  write_file(elsewhere / "real-rc", "[ZENODO]\nx_sb = " + make_token() + "\n");
  REQUIRE(::chmod((elsewhere / "real-rc").c_str(), 0644) == 0);
  auto link = home.dir / ".zenodorc";
  std::filesystem::create_symlink(elsewhere / "real-rc", link);
  auto j = home.check_json();
  auto perm = with_rule(j, "config/loose-permissions");
  REQUIRE(perm.size() == 1);
  CHECK(perm[0]["path"] == link);
  CHECK(perm[0]["message"].get<std::string>().find("symbolic link to " + elsewhere / "real-rc") !=
        std::string::npos);
  CHECK(with_rule(j, "config/misleading-label").size() == 1);

  // --fix never writes through a link: the target keeps its mode, a diagnostic says why.
  auto r = home.check({"--fix", "--format", "json"});
  CHECK(mode_of(elsewhere / "real-rc") == 0644);
  CHECK(r.err.find("zenolint: fixed") == std::string::npos);
  auto fixed = json::parse(r.out);
  CHECK(with_rule(fixed, "config/loose-permissions").size() == 1);
  CHECK(fixed["diagnostics"].dump().find(
            "--fix: not changed: a symbolic link; --fix never writes through a link") !=
        std::string::npos);

  // A dangling link is a diagnostic.
  Home h2;
  std::filesystem::create_symlink(h2.dir / "missing", h2.dir / ".zenodo_token");
  auto j2 = h2.check_json();
  CHECK(j2["findings"].empty());
  CHECK(j2["diagnostics"].dump().find("symbolic link whose target cannot be resolved") !=
        std::string::npos);
}

TEST_CASE("named files: checked whatever their name; a missing one exits 2", "[config]")
{
  Home home;
  auto p = home.put("secrets/zenodo.ini", "[SANDBOX]\nMY_PROD = " + make_token() + "\n", 0640);
  auto missing = home.dir / "nope";
  auto r = home.check({p, missing, "--format", "json"});
  CHECK(r.status == 2);
  auto j = json::parse(r.out);
  CHECK(with_rule(j, "config/misleading-label").size() == 1);
  CHECK(with_rule(j, "config/loose-permissions").size() == 1);
  CHECK(j["diagnostics"].dump().find(missing) != std::string::npos);
  CHECK(r.err.find(missing) != std::string::npos);
  CHECK(home.check({p}).status == 1);
}

TEST_CASE("HOME unset is a usage error", "[config]")
{
  RunOptions o;
  o.env = {{"HOME", ""}};
  auto r = zenolint::test::zenolint({"config", "check"}, o);
  CHECK(r.status == 2);
  CHECK(r.err.find("HOME is not set") != std::string::npos);
}

TEST_CASE("SARIF lists the config rules with help", "[config]")
{
  Home home;
  home.put(".zenodorc", good_zenodorc(), 0644);
  auto r = home.check({"--format", "sarif"});
  REQUIRE(r.status == 1);
  auto j = json::parse(r.out);
  auto rules = j["runs"][0]["tool"]["driver"]["rules"];
  std::set<std::string> ids;
  for (const auto& rule : rules)
    ids.insert(rule["id"].get<std::string>());
  // The config rules, and the token rules that config check also runs on profiles and token
  // files.
  for (const char* id :
       {"config/loose-permissions", "config/misleading-label", "config/placeholder-token",
        "config/tracked-credential-file", "zenodo/assignment", "zenodo/token-file"})
    CHECK(ids.count(id) == 1);
  CHECK(j["runs"][0]["results"][0]["ruleId"] == "config/loose-permissions");
  CHECK(r.out.find("chmod 600 FILE") != std::string::npos);
}

TEST_CASE("a credential file tracked by a dotfiles repository in HOME", "[config]")
{
  Home home;
  auto p = home.put(".zenodorc", good_zenodorc(), 0600);
  RunOptions g = home.options();
  g.cwd = home.dir.path();
  g.env["GIT_CONFIG_NOSYSTEM"] = "1";
  must_run({"git", "init", "-q", "."}, g);
  auto j = home.check_json();
  auto f = with_rule(j, "config/tracked-credential-file");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["severity"] == "warning"); // not ignored
  must_run({"git", "add", ".zenodorc"}, g);
  f = with_rule(home.check_json(), "config/tracked-credential-file");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["severity"] == "error");
  CHECK(f[0]["message"].get<std::string>().find("tracked by git") != std::string::npos);
}

TEST_CASE("config check: tokens in shell profiles, R files, token files and zenodo.ini; every file "
          "looked at is listed",
          "[config]")
{
  Home home;
  std::string bashrc_token = make_token(), sandbox_token = make_token(), ini_token = make_token(),
              renviron_token = make_token();
  home.put(".bashrc", "alias ll='ls -l'\nexport ZENODO_TOKEN=\"" + bashrc_token + "\"\n", 0644);
  home.put(".profile", "PATH=$PATH:$HOME/bin\n", 0644); // no token: no finding, even at 0644
  home.put(".zenodo_sandbox_token", sandbox_token + "\n", 0600);
  home.put(".config/zenodo.ini", "[zenodo]\napi_token = " + ini_token + "\n", 0600);
  home.put(".Renviron", "ZENODO_TOKEN=" + renviron_token + "\n", 0600);
  auto r = home.check({"--format", "json", "--show-secrets"});
  INFO(r.err);
  REQUIRE(r.status == 1);
  auto j = json::parse(r.out);
  std::map<std::string, json> by_secret;
  for (const auto& f : j["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      by_secret[f["secret"].get<std::string>()] = f;
  REQUIRE(by_secret.size() == 4);
  CHECK(by_secret[bashrc_token]["path"] == home.dir / ".bashrc");
  CHECK(by_secret[sandbox_token]["instance"] == "sandbox");
  CHECK(by_secret[ini_token]["instance"] == "production");
  CHECK(by_secret[renviron_token]["rule"] == "zenodo/assignment");
  // .bashrc holds a token and others can read it; .profile holds none and is left alone.
  auto loose = with_rule(j, "config/loose-permissions");
  REQUIRE(loose.size() == 1);
  CHECK(loose[0]["path"] == home.dir / ".bashrc");
  // Every default file is listed on stderr, found or not.
  for (const char* name : {".zenodorc", ".zenodo_token", ".zenodo.toml", ".bashrc", ".zshrc",
                           ".profile", ".Renviron", ".Rprofile", ".zenodo_sandbox_token",
                           ".zenodo-token", "zenodo_token.txt", ".netrc", ".config/zenodo.ini"})
    CHECK(r.err.find("looked at " + (home.dir / name)) != std::string::npos);
  CHECK(r.err.find("looked at " + (home.dir / ".zshrc") + ": missing") != std::string::npos);
  CHECK(r.err.find("looked at " + (home.dir / ".bashrc") + ": environment file, 1 token") !=
        std::string::npos);
  CHECK(r.out.find(bashrc_token) != std::string::npos); // --show-secrets
  auto redacted = home.check({"--format", "json"});
  CHECK(redacted.out.find(bashrc_token) == std::string::npos);
}
