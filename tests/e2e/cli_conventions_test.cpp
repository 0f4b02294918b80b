// Command-line conventions: unknown commands and options, help, version, and the man page and
// shell completions generated from the same definitions as --help (checked against --help itself).
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

using namespace zenolint::test;

namespace {

// Lines of `text` from the line `header` up to the next blank line.
std::vector<std::string> section(const std::string& text, const std::string& header)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line == header) {
      inside = true;
      continue;
    }
    if (inside && line.empty())
      break;
    if (inside)
      out.push_back(line);
  }
  return out;
}

// The options `zenolint PATH --help` lists ("-o", "--output", ...).
std::vector<std::string> help_options(const std::string& help)
{
  std::vector<std::string> out;
  static const std::regex name(R"((?:^|,)(--?[A-Za-z][-A-Za-z0-9]*))");
  for (const auto& line : section(help, "Options:")) {
    if (line.rfind("  -", 0) != 0)
      continue; // wrapped description
    std::string names = line.substr(2, line.find(' ', 2) - 2);
    for (std::sregex_iterator it(names.begin(), names.end(), name), end; it != end; ++it)
      out.push_back((*it)[1]);
  }
  return out;
}

std::vector<std::string> help_subcommands(const std::string& help)
{
  std::vector<std::string> out;
  for (const auto& line : section(help, "Subcommands:"))
    if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ')
      out.push_back(line.substr(2, line.find(' ', 2) - 2));
  return out;
}

struct Command {
  std::vector<std::string> words; // after "zenolint"
  std::vector<std::string> options;
  std::vector<std::string> subcommands;
};

// Every command, found by walking `--help` the way a user would.
std::vector<Command> all_commands()
{
  std::vector<Command> out;
  std::vector<std::vector<std::string>> todo{{}};
  while (!todo.empty()) {
    auto words = todo.back();
    todo.pop_back();
    auto args = words;
    args.push_back("--help");
    auto r = run_zenolint(args);
    REQUIRE(r.status == 0);
    Command cmd{words, help_options(r.out), help_subcommands(r.out)};
    for (const auto& sub : cmd.subcommands) {
      auto next = words;
      next.push_back(sub);
      todo.push_back(next);
    }
    out.push_back(cmd);
  }
  REQUIRE(out.size() >= 10);
  return out;
}

std::string joined(const std::vector<std::string>& words)
{
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string roff_name(const std::string& option)
{
  std::string out;
  for (char c : option)
    out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::string bash_complete(const std::string& script, const std::vector<std::string>& words)
{
  std::string array;
  for (const auto& w : words)
    array += " '" + w + "'";
  std::string prog = "source '" + script + "'\nCOMP_WORDS=(" + array +
                     ")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_zenolint\n"
                     "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  return must_run({"bash", "--norc", "--noprofile", "-c", prog});
}

std::set<std::string> lines_of(const std::string& text)
{
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.insert(line.substr(0, line.find('\t')));
  return out;
}

const std::string docs_dir = std::string(ZENOLINT_BUILD_DIR) + "/generated/docs";

} // namespace

TEST_CASE("an unknown command is named with the closest one, exit status 2", "[e2e][cli]")
{
  auto r = run_zenolint({"scna"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'scna'; did you mean 'scan'?"));
  CHECK(r.out.empty());

  r = run_zenolint({"rules", "lsit"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'lsit'; did you mean 'list'?"));

  r = run_zenolint({"frobnicate"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'frobnicate'"));
  CHECK_THAT(r.err, !Catch::Contains("did you mean"));

  r = run_zenolint({});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("a command is required"));
  r = run_zenolint({"rules"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("'rules' needs a command"));
}

TEST_CASE("an unknown option is named with the closest one of that command", "[e2e][cli]")
{
  auto r = run_zenolint({"scan", "--formt", "json", "."});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown option '--formt'; did you mean '--format'?"));
  CHECK_THAT(r.err, Catch::Contains("zenolint help scan"));

  r = run_zenolint({"-v"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown option '-v'; did you mean '-V'?"));

  r = run_zenolint({"config", "check", "--fixx"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean '--fix'?"));

  r = run_zenolint({"rules", "list", "extra"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("unexpected argument 'extra'"));
}

TEST_CASE("help COMMAND, version and --version", "[e2e][cli]")
{
  auto help = run_zenolint({"help", "rules", "list"});
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("Usage: zenolint rules list"));
  CHECK(help.out == run_zenolint({"rules", "list", "--help"}).out);

  auto root = run_zenolint({"help"});
  CHECK(root.status == 0);
  CHECK_THAT(root.out, Catch::Contains("Subcommands:"));
  CHECK(run_zenolint({"help", "scna"}).status == 2);

  auto version = run_zenolint({"version"});
  CHECK(version.status == 0);
  static const std::regex shape(R"(zenolint \d+\.\d+\.\d+ \(git [-0-9a-z.]+\)\n)");
  CHECK(std::regex_match(version.out, shape));
  CHECK(run_zenolint({"--version"}).out == version.out);
  CHECK(run_zenolint({"-V"}).out == version.out);
  // Built from this checkout: the revision is its commit.
  auto head = must_run({"git", "-C", ZENOLINT_SOURCE_DIR, "rev-parse", "--short=7", "HEAD"});
  CHECK_THAT(version.out, Catch::Contains("(git " + head.substr(0, 7)));
}

TEST_CASE("help shows placeholders, not parser type names", "[e2e][cli]")
{
  for (const auto& cmd : all_commands()) {
    auto args = cmd.words;
    args.push_back("--help");
    auto out = run_zenolint(args).out;
    INFO(joined(cmd.words));
    for (const char* noise : {"TEXT", "UINT", " in [", "INT:", ":{"})
      CHECK_THAT(out, !Catch::Contains(noise));
  }
}

TEST_CASE("the man page documents every command and every option that --help lists",
          "[e2e][cli][man]")
{
  auto man = run_zenolint({"help", "--man"});
  REQUIRE(man.status == 0);
  // The page built (and installed) is exactly what the binary prints.
  CHECK(read_file(docs_dir + "/zenolint.1") == man.out);
  for (const auto& cmd : all_commands()) {
    INFO(joined(cmd.words));
    if (!cmd.words.empty() && cmd.subcommands.empty())
      CHECK_THAT(man.out, Catch::Contains(".SS \"" + roff_name(joined(cmd.words)) + "\""));
    for (const auto& opt : cmd.options) {
      INFO(opt);
      CHECK_THAT(man.out, Catch::Contains("\\fB" + roff_name(opt) + "\\fR"));
    }
  }
  // groff accepts it without a warning.
  TempDir dir;
  write_file(dir / "zenolint.1", man.out);
  auto groff = run({"groff", "-man", "-Tutf8", "-ww", "-z", dir / "zenolint.1"});
  CHECK(groff.status == 0);
  CHECK(groff.err.empty());
}

TEST_CASE("bash completes every command and every option that --help lists",
          "[e2e][cli][completion]")
{
  std::string script = docs_dir + "/zenolint.bash";
  CHECK(read_file(script) == run_zenolint({"completion", "bash"}).out);
  for (const auto& cmd : all_commands()) {
    INFO(joined(cmd.words));
    auto words = cmd.words;
    words.insert(words.begin(), "zenolint");
    words.push_back("-");
    auto options = lines_of(bash_complete(script, words));
    for (const auto& opt : cmd.options) {
      INFO(opt);
      CHECK(options.count(opt) == 1);
    }
    words.back() = "";
    auto commands = lines_of(bash_complete(script, words));
    for (const auto& sub : cmd.subcommands) {
      INFO(sub);
      CHECK(commands.count(sub) == 1);
    }
  }
  // Values of a choice option, and after an option that takes a value.
  auto formats = lines_of(bash_complete(script, {"zenolint", "scan", "--format", ""}));
  CHECK(formats == std::set<std::string>{"text", "json", "sarif", "gitlab", "jsonl"});
  auto merge_formats = lines_of(bash_complete(script, {"zenolint", "merge", "--format", ""}));
  CHECK(merge_formats == std::set<std::string>{"text", "json", "sarif", "gitlab"});
  auto after = lines_of(bash_complete(script, {"zenolint", "scan", "--format", "json", "--fa"}));
  CHECK(after == std::set<std::string>{"--fail-on"});
}

TEST_CASE("fish completes every command and every option that --help lists",
          "[e2e][cli][completion]")
{
  std::string script = docs_dir + "/zenolint.fish";
  CHECK(read_file(script) == run_zenolint({"completion", "fish"}).out);
  for (const auto& cmd : all_commands()) {
    INFO(joined(cmd.words));
    std::string line = "zenolint " + joined(cmd.words) + (cmd.words.empty() ? "" : " ");
    auto complete = [&](const std::string& text) {
      return lines_of(must_run(
          {"fish", "--no-config", "-c", "source '" + script + "'; complete -C '" + text + "'"}));
    };
    auto longs = complete(line + "--");
    auto shorts = complete(line + "-");
    for (const auto& opt : cmd.options) {
      INFO(opt);
      CHECK((opt.rfind("--", 0) == 0 ? longs : shorts).count(opt) == 1);
    }
    auto commands = complete(line);
    for (const auto& sub : cmd.subcommands) {
      INFO(sub);
      CHECK(commands.count(sub) == 1);
    }
  }
}

TEST_CASE("zsh completion lists every option that --help lists and parses",
          "[e2e][cli][completion]")
{
  std::string script = docs_dir + "/_zenolint";
  std::string text = read_file(script);
  CHECK(text == run_zenolint({"completion", "zsh"}).out);
  CHECK(run({"zsh", "-n", script}).status == 0);
  for (const auto& cmd : all_commands()) {
    INFO(joined(cmd.words));
    auto start = text.find("\"options|" + joined(cmd.words) + "\")");
    REQUIRE(start != std::string::npos);
    auto entry = text.substr(start, text.find(";;", start) - start);
    for (const auto& opt : cmd.options) {
      INFO(opt);
      CHECK_THAT(entry, Catch::Contains("'" + opt + ":"));
    }
  }
}

TEST_CASE("cmake --install puts the man page and completions where their tools look",
          "[e2e][install]")
{
  TempDir prefix;
  must_run({"cmake", "--install", ZENOLINT_BUILD_DIR, "--prefix", prefix.path()});
  for (const char* f :
       {"bin/zenolint", "share/man/man1/zenolint.1.gz",
        "share/bash-completion/completions/zenolint", "share/zsh/site-functions/_zenolint",
        "share/fish/vendor_completions.d/zenolint.fish", "share/zenolint/hooks/pre-commit",
        "share/doc/zenolint/README.md"}) {
    INFO(f);
    CHECK(std::filesystem::exists(prefix / f));
  }
  auto man = must_run({"gzip", "-dc", prefix / "share/man/man1/zenolint.1.gz"});
  CHECK(man == run_zenolint({"help", "--man"}).out);
}

TEST_CASE("colour follows no-color.org: NO_COLOR counts only when non-empty, --color always wins",
          "[e2e][cli][color]")
{
  TempDir dir;
  write_file(dir / "x.env", "ZENODO_TOKEN=" + make_token() + "\n");
  const std::string esc = "\x1b[";
  // On a terminal (script(1) gives the command a pty; its output comes back through the pty).
  auto on_tty = [&](const std::string& no_color_value, const std::string& extra) {
    std::string cmd = std::string("'") + ZENOLINT_BINARY + "' scan --no-history --progress never " +
                      extra + " '" + dir.path() + "'";
    return run({"script", "-qec", cmd, "/dev/null"},
               {dir.path(), {{"NO_COLOR", no_color_value}}, ""});
  };
  // RunOptions: an empty value unsets the variable, so set "" through env(1) instead.
  auto tty_empty = run({"env", "NO_COLOR=", "script", "-qec",
                        std::string("'") + ZENOLINT_BINARY +
                            "' scan --no-history --progress never '" + dir.path() + "'",
                        "/dev/null"});
  CHECK(tty_empty.status == 1);
  CHECK_THAT(tty_empty.out, Catch::Contains(esc));
  auto tty_unset = on_tty("", "");
  CHECK_THAT(tty_unset.out, Catch::Contains(esc));
  auto tty_set = on_tty("1", "");
  CHECK_THAT(tty_set.out, Catch::Contains("zenodo/assignment"));
  CHECK_THAT(tty_set.out, !Catch::Contains(esc));
  auto tty_never = on_tty("", "--color never");
  CHECK_THAT(tty_never.out, !Catch::Contains(esc));

  // Not a terminal: no colour unless asked for, and then even with NO_COLOR set.
  auto piped = run_zenolint({"scan", "--no-history", dir.path()});
  CHECK_THAT(piped.out, !Catch::Contains(esc));
  auto always = run_zenolint({"scan", "--no-history", "--color", "always", dir.path()},
                             {dir.path(), {{"NO_COLOR", "1"}}, ""});
  CHECK(always.status == 1);
  CHECK_THAT(always.out, Catch::Contains(esc));
}

TEST_CASE("the summary counts files and history blobs apart, in binary units, with time on a "
          "terminal",
          "[e2e][cli][summary]")
{
  TempRepo repo;
  repo.write("upload.sh", "export ZENODO_TOKEN=" + make_token() + "\n");
  repo.git({"add", "upload.sh"});
  repo.git({"commit", "-q", "-m", "add"});
  auto r = repo.zenolint({"scan", "--progress", "never"});
  CHECK(r.status == 1);
  // One file, committed once: 1 file and 1 blob of history, read once (same blob id).
  CHECK_THAT(r.out,
             Catch::Contains("1 finding in 1 file and 1 blob of history (1 commit); read 1 unique "
                             "blob, 81 bytes; skipped 0"));
  CHECK_THAT(r.out, !Catch::Contains(" s; skipped")); // no time in a report that is not on a tty

  repo.write("big.txt", std::string(3 * 1024 * 1024 + 512 * 1024, 'x') + "\n");
  auto big = repo.zenolint({"scan", "--no-history", "--progress", "never"});
  CHECK_THAT(big.out, Catch::Contains("in 2 files; read 2 unique blobs, 3.5 MiB; skipped 0"));

  auto opts = repo.options();
  auto tty = run({"script", "-qec",
                  std::string("'") + ZENOLINT_BINARY + "' scan --no-history --progress never",
                  "/dev/null"},
                 opts);
  static const std::regex timed(R"(read 2 unique blobs, 3\.5 MiB in \d+\.\d\d s; skipped)");
  CHECK(std::regex_search(tty.out, timed));
}
