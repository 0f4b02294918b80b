// Hostile and unusual inputs (issue 14): names, encodings and repository layouts that once blinded
// zenolint or broke its reports. Every input is built here, at test time.
#include "sarif_validators.hpp"
#include "support/process.hpp"
#include "support/scan_report.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>

using namespace zenolint::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool has_control_bytes(const std::string& s)
{
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\n' && c != '\t') || b == 0x7f)
      return true;
  }
  return false;
}

} // namespace

TEST_CASE("escape sequences in file names, authors and diagnostics never reach the terminal",
          "[e2e][hostile][terminal]")
{
  TempRepo repo;
  const std::string evil_name = "\x1b]0;pwned\x07\nfake.env";
  repo.write(evil_name, token_assignment(make_token()));
  repo.write("README.md", "hello\n");
  repo.git({"add", "-A"});
  repo.git({"commit", "-q", "-m", "add \x1b[2J", "--author", "Eve\x1b[2J <eve@example.org>"});

  auto r = repo.zenolint({"scan"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 1);
  CHECK_FALSE(has_control_bytes(r.out));
  CHECK_FALSE(has_control_bytes(r.err));
  // One finding is one line: the newline in the name is shown as \n, not a line break.
  CHECK_THAT(r.out, Catch::Contains("\\e]0;pwned\\x07\\nfake.env:1:14  zenodo/assignment"));
  auto h = repo.zenolint({"scan", "--history-only"});
  CHECK_FALSE(has_control_bytes(h.out));
  CHECK_THAT(h.out, Catch::Contains("(Eve\\e[2J, "));

  // A FIFO whose name clears the screen: a diagnostic on stderr, and in a text report file.
  TempDir dir;
  REQUIRE(::mkfifo((dir / "\x1b[2Jpipe.env").c_str(), 0600) == 0);
  auto d = run_zenolint({"scan", dir.path()});
  CHECK_FALSE(has_control_bytes(d.err));
  CHECK_THAT(d.err, Catch::Contains("\\e[2Jpipe.env"));
  run_zenolint({"scan", "-o", dir / "report.txt", dir.path()});
  CHECK_THAT(read_file(dir / "report.txt"), Catch::Contains("\\e[2Jpipe.env"));
  CHECK_FALSE(has_control_bytes(read_file(dir / "report.txt")));

  // JSON keeps the exact strings.
  auto doc = parse_report(repo.zenolint({"scan", "--format", "json"}));
  bool exact = false;
  for (const auto& f : doc["findings"])
    if (f["path"] == evil_name && f["rule"] == "zenodo/assignment")
      exact = true;
  CHECK(exact);
}

TEST_CASE("a report write that fails half-way keeps the previous report file",
          "[e2e][hostile][atomic]")
{
  TempRepo repo;
  repo.write("a.env", token_assignment(make_token()));
  auto first = repo.zenolint({"scan", "--no-history", "--format", "json", "-o", "report.json"});
  REQUIRE(first.status == 1);
  const std::string old_report = read_file(repo / "report.json");
  REQUIRE(old_report.size() > 100);

  // More findings make a report larger than 1 KiB; a file size limit of 1 KiB (with SIGXFSZ
  // ignored, so write(2) fails with EFBIG) makes the write fail in the middle.
  for (int i = 0; i < 20; ++i)
    repo.write("more" + std::to_string(i) + ".env", token_assignment(make_token()));
  auto opts = repo.options();
  auto r = run({"sh", "-c", "ulimit -f 1 && trap '' XFSZ && exec \"$0\" \"$@\"", ZENOLINT_BINARY,
                "scan", "--no-history", "--format", "json", "-o", "report.json"},
               opts);
  INFO("stderr: " << r.err);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("report.json"));
  CHECK(read_file(repo / "report.json") == old_report);
  // No temporary file is left next to it.
  auto ls = repo.git({"status", "--porcelain", "--ignored", "--untracked-files=all"});
  CHECK(ls.find("zenolint-") == std::string::npos);
}

TEST_CASE("a clone made with --separate-git-dir has its real work tree scanned",
          "[e2e][hostile][repo-layout]")
{
  TempRepo origin;
  origin.write("committed.env", token_assignment(make_token()));
  origin.commit("add");
  TempDir dir;
  must_run(
      {"git", "clone", "-q", "--separate-git-dir", dir / "store.git", origin.path(), dir / "work"},
      origin.options());
  write_file(dir / "work/untracked.env", token_assignment(make_token()));
  // Unrelated to the real work tree: the git dir's parent, where libgit2 would look by default.
  write_file(dir / "decoy.txt", "nothing\n");

  auto opts = origin.options();
  opts.cwd = dir / "work";
  auto r = run_zenolint({"scan", "--format", "json", "."}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.err.find("cannot stat") == std::string::npos);
  auto doc = parse_report(r);
  CHECK(token_places(doc) ==
        std::vector<std::string>{"committed.env@worktree", "untracked.env@worktree"});
  CHECK(doc["diagnostics"].empty());
}

TEST_CASE("a `git worktree add` work tree is scanned, not the main one",
          "[e2e][hostile][repo-layout]")
{
  TempRepo repo;
  repo.write("main.txt", "main\n");
  repo.commit("start");
  TempDir dir;
  repo.git({"worktree", "add", "-q", "-b", "side", dir / "side"});
  write_file(dir / "side/side.env", token_assignment(make_token()));
  write_file(repo / "only-in-main.env", token_assignment(make_token()));

  auto opts = repo.options();
  opts.cwd = dir / "side";
  auto doc = parse_report(run_zenolint({"scan", "--no-history", "--format", "json", "."}, opts));
  CHECK(token_places(doc) == std::vector<std::string>{"side.env@worktree"});
  CHECK(doc["diagnostics"].empty());
}

TEST_CASE("GIT_DIR and GIT_WORK_TREE (a bare dotfiles repository) are honoured",
          "[e2e][hostile][repo-layout]")
{
  TempRepo bare(true);
  TempDir home;
  auto opts = bare.work_tree_options(home.path());
  write_file(home / ".bashrc", "export ZENODO_TOKEN=" + make_token() + "\n");
  must_run({"git", "add", ".bashrc"}, opts);
  must_run({"git", "commit", "-q", "-m", "dotfiles"}, opts);
  must_run({"git", "config", "status.showUntrackedFiles", "no"}, opts);
  write_file(home / ".gitignore", "ignored.env\n");
  must_run({"git", "add", ".gitignore"}, opts);
  must_run({"git", "commit", "-q", "-m", "ignore"}, opts);
  write_file(home / "ignored.env", token_assignment(make_token()));

  auto doc = parse_report(run_zenolint({"scan", "--format", "json", home.path()}, opts));
  // The repository's history is read and its .gitignore honoured: the scan knows the repository.
  CHECK(token_places(doc) == std::vector<std::string>{".bashrc@worktree"});
  CHECK(doc["stats"]["commits"] == 2);
}

TEST_CASE("a Latin-1 author, summary and file name give valid reports in every format",
          "[e2e][hostile][encoding]")
{
  TempRepo repo;
  // Commit 1: i18n.commitEncoding=ISO-8859-1, so git writes an `encoding` header and Latin-1
  // bytes for the author and the message.
  repo.write("caf\xe9.env", token_assignment(make_token()));
  repo.git({"add", "-A"});
  auto opts = repo.options();
  opts.env["GIT_AUTHOR_NAME"] = "Jos\xe9";
  must_run(
      {"git", "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-m", "Caf\xe9 settings"},
      opts);
  REQUIRE_THAT(repo.git({"cat-file", "commit", "HEAD"}), Catch::Contains("encoding ISO-8859-1"));
  // Commit 2: Latin-1 bytes and no header (what a misconfigured client writes; git itself would
  // re-encode them, so the object is written by hand).
  repo.write("b.env", token_assignment(make_token()));
  repo.git({"add", "-A"});
  std::string tree = repo.git({"write-tree"});
  tree.pop_back();
  auto raw_opts = repo.options();
  raw_opts.stdin_data = "tree " + tree + "\nparent " + repo.head() +
                        "\nauthor M\xfcller <m@example.org> 1577836800 +0000\n"
                        "committer M\xfcller <m@example.org> 1577836800 +0000\n\nGr\xfc\xdf\n";
  std::string id = must_run({"git", "hash-object", "-t", "commit", "-w", "--stdin"}, raw_opts);
  id.pop_back();
  repo.git({"update-ref", "refs/heads/main", id});
  const std::string fffd = "\xef\xbf\xbd";

  std::string old_report = "previous report\n";
  write_file(repo / "report.json", old_report);
  auto r = repo.zenolint({"scan", "--history-only", "--format", "json", "-o", "report.json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(read_file(repo / "report.json"));
  std::map<std::string, json> by_path;
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      by_path[f["path"].get<std::string>()] = f;
  REQUIRE(by_path.size() == 2);
  REQUIRE(by_path.count("caf" + fffd + ".env") == 1);               // not UTF-8: U+FFFD in JSON
  CHECK(by_path["caf" + fffd + ".env"]["author"] == "Jos\xc3\xa9"); // decoded
  CHECK(by_path["caf" + fffd + ".env"]["summary"] == "Caf\xc3\xa9 settings"); // decoded
  CHECK(by_path["b.env"]["author"] == "M" + fffd + "ller");                   // replaced
  CHECK(by_path["b.env"]["summary"] == "Gr" + fffd + fffd);

  for (const std::string format : {"sarif", "gitlab"}) {
    auto out = repo.zenolint({"scan", "--history-only", "--format", format});
    INFO(format << " stderr: " << out.err);
    CHECK(out.status == 1);
    CHECK_NOTHROW(json::parse(out.out));
  }
  // SARIF names the file by its bytes: percent-encoded Latin-1, inside %SRCROOT%.
  CHECK_THAT(repo.zenolint({"scan", "--history-only", "--format", "sarif"}).out,
             Catch::Contains("\"uri\": \"caf%E9.env\""));
  // Text: the decoded author as is, the undecodable file name byte as \xe9.
  auto text = repo.zenolint({"scan", "--history-only"});
  CHECK_THAT(text.out, Catch::Contains("caf\\xe9.env:1:14") && Catch::Contains("(Jos\xc3\xa9, "));
}

namespace {

std::string utf16le_with_bom(const std::string& ascii)
{
  std::string out = "\xff\xfe";
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

} // namespace

TEST_CASE("UTF-16 files (PowerShell's default) and text with a stray NUL are matched",
          "[e2e][hostile][utf16]")
{
  TempRepo repo;
  auto ps_token = make_token();
  auto nul_token = make_token();
  // PowerShell 5 `Out-File` / `>`: UTF-16LE with a BOM, CRLF.
  repo.write("deploy.ps1", utf16le_with_bom("# upload\r\n$env:ZENODO_TOKEN = \"" + ps_token +
                                            "\"\r\nWrite-Host done\r\n"));
  repo.write("notes.env", std::string("title\0\n", 7) + "export ZENODO_TOKEN=" + nul_token + "\n");
  // A real binary stays skipped: the first bytes of an ELF executable with a token after them.
  repo.write("tool.bin", std::string("\x7f"
                                     "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0",
                                     20) +
                             token_assignment(make_token()));
  repo.commit("scripts");

  auto doc =
      parse_report(repo.zenolint({"scan", "--no-history", "--format", "json", "--show-secrets"}));
  std::map<std::string, json> by_path;
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0 && f["source"] == "worktree")
      by_path[f["path"].get<std::string>()] = f;
  REQUIRE(by_path.count("deploy.ps1") == 1);
  CHECK(by_path["deploy.ps1"]["secret"] == ps_token);
  CHECK(by_path["deploy.ps1"]["line"] == 2); // lines and columns of the decoded text
  CHECK(by_path["deploy.ps1"]["column"] == 22);
  REQUIRE(by_path.count("notes.env") == 1);
  CHECK(by_path["notes.env"]["secret"] == nul_token);
  CHECK(by_path.count("tool.bin") == 0);
  CHECK(doc["stats"]["skipped"]["binary"] == 1);
}

namespace {

std::string hex_to_bytes(const std::string& hex)
{
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// Writes an object with `git hash-object --literally` (no checks on tree entry names).
std::string write_object(const TempRepo& repo, const std::string& type, const std::string& data)
{
  auto opts = repo.options();
  opts.stdin_data = data;
  std::string id =
      must_run({"git", "hash-object", "--literally", "-t", type, "-w", "--stdin"}, opts);
  id.pop_back();
  return id;
}

} // namespace

TEST_CASE("SARIF URIs of tree entries named '..', '.' or '' stay inside %SRCROOT%",
          "[e2e][hostile][sarif]")
{
  TempRepo repo;
  auto blob = [&](int n) {
    return hex_to_bytes(
        write_object(repo, "blob", token_assignment(make_token()) + std::to_string(n) + "\n"));
  };
  std::string sub = write_object(repo, "tree", std::string("100644 x.env\0", 13) + blob(1));
  std::string root = std::string("100644 \0", 8) + blob(2) +           // ""
                     std::string("100644 .\0", 9) + blob(3) +          // "."
                     std::string("40000 ..\0", 9) + hex_to_bytes(sub); // "../x.env"
  std::string tree = write_object(repo, "tree", root);
  auto opts = repo.options();
  std::string commit = must_run({"git", "commit-tree", tree, "-m", "hostile names"}, opts);
  commit.pop_back();
  repo.git({"update-ref", "refs/heads/main", commit});

  auto r = repo.zenolint({"scan", "--history-only", "--format", "sarif", "-o", "out.sarif"});
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(read_file(repo / "out.sarif"));
  std::set<std::string> uris;
  for (const auto& res : doc["runs"][0]["results"]) {
    const auto& loc = res["locations"][0]["physicalLocation"]["artifactLocation"];
    CHECK(loc["uriBaseId"] == "%SRCROOT%");
    uris.insert(loc["uri"].get<std::string>());
  }
  CHECK(uris == std::set<std::string>{"%00", "%2E", "%2E%2E/x.env"});
  for (const auto& u : uris) {
    CHECK(u.rfind("/", 0) != 0);
    CHECK(u.find("../") == std::string::npos);
  }
  auto v = validate_sarif(repo / "out.sarif");
  INFO("validator: " << v.out << v.err);
  CHECK(v.status == 0);
}

TEST_CASE("a truncated loose object is a diagnostic naming it, not a hang",
          "[e2e][hostile][corrupt]")
{
  TempRepo repo;
  const std::string kept = make_token();
  repo.commit_file("kept.env", token_assignment(kept), "kept");
  // Large enough that half of the file ends inside the content, not in the header.
  std::string padding;
  for (int i = 0; i < 4000; ++i)
    padding += "line " + std::to_string(i * 7919 % 10007) + "\n";
  repo.commit_file("lost.env", padding + token_assignment(make_token()), "lost");
  const std::string id = repo.rev("HEAD:lost.env");
  const std::string path = repo.loose_object_path(id);
  std::string file = read_file(path);
  REQUIRE(file.size() > 1000);
  ::chmod(path.c_str(), 0644);
  write_file(path, file.substr(0, file.size() / 2));
  repo.write("lost.env", "gone\n"); // the working tree no longer has it either
  repo.commit("remove");

  // libgit2 1.5 loops forever inflating a truncated loose object (libgit2 issue 7342).
  for (const std::string mode : {"--history-only", "--all-objects"}) {
    auto r = repo.zenolint({"scan", mode, "--format", "json", "--show-secrets"});
    INFO(mode << " stderr: " << r.err);
    REQUIRE(r.status == 1);
    auto doc = json::parse(r.out);
    bool found = false;
    for (const auto& f : doc["findings"])
      found = found || f["secret"] == kept;
    CHECK(found);
    bool named = false;
    for (const auto& d : doc["diagnostics"]) {
      std::string m = d["message"].get<std::string>() + " " + d["subject"].get<std::string>();
      named = named || (m.find(id) != std::string::npos && m.find("corrupt") != std::string::npos);
    }
    CHECK(named);
  }
}

TEST_CASE("a report that cannot be written whole exits 2: stdout on a full disk, a FIFO nobody "
          "reads",
          "[e2e][hostile][output]")
{
  TempRepo repo;
  repo.write("a.env", token_assignment(make_token()));
  auto opts = repo.options();
  for (const std::string format : {"text", "json", "sarif"}) {
    auto r = run({"sh", "-c", "exec \"$0\" \"$@\" > /dev/full", ZENOLINT_BINARY, "scan",
                  "--no-history", "--format", format},
                 opts);
    INFO(format << " stderr: " << r.err);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("writing standard output failed"));
  }
  // A FIFO at the output path (an archive can carry one) is not replaced by a file, and a
  // FIFO without a reader does not block the run.
  REQUIRE(::mkfifo((repo / "out.json").c_str(), 0600) == 0);
  auto r = repo.zenolint({"scan", "--no-history", "--format", "json", "-o", "out.json"});
  INFO("stderr: " << r.err);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("out.json"));
  struct stat st {};
  REQUIRE(::lstat((repo / "out.json").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
}

TEST_CASE("a SHA-256 repository (libgit2 1.5 cannot open it): its files are scanned, the scan "
          "says it is incomplete",
          "[e2e][hostile][repo-layout]")
{
  TempDir dir;
  auto opts = TempRepo().options();
  opts.cwd = dir.path();
  must_run({"git", "init", "-q", "--object-format=sha256", "-b", "main", "."}, opts);
  write_file(dir / "committed.txt", "nothing\n");
  must_run({"git", "add", "-A"}, opts);
  must_run({"git", "commit", "-q", "-m", "start"}, opts);

  // No finding: exit 3 (history not read), a diagnostic naming the reason.
  auto clean = run_zenolint({"scan", "--format", "json", "."}, opts);
  INFO("stderr: " << clean.err);
  CHECK(clean.status == 3);
  CHECK_THAT(clean.err, Catch::Contains("objectformat") && Catch::Contains("plain directory"));
  // A token in the working tree is still found (exit 1).
  write_file(dir / "w.env", token_assignment(make_token()));
  auto r = run_zenolint({"scan", "--format", "json", "."}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  CHECK(token_places(doc) == std::vector<std::string>{"w.env@worktree"});
  REQUIRE(doc["diagnostics"].size() == 1);
  CHECK(doc["diagnostics"][0]["severity"] == "error");
  // The working tree alone is not incomplete; history alone cannot be done at all.
  write_file(dir / "w.env", "gone\n");
  CHECK(run_zenolint({"scan", "--no-history", "."}, opts).status == 0);
  auto h = run_zenolint({"scan", "--history-only", "."}, opts);
  CHECK(h.status == 2);
  CHECK_THAT(h.err, Catch::Contains("objectformat"));
}

TEST_CASE("a corrupt index (bad checksum, truncated entry): the working tree is still scanned, "
          "an error names the index",
          "[e2e][hostile][corrupt]")
{
  for (const bool truncate : {false, true}) {
    TempRepo repo;
    const std::string token = make_token();
    repo.commit_file("a.env", token_assignment(token), "add");
    repo.commit_file("b.txt", "b\n", "more");
    std::string index = read_file(repo / ".git/index");
    REQUIRE(index.size() > 60);
    if (truncate)
      index.resize(50);
    else
      index[index.size() - 5] = static_cast<char>(index[index.size() - 5] ^ 1);
    write_file(repo / ".git/index", index);

    for (const std::string mode : {"--no-history", "--all-objects"}) {
      auto r = repo.zenolint({"scan", mode, "--format", "json", "--show-secrets"});
      INFO("truncated " << truncate << " " << mode << " stderr: " << r.err);
      REQUIRE(r.status == 1); // was 2, with nothing scanned
      auto doc = json::parse(r.out);
      bool found = false;
      for (const auto& f : doc["findings"])
        found = found || (f["secret"] == token && f["source"] == "worktree");
      CHECK(found);
      bool named = false;
      for (const auto& d : doc["diagnostics"])
        named = named || (d["severity"] == "error" &&
                          d["message"].get<std::string>().find("index") != std::string::npos);
      CHECK(named);
    }
  }
}

TEST_CASE("scan --repos reads a SHA-256 repository and one with a corrupt index instead of "
          "recording an error",
          "[e2e][hostile][corrupt]")
{
  TempDir dir;
  auto opts = TempRepo().options();
  const std::string sha = dir / "sha";
  const std::string bad = dir / "bad";
  for (const auto& path : {sha, bad}) {
    std::filesystem::create_directories(path);
    opts.cwd = path;
    if (path == sha)
      must_run({"git", "init", "-q", "--object-format=sha256", "-b", "main", "."}, opts);
    else
      must_run({"git", "init", "-q", "-b", "main", "."}, opts);
    write_file(path + "/a.txt", "a\n");
    must_run({"git", "add", "-A"}, opts);
    must_run({"git", "commit", "-q", "-m", "start"}, opts);
    write_file(path + "/w.env", token_assignment(make_token()));
  }
  std::string index = read_file(bad + "/.git/index");
  index.resize(50);
  write_file(bad + "/.git/index", index);
  write_file(dir / "repos.txt", "sha\nbad\n");
  opts.cwd = dir.path();
  auto r = run_zenolint({"scan", "--repos", "repos.txt", "--format", "json"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  auto doc = json::parse(r.out);
  std::set<std::string> repos;
  for (const auto& f : doc["findings"])
    if (f["path"] == "w.env")
      repos.insert(f["repository"].get<std::string>());
  CHECK(repos.size() == 2);
}

namespace {

// Appends `text` to the repository's .git/config (after every git command of the set-up: git
// itself would block on or refuse what the tests put there).
void append_config(const TempRepo& repo, const std::string& text)
{
  write_file(repo / ".git/config", read_file(repo / ".git/config") + text);
}

bool diagnostic_names(const json& doc, const std::string& what)
{
  for (const auto& d : doc["diagnostics"])
    if ((d["subject"].get<std::string>() + " " + d["message"].get<std::string>()).find(what) !=
        std::string::npos)
      return true;
  return false;
}

} // namespace

// Regression (harden8): libgit2 1.5 opens an included config file without O_NONBLOCK, so an
// include.path naming a FIFO hung every scan of the repository, and a 30 MB config took 1.6 GB
// and 48 s per open. Such a repository is now one zenolint cannot open: its files are scanned as
// a plain directory and an error diagnostic names the file.
TEST_CASE("a config include that is a FIFO or too large is refused, not a hang",
          "[e2e][hostile][config]")
{
  for (const std::string kind : {"fifo", "includeif-fifo", "large"}) {
    TempRepo repo;
    repo.commit_file("committed.env", token_assignment(make_token()), "add");
    std::string target = repo / ".git/included";
    if (kind == "large")
      write_file(target, "[core]\n" + std::string(5 << 20, '#') + "\n");
    else
      REQUIRE(::mkfifo(target.c_str(), 0600) == 0);
    append_config(repo, kind == "includeif-fifo"
                            ? "[includeIf \"gitdir:/\"]\n\tpath = \"included\" ; comment\n"
                            : "[include]\n\tpath = " + target + "\n");
    INFO(kind);
    auto r = repo.zenolint({"scan", "--format", "json"});
    INFO("stderr: " << r.err);
    auto doc = parse_report(r);
    CHECK(token_places(doc) == std::vector<std::string>{"committed.env@worktree"});
    CHECK(diagnostic_names(doc, target));
    auto h = repo.zenolint({"scan", "--history-only"});
    CHECK(h.status == 2);
    CHECK_THAT(h.err, Catch::Contains(target));
  }
}

// Regression (harden8): `scan --release` ran `git archive` in the repository, and git ran the
// smudge filter the repository's config names for the paths its .gitattributes marks: a
// command from a stranger's tarball executed by a scan (and its output scanned instead).
TEST_CASE("scan --release runs no filter driver or other command from the repository's config",
          "[e2e][hostile][config][release]")
{
  TempRepo repo;
  TempDir marks;
  repo.write(".gitattributes", "*.env filter=evil\n*.txt export-ignore\n");
  repo.write("notes.txt", "left out\n");
  const std::string token = make_token();
  repo.commit_file("a.env", token_assignment(token), "add");
  const std::string marker = marks / "executed";
  append_config(repo, "[filter \"evil\"]\n\tsmudge = touch " + marker + "\n\tprocess = touch " +
                          marker + "\n\trequired = true\n[core]\n\tfsmonitor = touch " + marker +
                          "\n");
  auto doc = parse_report(repo.zenolint({"scan", "--release", "HEAD", "--format", "json"}));
  CHECK_FALSE(fs::exists(marker));
  CHECK(token_places(doc) == std::vector<std::string>{"a.env@release"});
}

// Regression (harden8): a repository whose core.worktree names another directory (/etc, a
// sibling) made `scan PATH` read that directory.
TEST_CASE("core.worktree naming a directory outside the scanned path is not followed",
          "[e2e][hostile][config]")
{
  TempRepo repo;
  repo.commit_file("committed.env", token_assignment(make_token()), "add");
  TempDir outside;
  write_file(outside / "outside.env", token_assignment(make_token()));
  append_config(repo, "[core]\n\tworktree = " + outside.path() + "\n");
  auto doc = parse_report(repo.zenolint({"scan", "--format", "json", "--no-history"}));
  CHECK(token_places(doc) == std::vector<std::string>{"committed.env@worktree"});
  CHECK(diagnostic_names(doc, "core.worktree"));
}

// Regression (harden8): libgit2 1.5 opens these without O_NONBLOCK; a FIFO at any of them hung
// the scan (and --history-only, --staged for the index).
TEST_CASE("a FIFO as packed-refs, index, alternates, commit-graph or multi-pack-index is named, "
          "never waited on",
          "[e2e][hostile][corrupt]")
{
  for (const std::string rel : {"packed-refs", "index", "objects/info/alternates",
                                "objects/info/commit-graph", "objects/pack/multi-pack-index"}) {
    TempRepo repo;
    repo.commit_file("committed.env", token_assignment(make_token()), "add");
    const std::string path = repo / (".git/" + rel);
    fs::create_directories(fs::path(path).parent_path());
    fs::remove(path);
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    INFO(rel);
    auto doc = parse_report(repo.zenolint({"scan", "--format", "json"}));
    CHECK(token_places(doc) == std::vector<std::string>{"committed.env@worktree"});
    CHECK(diagnostic_names(doc, path));
    auto h = repo.zenolint({"scan", "--history-only"});
    CHECK(h.status == 2);
    CHECK_THAT(h.err, Catch::Contains(path));
  }
}

// Regression (harden8): HEAD -> refs/heads/a -> refs/heads/b -> refs/heads/a left the history
// scan empty with exit status 0 and not a word; each ref that cannot be resolved is now named.
TEST_CASE("a symbolic-ref cycle is named, not an empty history", "[e2e][hostile][corrupt]")
{
  TempRepo repo;
  repo.commit_file("committed.env", token_assignment(make_token()), "add");
  write_file(repo / ".git/HEAD", "ref: refs/heads/a\n");
  write_file(repo / ".git/refs/heads/a", "ref: refs/heads/b\n");
  write_file(repo / ".git/refs/heads/b", "ref: refs/heads/a\n");
  fs::remove(repo / ".git/refs/heads/main");
  auto r = repo.zenolint({"scan", "--history-only", "--format", "json"});
  CHECK(r.status == 3);
  auto doc = json::parse(r.out);
  for (const std::string name : {"HEAD", "refs/heads/a", "refs/heads/b"})
    CHECK(diagnostic_names(doc, name + " cannot resolve"));
}
