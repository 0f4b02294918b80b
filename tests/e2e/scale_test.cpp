// Many repositories (issue 17): scan --repos with shards, JSON Lines records, --resume, merge.
// Real repositories in temp dirs, real zenolint processes (shards run at the same time).
#include "e2e/sarif_validators.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>

using namespace zenolint::test;
using nlohmann::json;
namespace fs = std::filesystem;

extern char** environ;

namespace {

// An organisation: repositories under one directory and a list file naming them.
struct Org {
  TempRepo env; // HOME, identities and dates for git and zenolint
  TempDir dir;
  std::vector<std::string> tokens;
  int commits = 0;

  RunOptions options() const
  {
    RunOptions o = env.options();
    o.cwd = dir.path();
    return o;
  }
  std::string git(const std::string& repo, std::vector<std::string> args)
  {
    args.insert(args.begin(), {"git", "-C", dir / repo});
    RunOptions o = options();
    std::string date = "2020-02-01T00:00:" + std::to_string(10 + commits % 50) + "+0000";
    o.env["GIT_AUTHOR_DATE"] = o.env["GIT_COMMITTER_DATE"] = date;
    return must_run(args, o);
  }
  void commit(const std::string& repo, const std::string& message)
  {
    ++commits;
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", message});
  }
  // Repository `name` with a few commits; `kind` picks where a token is (see make()).
  void make(const std::string& name, int kind)
  {
    must_run({"git", "init", "-q", "-b", "main", dir / name}, options());
    write_file(dir / (name + "/README.md"), "# " + name + "\n");
    write_file(dir / (name + "/src/main.py"), "print('hello from " + name + "')\n");
    commit(name, "initial");
    std::string token = make_token();
    tokens.push_back(token);
    switch (kind % 5) {
    case 0: // token in HEAD
      write_file(dir / (name + "/deploy/.env"), "\nZENODO_TOKEN=" + token + "\n");
      commit(name, "deploy settings");
      break;
    case 1: // token only in history
      write_file(dir / (name + "/upload.py"), "zenodo_token = \"" + token + "\"\n");
      commit(name, "upload script");
      write_file(dir / (name + "/upload.py"), "zenodo_token = os.environ['ZENODO_TOKEN']\n");
      commit(name, "read the token from the environment");
      break;
    case 2: // clean
      break;
    case 3: // the same token as the first repository (one secret in two repositories)
      write_file(dir / (name + "/ci.yml"), "env:\n  ZENODO_TOKEN: " + tokens.front() + "\n");
      commit(name, "ci");
      break;
    case 4: // token only in the working tree (untracked)
      write_file(dir / (name + "/.zenodo.json.bak"), "{\"zenodo_token\": \"" + token + "\"}\n");
      break;
    }
  }
  // n repositories r00..; returns the list file's text (with comments, blanks, a missing
  // repository, a directory that is no repository and a repeated line).
  std::string make_all(int n)
  {
    std::string list = "# organisation repositories\n\n";
    for (int i = 0; i < n; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "r%02d", i);
      make(name, i);
      list += std::string(i % 2 ? "  " : "") + name + "\n";
    }
    fs::create_directories(dir / "plain-dir");
    list += "missing-repo\nplain-dir\n   \n# end\nr00\n";
    return list;
  }
  std::string write_list(const std::string& text)
  {
    write_file(dir / "repos.txt", text);
    return dir / "repos.txt";
  }
  RunResult zenolint(const std::vector<std::string>& args) const
  {
    return run_zenolint(args, options());
  }
};

json without_paths(json doc)
{
  // Nothing to remove: merged JSON holds no times. Kept as the one place to normalise.
  return doc;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

// Starts zenolint without waiting (for the kill test).
pid_t spawn_zenolint(const std::vector<std::string>& args, const RunOptions& o)
{
  std::vector<std::string> argv{ZENOLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (!o.env.count(key))
      env_strings.push_back(kv);
  }
  for (const auto& [k, v] : o.env)
    if (!v.empty())
      env_strings.push_back(k + "=" + v);
  std::vector<char*> cenv;
  for (auto& s : env_strings)
    cenv.push_back(s.data());
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addchdir_np(&fa, o.cwd.c_str());
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &fa, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  return pid;
}

std::size_t complete_lines(const std::string& file)
{
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

TEST_CASE("scale: N shards in parallel merge into exactly the single-process report",
          "[e2e][scale]")
{
  Org org;
  std::string list = org.write_list(org.make_all(14));

  for (std::string format : {"json", "sarif", "text"}) {
    INFO(format);
    auto single = org.zenolint({"scan", "--repos", list, "--format", format, "--color", "never",
                                "-o", "single." + format});
    INFO(single.err);
    CHECK(single.status == 1);
  }
  const int n = 3;
  std::vector<std::future<RunResult>> shards;
  for (int k = 1; k <= n; ++k)
    shards.push_back(std::async(std::launch::async, [&org, &list, k] {
      return org.zenolint({"scan", "--repos", list, "--shard", std::to_string(k) + "/3", "--format",
                           "jsonl", "-o", "shard-" + std::to_string(k) + ".jsonl", "--exit-code",
                           "3"});
    }));
  std::vector<std::string> files;
  std::set<std::string> seen;
  std::size_t records = 0;
  for (int k = 1; k <= n; ++k) {
    auto r = shards[static_cast<std::size_t>(k - 1)].get();
    INFO(r.err);
    // 1: findings; 3: no finding but a listed repository could not be scanned.
    CHECK((r.status == 1 || r.status == 3));
    files.push_back("shard-" + std::to_string(k) + ".jsonl");
    for (const auto& line : lines_of(read_file(org.dir / files.back()))) {
      auto rec = json::parse(line);
      ++records;
      CHECK(seen.insert(rec["repository"].get<std::string>()).second); // in one shard only
      for (const auto& f : rec["findings"])
        if (f.contains("secret")) // token findings: the redacted form only
          CHECK(f["secret"].get<std::string>().size() < 10);
    }
  }
  // 14 repositories, a missing one and a plain directory; the repeated line is one repository.
  CHECK(records == 16);
  CHECK(seen.count("missing-repo") == 1);
  CHECK(seen.count("r13") == 1);

  for (std::string format : {"json", "sarif", "text"}) {
    INFO(format);
    std::vector<std::string> args{"merge"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--format", format, "--color", "never", "-o", "merged." + format});
    auto merged = org.zenolint(args);
    INFO(merged.err);
    CHECK(merged.status == 1);
    std::string a = read_file(org.dir / ("single." + format));
    std::string b = read_file(org.dir / ("merged." + format));
    if (format == "text")
      CHECK(a == b);
    else
      CHECK(without_paths(json::parse(a)) == without_paths(json::parse(b)));
  }

  auto doc = json::parse(read_file(org.dir / "merged.json"));
  CHECK(doc["summary"]["repositories"] == 16);
  CHECK(doc["summary"]["failed"] == 2);
  CHECK(doc["summary"]["scanned"] == 14);
  REQUIRE(doc["findings"].size() >= 10);
  std::set<std::string> with_findings;
  for (const auto& f : doc["findings"]) {
    REQUIRE(f.contains("repository"));
    with_findings.insert(f["repository"].get<std::string>());
    CHECK(f["path"].get<std::string>().rfind("r", 0) != 0); // relative to its repository
  }
  // Kinds 0, 1, 3 and 4 have a token (r02, r07, r12 are clean).
  CHECK(with_findings.count("r00") == 1);
  CHECK(with_findings.count("r01") == 1); // history only
  CHECK(with_findings.count("r03") == 1); // shared secret
  CHECK(with_findings.count("r04") == 1); // untracked file
  CHECK(with_findings.count("r02") == 0);
  // 11 repositories with a token; r03, r08 and r13 hold r00's: 8 distinct secrets.
  CHECK(doc["summary"]["with_findings"] == 11);
  CHECK(doc["summary"]["secrets"] == 8);
  bool missing_named = false;
  for (const auto& r : doc["repositories"])
    if (r["repository"] == "missing-repo") {
      CHECK(r["status"] == "error");
      missing_named = r["error"].get<std::string>().find("repos.txt:") != std::string::npos;
    }
  CHECK(missing_named);
  std::string text = read_file(org.dir / "merged.text");
  CHECK(text.find("16 repositories: 14 scanned, 2 failed") != std::string::npos);
  CHECK(text.find("r00/deploy/.env") != std::string::npos);
  for (const auto& t : org.tokens)
    CHECK(text.find(t) == std::string::npos);

  // The merged SARIF passes the real validators: one run per repository.
  auto sarif = json::parse(read_file(org.dir / "merged.sarif"));
  CHECK(sarif["runs"].size() == 16);
  auto v = validate_sarif(org.dir / "merged.sarif");
  INFO(v.out << v.err);
  CHECK(v.status == 0);
}

TEST_CASE("scale: a shard killed midway and resumed gives the same result", "[e2e][scale]")
{
  Org org;
  std::string text;
  for (int i = 0; i < 40; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "k%02d", i);
    org.make(name, i);
    text += std::string(name) + "\n";
  }
  std::string list = org.write_list(text);
  auto single = org.zenolint({"scan", "--repos", list, "--format", "json", "-o", "single.json"});
  INFO(single.err);
  REQUIRE(single.status == 1);

  std::string records = org.dir / "shard.jsonl";
  pid_t pid = spawn_zenolint({"scan", "--repos", list, "--shard", "1/1", "--format", "jsonl", "-o",
                              records, "--jobs", "1"},
                             org.options());
  while (complete_lines(records) < 5)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  std::size_t before = complete_lines(records);
  INFO("records before the kill: " << before);
  REQUIRE(before < 40); // killed midway
  // Whole records only: every line is one complete record.
  for (const auto& line : lines_of(read_file(records)))
    CHECK_NOTHROW(json::parse(line));

  auto resumed = org.zenolint(
      {"scan", "--repos", list, "--shard", "1/1", "--format", "jsonl", "-o", records, "--resume"});
  INFO(resumed.err);
  CHECK(resumed.status == 1);
  std::size_t unchanged = 0;
  for (const auto& l : lines_of(resumed.err))
    unchanged += l.find("unchanged since its record, skipped") != std::string::npos;
  CHECK(unchanged == before);
  CHECK(complete_lines(records) == 40);

  auto merged = org.zenolint({"merge", records, "--format", "json", "-o", "merged.json"});
  INFO(merged.err);
  CHECK(merged.status == 1);
  CHECK(json::parse(read_file(org.dir / "single.json")) ==
        json::parse(read_file(org.dir / "merged.json")));

  // Resuming again scans nothing; a new commit or an edit in the working tree rescans that one.
  auto again =
      org.zenolint({"scan", "--repos", list, "--format", "jsonl", "-o", records, "--resume"});
  CHECK(again.err.find("40 unchanged") != std::string::npos);
  std::string token = make_token();
  write_file(org.dir / "k02/later.cfg", "zenodo_token = " + token + "\n");
  org.commit("k02", "later");
  write_file(org.dir / "k07/src/main.py", "# edited\n");
  auto changed =
      org.zenolint({"scan", "--repos", list, "--format", "jsonl", "-o", records, "--resume"});
  INFO(changed.err);
  CHECK(changed.err.find("2 scanned, 38 unchanged") != std::string::npos);
  auto merged2 = org.zenolint({"merge", records, "--format", "json"});
  auto doc = json::parse(merged2.out);
  bool later = false;
  for (const auto& f : doc["findings"])
    later |= f["repository"] == "k02" && f["path"] == "later.cfg";
  CHECK(later);
  CHECK(doc["summary"]["repositories"] == 40); // superseded records are not counted twice
}

TEST_CASE("scale: a torn last record is reported and ignored; appending starts a new line",
          "[e2e][scale]")
{
  Org org;
  std::string text;
  for (int i = 0; i < 3; ++i) {
    std::string name = "t" + std::to_string(i);
    org.make(name, i);
    text += name + "\n";
  }
  std::string list = org.write_list(text);
  std::string records = org.dir / "r.jsonl";
  auto first = org.zenolint({"scan", "--repos", list, "--format", "jsonl", "-o", records});
  REQUIRE(first.status == 1);
  auto whole = lines_of(read_file(records));
  REQUIRE(whole.size() == 3);
  auto expected = org.zenolint({"merge", records, "--format", "json"});
  // A crash in the middle of the last write: drop the last record's second half.
  std::string torn = whole[0] + "\n" + whole[1] + "\n" + whole[2].substr(0, whole[2].size() / 2);
  write_file(records, torn);
  auto merged = org.zenolint({"merge", records, "--format", "json"});
  INFO(merged.err);
  CHECK(merged.err.find("r.jsonl:3: incomplete last record") != std::string::npos);
  auto doc = json::parse(merged.out);
  CHECK(doc["summary"]["repositories"] == 2);
  CHECK(doc["diagnostics"][0]["subject"].get<std::string>().find("r.jsonl:3") != std::string::npos);

  auto resumed =
      org.zenolint({"scan", "--repos", list, "--format", "jsonl", "-o", records, "--resume"});
  INFO(resumed.err);
  CHECK(resumed.err.find("1 scanned, 2 unchanged") != std::string::npos);
  auto lines = lines_of(read_file(records));
  REQUIRE(lines.size() == 4); // the torn fragment stays on its own line
  CHECK_THROWS(json::parse(lines[2]));
  auto after = org.zenolint({"merge", records, "--format", "json"});
  CHECK(after.err.find("r.jsonl:3: not a valid record") != std::string::npos);
  auto a = json::parse(after.out), e = json::parse(expected.out);
  a.erase("diagnostics");
  e.erase("diagnostics");
  a["summary"].erase("diagnostics");
  e["summary"].erase("diagnostics");
  CHECK(a == e);
}

TEST_CASE("scale: --shard and --repos usage errors", "[e2e][scale]")
{
  Org org;
  org.make("a", 2);
  std::string list = org.write_list("a\n");
  for (std::string bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3/4", "1/", "/2"}) {
    INFO(bad);
    auto r = org.zenolint({"scan", "--repos", list, "--shard", bad});
    CHECK(r.status == 2);
    CHECK(r.err.find("--shard") != std::string::npos);
  }
  auto no_list = org.zenolint({"scan", "--shard", "1/2", "a"});
  CHECK(no_list.status == 2);
  CHECK(no_list.err.find("needs --repos") != std::string::npos);
  auto jsonl_alone = org.zenolint({"scan", "--format", "jsonl", "a"});
  CHECK(jsonl_alone.status == 2);
  auto resume_stdout = org.zenolint({"scan", "--repos", list, "--format", "jsonl", "--resume"});
  CHECK(resume_stdout.status == 2);
  auto missing_list = org.zenolint({"scan", "--repos", org.dir / "nope.txt"});
  CHECK(missing_list.status == 2);
  CHECK(missing_list.err.find("nope.txt") != std::string::npos);
  // Every shard of 1..N together: each repository exactly once (stdout jsonl).
  std::string text;
  for (int i = 0; i < 20; ++i)
    text += "x" + std::to_string(i) + "\n";
  org.write_list(text);
  std::multiset<std::string> keys;
  for (int k = 1; k <= 4; ++k) {
    auto r = org.zenolint({"scan", "--repos", list, "--shard", std::to_string(k) + "/4", "--format",
                           "jsonl", "--progress", "never"});
    // Missing repositories are records and the shard goes on; nothing was scanned in full: 3.
    CHECK(r.status == 3);
    for (const auto& line : lines_of(r.out)) {
      auto rec = json::parse(line);
      CHECK(rec["status"] == "error");
      CHECK(rec["error"].get<std::string>().find("repos.txt:") != std::string::npos);
      keys.insert(rec["repository"].get<std::string>());
    }
  }
  CHECK(keys.size() == 20);
  CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == 20);
}

TEST_CASE("scale: secrets stay redacted through records and merge unless --show-secrets",
          "[e2e][scale]")
{
  Org org;
  org.make("s0", 0);
  std::string list = org.write_list("s0\n");
  auto redacted = org.zenolint({"scan", "--repos", list, "--format", "jsonl", "-o", "red.jsonl"});
  CHECK(read_file(org.dir / "red.jsonl").find(org.tokens[0]) == std::string::npos);
  auto refuse = org.zenolint({"merge", "red.jsonl", "--show-secrets"});
  CHECK(refuse.status == 2);
  CHECK(refuse.out.find(org.tokens[0]) == std::string::npos);
  auto raw = org.zenolint(
      {"scan", "--repos", list, "--format", "jsonl", "-o", "raw.jsonl", "--show-secrets"});
  CHECK(read_file(org.dir / "raw.jsonl").find(org.tokens[0]) != std::string::npos);
  CHECK((fs::status(org.dir / "raw.jsonl").permissions() & fs::perms::others_read) ==
        fs::perms::none);
  for (std::string format : {"text", "json", "sarif"}) {
    auto hidden = org.zenolint({"merge", "raw.jsonl", "--format", format});
    CHECK(hidden.status == 1);
    CHECK(hidden.out.find(org.tokens[0]) == std::string::npos);
    auto shown = org.zenolint({"merge", "raw.jsonl", "--format", format, "--show-secrets"});
    CHECK(shown.out.find(org.tokens[0]) != std::string::npos);
    auto from_red = org.zenolint({"merge", "red.jsonl", "--format", format});
    CHECK(from_red.out == hidden.out);
  }
}
