#include "cli/cli.hpp"

#include "app/baseline.hpp"
#include "app/config_check.hpp"
#include "app/install_hook.hpp"
#include "app/remediate.hpp"
#include "app/rules_cmd.hpp"
#include "app/scale.hpp"
#include "app/scan.hpp"
#include "cli/docgen.hpp"
#include "cli/suggest.hpp"
#include "core/build_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "git/git.hpp"
#include "verify/http.hpp"
#include "zenolint_version.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string_view>

namespace zenolint::cli {
namespace {

// Options shared by every command that writes a report.
void add_output_options(CLI::App* cmd, app::OutputOptions& out, std::string& format,
                        std::string& color, std::string& fail_on,
                        const char* format_help = "Report format: text, json, sarif or gitlab",
                        std::vector<std::string> formats = {"text", "json", "sarif", "gitlab"})
{
  cmd->add_option("--format", format, format_help)->check(CLI::IsMember(formats));
  cmd->add_option("-o,--output", out.output, "Write the report to FILE instead of stdout")
      ->type_name("FILE");
  cmd->add_flag("--show-secrets", out.show_secrets,
                "Print secrets in full (they are redacted by default)");
  cmd->add_flag("--brief", out.brief,
                "Text format: one line per finding instead of one block per leaked secret");
  cmd->add_option("--color", color,
                  "Colour: auto (on a terminal, unless NO_COLOR is set and non-empty), always or "
                  "never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--fail-on", fail_on,
                  "Lowest severity that makes the exit status non-zero: error, warning or note")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  cmd->add_option("--exit-code", out.exit_code, "Exit status when findings remain (default 1)")
      ->check(CLI::Range(1, 125));
}

void finish_output_options(app::OutputOptions& out, const std::string& format,
                           const std::string& color, const std::string& fail_on)
{
  out.format = *report::parse_format(format);
  out.color = color == "always"  ? app::ColorMode::always
              : color == "never" ? app::ColorMode::never
                                 : app::ColorMode::auto_;
  out.fail_on = *parse_severity(fail_on);
}

std::string version_text()
{
  return std::string("zenolint ") + ZENOLINT_VERSION + " (git " + build_revision() + ")";
}

std::vector<CLI::App*> visible_subcommands(CLI::App& app)
{
  return app.get_subcommands([](CLI::App* a) { return !a->get_group().empty(); });
}

CLI::App* find_subcommand(CLI::App& app, const std::string& name)
{
  for (CLI::App* sub : visible_subcommands(app))
    if (sub->get_name() == name)
      return sub;
  return nullptr;
}

std::string command_path(const CLI::App* app)
{
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent())
    path = app->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates)
{
  std::string best = closest(word, candidates);
  return best.empty() ? std::string{} : "; did you mean '" + best + "'?";
}

// A report that could not be written whole (stdout on a full disk, /dev/full, a closed
// descriptor) is a fatal error, not the status of the findings: exit status 2.
int stdout_status(int status)
{
  std::cout.flush();
  // stdio drops what it could not write, so the reason is known only when this last flush is
  // the write that failed.
  errno = 0;
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
  int err = errno;
  if (!failed)
    return status;
  std::cerr << "zenolint: error: writing standard output failed"
            << (err != 0 ? std::string(": ") + std::strerror(err) : std::string()) << '\n';
  return 2;
}

// Usage errors: one line naming the problem, one pointing at the help; exit status 2.
int usage_error(const std::string& message, const CLI::App* where)
{
  std::string path = command_path(where);
  std::cerr << "zenolint: " << terminal_safe(message) << "\nRun 'zenolint help"
            << (path.empty() ? "" : " " + path) << "' for usage.\n";
  return 2;
}

// Walks the words before CLI11 sees them: a word where a command is expected must name one.
// Returns the app the command words lead to, or nullptr after reporting an unknown command.
CLI::App* check_commands(CLI::App& root, int argc, char** argv)
{
  CLI::App* app = &root;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--")
      break;
    if (!word.empty() && word[0] == '-')
      continue; // options are checked after parsing (root options take no values)
    auto subs = visible_subcommands(*app);
    if (subs.empty())
      break; // positional arguments of a leaf command
    if (CLI::App* sub = find_subcommand(*app, word)) {
      app = sub;
      continue;
    }
    std::vector<std::string> names;
    for (CLI::App* sub : subs)
      names.push_back(sub->get_name());
    usage_error("unknown command '" + word + "'" + did_you_mean(word, names), app);
    return nullptr;
  }
  return app;
}

// After parsing with extras allowed: anything CLI11 did not place is an unknown option or an
// unexpected argument of the innermost command given.
bool check_extras(CLI::App& root)
{
  CLI::App* app = &root;
  for (auto subs = app->get_subcommands(); !subs.empty(); subs = app->get_subcommands())
    app = subs.front();
  for (CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    for (const std::string& extra : a->remaining()) {
      if (extra.size() > 1 && extra[0] == '-') {
        std::string name = extra.substr(0, extra.find('='));
        std::vector<std::string> names;
        for (const CLI::Option* opt : app->get_options({})) {
          if (opt->get_group().empty())
            continue;
          for (const auto& s : opt->get_snames())
            names.push_back("-" + s);
          for (const auto& l : opt->get_lnames())
            names.push_back("--" + l);
        }
        usage_error("unknown option '" + name + "'" + did_you_mean(name, names), app);
      } else {
        usage_error("unexpected argument '" + extra + "'", app);
      }
      return false;
    }
  }
  return true;
}

// CLI11's help for `app`, with the usage line naming the whole command ("zenolint rules list").
std::string help_text(CLI::App* app)
{
  if (app->get_parent() == nullptr)
    return app->help();
  std::string parent = command_path(app->get_parent());
  return app->help(parent.empty() ? "zenolint" : "zenolint " + parent);
}

// `zenolint help [COMMAND...]` and the hidden `zenolint help --man`.
int run_help(CLI::App& cli, CLI::App* help, int argc, char** argv)
{
  CLI::App* topic = &cli;
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--man") {
      std::cout << man_page(describe(cli), version_text().substr(std::string("zenolint ").size()));
      return 0;
    }
    if (word == "-h" || word == "--help") {
      std::cout << help_text(help);
      return 0;
    }
    if (!word.empty() && word[0] == '-')
      return usage_error("unknown option '" + word + "'", help);
    CLI::App* sub = find_subcommand(*topic, word);
    if (sub == nullptr) {
      std::vector<std::string> names;
      for (CLI::App* s : visible_subcommands(*topic))
        names.push_back(s->get_name());
      return usage_error("unknown command '" + word + "'" + did_you_mean(word, names), topic);
    }
    topic = sub;
  }
  std::cout << help_text(topic);
  return 0;
}

void allow_extras_everywhere(CLI::App& app)
{
  app.allow_extras();
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    allow_extras_everywhere(*sub);
}

} // namespace

int run(int argc, char** argv)
{
  const auto started = std::chrono::steady_clock::now();
  // Process-wide library settings belong to start-up, never to library code.
  git::apply_process_settings();
  CLI::App cli{"zenolint: finds Zenodo access tokens and unsafe credential files before they leak"};
  cli.name("zenolint");
  cli.set_version_flag("-V,--version", version_text());

  std::string format = "text", color = "auto", fail_on = "warning", max_size = "10M",
              progress = "auto";
  std::vector<std::string> rule_dirs;

  // scan
  app::ScanCommand scan_cmd;
  auto* scan =
      cli.add_subcommand("scan", "Scan a working tree and its git history for Zenodo tokens");
  scan->add_option("paths", scan_cmd.paths,
                   "Repositories, directories, files or archives to scan, each its own root; '-' "
                   "reads standard input (default: .)");
  scan->add_option("--stdin-name", scan_cmd.stdin_name,
                   "Path to report for standard input ('-'); its file name also picks the file "
                   "kind (e.g. .zenodorc)");
  scan->add_option("--release", scan_cmd.release,
                   "Scan exactly what `git archive REV` would publish (a GitHub release's source "
                   "archive, what Zenodo stores), instead of the working tree and history");
  std::string max_archive_bytes = "1G";
  scan->add_option("--max-archive-depth", scan_cmd.max_archive_depth,
                   "Read archives nested up to this depth (default 3; 0: do not open archives)")
      ->check(CLI::Range(0u, 32u));
  scan->add_option("--max-archive-bytes", max_archive_bytes,
                   "Uncompressed bytes one archive (with the archives in it) may inflate to, and "
                   "the largest archive file read (default 1G)");
  scan->add_option("-j,--jobs", scan_cmd.jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  scan->add_option("--max-file-size", max_size, "Skip files larger than this (default 10M)")
      ->type_name("SIZE");
  scan->add_option("--rules", rule_dirs, "Directory of extra rule files (repeatable)")
      ->allow_extra_args(false)
      ->type_name("DIR");
  scan->add_flag("--no-history", scan_cmd.no_history, "Scan the working tree only");
  scan->add_flag("--history-only", scan_cmd.history_only, "Scan git history only");
  scan->add_flag("--staged", scan_cmd.staged, "Scan only what is staged in the index");
  scan->add_option("--range", scan_cmd.range,
                   "Scan the blobs introduced by a revision range (A..B)")
      ->type_name("RANGE");
  scan->add_flag("--all-objects", scan_cmd.all_objects,
                 "Also scan every blob in the object database, reachable or not");
  scan->add_flag("--verbose", scan_cmd.verbose,
                 "List every diagnostic, instead of one line per shared cause (such as the "
                 "objects a partial clone never fetched)");
  scan->add_option("--progress", progress, "Progress on stderr: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  scan->add_option("--baseline", scan_cmd.baseline, "Report only findings not in this baseline")
      ->type_name("FILE");
  scan->add_option("--ignore-file", scan_cmd.ignore_file,
                   "Ignore file (default: .zenolintignore at the repository root)")
      ->type_name("FILE");
  bool no_inline_allow = false;
  scan->add_flag("--no-inline-allow", no_inline_allow, "Ignore zenolint:allow comments");
  scan->add_flag("--include-ignored", scan_cmd.include_ignored,
                 "Working tree: also scan files git ignores (.gitignore, .git/info/exclude, "
                 "core.excludesFile) and files in submodules and nested repositories");
  scan->add_flag("--fix", scan_cmd.fix, "Set credential files to mode 0600");
  scan->add_flag("--verify", scan_cmd.verify,
                 "Ask each token's Zenodo instance whether it still works (one HTTPS request "
                 "per unique token, Authorization header only)");
  app::ReposCommand repos_cmd;
  std::string shard_text;
  scan->add_option("--repos", repos_cmd.repos_file,
                   "Scan the repositories listed in FILE (one path per line, relative to FILE's "
                   "directory; blank lines and # comments skipped), one after another")
      ->type_name("FILE");
  scan->add_option("--shard", shard_text,
                   "With --repos: scan only shard K of N (1 <= K <= N), chosen by a hash of each "
                   "line, so that N processes cover the list exactly once")
      ->type_name("K/N");
  scan->add_flag("--resume", repos_cmd.resume,
                 "With --repos and --format jsonl -o FILE: skip repositories whose refs, working "
                 "tree and options are unchanged since their record in FILE; append the others");
  add_output_options(scan, scan_cmd.out, format, color, fail_on,
                     "Report format: text, json, sarif, gitlab, or jsonl (with --repos: one "
                     "record per repository, appended to -o FILE)",
                     {"text", "json", "sarif", "gitlab", "jsonl"});

  // merge
  app::MergeCommand merge_cmd;
  auto* merge = cli.add_subcommand(
      "merge", "Combine the JSON Lines records of scan --repos shards into one report");
  merge->add_option("files", merge_cmd.files, "Records files (scan --format jsonl -o FILE)")
      ->required()
      ->type_name("FILE");
  add_output_options(merge, merge_cmd.out, format, color, fail_on,
                     "Report format: text, json, sarif or gitlab");

  // remediate
  app::RemediateCommand remediate_cmd;
  auto* remediate = cli.add_subcommand(
      "remediate", "Write a git filter-repo --replace-text file that removes every secret found "
                   "(it holds the raw secrets, mode 0600)");
  remediate->add_option("path", remediate_cmd.path, "Repository to scan (default: .)");
  remediate
      ->add_option("--replacements", remediate_cmd.replacements,
                   "File to create (never overwritten): one SECRET==>REMOVED line per secret")
      ->required();
  remediate->add_option("-j,--jobs", remediate_cmd.jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));

  // rules
  auto* rules = cli.add_subcommand("rules", "List or test detection rules");
  rules->require_subcommand(0, 1);
  auto* rules_list = rules->add_subcommand("list", "List the active rules");
  bool rules_json = false;
  std::string rules_format = "text";
  rules_list->add_option("--format", rules_format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  rules_list->add_flag("--json", rules_json, "Same as --format json");
  rules_list->add_option("--rules", rule_dirs, "Directory of extra rule files (repeatable)")
      ->allow_extra_args(false)
      ->type_name("DIR");
  auto* rules_test = rules->add_subcommand("test", "Check every rule against its examples");
  std::string test_dir;
  rules_test->add_option("dir", test_dir, "Directory of rule files (default: the built-in rules)");
  rules_test->add_option("--format", rules_format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  rules_test->add_option("--rules", rule_dirs, "Directory of extra rule files (repeatable)")
      ->allow_extra_args(false)
      ->type_name("DIR");

  // install-hook / run-hook
  app::InstallHookCommand hook_cmd;
  auto* install_hook = cli.add_subcommand("install-hook", "Install zenolint as a git hook");
  install_hook->add_option("path", hook_cmd.path, "Path inside the repository (default: .)");
  install_hook->add_flag("--pre-push", hook_cmd.pre_push, "Install the pre-push hook");
  install_hook->add_flag("--force", hook_cmd.force, "Replace an existing, different hook");
  install_hook->add_flag("--append", hook_cmd.append,
                         "Keep an existing hook and run it before zenolint's");
  install_hook->add_flag("--global", hook_cmd.global,
                         "Install into the global core.hooksPath (set to "
                         "$XDG_CONFIG_HOME/git/hooks when unset): every repository of the user");
  auto* uninstall_hook = cli.add_subcommand(
      "uninstall-hook", "Remove the zenolint git hook (and restore a hook --append kept)");
  uninstall_hook->add_option("path", hook_cmd.path, "Path inside the repository (default: .)");
  uninstall_hook->add_flag("--pre-push", hook_cmd.pre_push, "Remove the pre-push hook");
  uninstall_hook->add_flag("--global", hook_cmd.global, "Remove it from the global core.hooksPath");
  std::string run_hook_name;
  std::vector<std::string> run_hook_args;
  auto* run_hook = cli.add_subcommand(
      "run-hook", "Run an embedded hook script (entry point for the pre-commit framework)");
  run_hook->add_option("name", run_hook_name, "pre-commit or pre-push")
      ->required()
      ->check(CLI::IsMember({"pre-commit", "pre-push"}));
  run_hook->add_option("args", run_hook_args, "Arguments passed to the hook");

  // config check
  app::ConfigCheckCommand config_cmd;
  auto* config = cli.add_subcommand("config", "Audit Zenodo credential files");
  config->require_subcommand(0, 1);
  auto* config_check = config->add_subcommand(
      "check", "Check credential files (default: " + app::client_files_in_home() +
                   " and the same names in $XDG_CONFIG_HOME and $XDG_CONFIG_HOME/zenodo)");
  config_check->add_option("files", config_cmd.files, "Files to check (default: the user's own)");
  config_check->add_flag(
      "--fix", config_cmd.fix,
      "Set credential files to mode 0600 (content and labels are never changed)");
  add_output_options(config_check, config_cmd.out, format, color, fail_on);

  // baseline create
  auto* baseline = cli.add_subcommand("baseline", "Record current findings as accepted");
  baseline->require_subcommand(0, 1);
  app::ScanCommand baseline_cmd;
  std::string baseline_output;
  bool baseline_no_inline_allow = false;
  auto* baseline_create =
      baseline->add_subcommand("create", "Write a baseline of the current findings (hashes only)");
  baseline_create->add_option("path", baseline_cmd.path,
                              "Directory or repository to scan (default: .)");
  baseline_create
      ->add_option("-o,--output", baseline_output, "Baseline file to write ('-': stdout)")
      ->required()
      ->type_name("FILE");
  baseline_create->add_option("-j,--jobs", baseline_cmd.jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  baseline_create
      ->add_option("--max-file-size", max_size, "Skip files larger than this (default 10M)")
      ->type_name("SIZE");
  baseline_create->add_option("--rules", rule_dirs, "Directory of extra rule files (repeatable)")
      ->allow_extra_args(false)
      ->type_name("DIR");
  std::string baseline_format = "text";
  baseline_create
      ->add_option("--format", baseline_format,
                   "Summary format: text (on stderr) or json (on stdout; needs -o FILE)")
      ->check(CLI::IsMember({"text", "json"}));
  baseline_create->add_flag("--no-history", baseline_cmd.no_history, "Scan the working tree only");
  baseline_create->add_flag("--history-only", baseline_cmd.history_only, "Scan git history only");
  baseline_create
      ->add_option("--ignore-file", baseline_cmd.ignore_file,
                   "Ignore file (default: .zenolintignore at the repository root)")
      ->type_name("FILE");
  baseline_create->add_flag("--no-inline-allow", baseline_no_inline_allow,
                            "Ignore zenolint:allow comments");

  // help, version, completion
  auto* help = cli.add_subcommand("help", "Show help for zenolint or one of its commands");
  std::vector<std::string> help_topic;
  help->add_option("command", help_topic, "The command to describe, e.g. scan or rules list");
  bool help_man = false; // read by run_help(); defined here so the flag is known to CLI11
  help->add_flag("--man", help_man, "Print the zenolint(1) man page in roff")->group("");
  auto* version = cli.add_subcommand("version", "Print the version and the git revision");
  std::string completion_shell;
  auto* completion = cli.add_subcommand(
      "completion", "Print a shell completion script (source <(zenolint completion bash))");
  completion->add_option("shell", completion_shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember(completion_shells()));

  use_clean_help(cli);
  allow_extras_everywhere(cli);

  if (argc <= 1) {
    std::cerr << cli.help() << "\nzenolint: a command is required.\n";
    return 2;
  }
  // `help` reads its words itself: CLI11 would take "help scan" as two commands.
  if (std::string_view(argv[1]) == "help")
    return run_help(cli, help, argc, argv);
  if (check_commands(cli, argc, argv) == nullptr)
    return 2;
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion&) {
    std::cout << version_text() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return 2;
  }
  if (!check_extras(cli))
    return 2;
  if (cli.get_subcommands().empty())
    return usage_error("a command is required", &cli);
  for (CLI::App* app : {rules, config, baseline})
    if (*app && app->get_subcommands().empty())
      return usage_error("'" + app->get_name() + "' needs a command", app);

  if (*version) {
    std::cout << version_text() << '\n';
    return 0;
  }
  if (*completion) {
    std::cout << completion_script(describe(cli), completion_shell);
    return 0;
  }

  try {
    // libcurl is initialised here, before any thread starts, and only when it will be used.
    std::optional<verify::CurlGlobal> curl;
    if (*scan && scan_cmd.verify)
      curl.emplace();
    if (*merge) {
      finish_output_options(merge_cmd.out, format, color, fail_on);
      return stdout_status(app::merge(merge_cmd, std::cout));
    }
    if (*scan) {
      repos_cmd.jsonl = format == "jsonl";
      if (repos_cmd.jsonl && repos_cmd.repos_file.empty())
        return usage_error("--format jsonl needs --repos FILE", scan);
      if (repos_cmd.repos_file.empty() && (!shard_text.empty() || repos_cmd.resume))
        return usage_error(
            std::string(shard_text.empty() ? "--resume" : "--shard") + " needs --repos FILE", scan);
      if (!shard_text.empty())
        repos_cmd.shard = app::parse_shard(shard_text);
      finish_output_options(scan_cmd.out, repos_cmd.jsonl ? "json" : format, color, fail_on);
      scan_cmd.out.started = started;
      scan_cmd.max_file_size = app::parse_size(max_size);
      scan_cmd.max_archive_bytes = app::parse_size(max_archive_bytes);
      scan_cmd.rule_dirs = rule_dirs;
      scan_cmd.inline_allow = !no_inline_allow;
      scan_cmd.progress = progress == "always"  ? app::ProgressMode::always
                          : progress == "never" ? app::ProgressMode::never
                                                : app::ProgressMode::auto_;
      if (!repos_cmd.repos_file.empty())
        return stdout_status(app::scan_repos(scan_cmd, repos_cmd, std::cout));
      auto report = app::scan(scan_cmd);
      return stdout_status(app::emit(report, scan_cmd.out, std::cout));
    }
    if (*remediate)
      return stdout_status(app::remediate(remediate_cmd, std::cout, std::cerr));
    if (*install_hook)
      return stdout_status(app::install_hook(hook_cmd, std::cout));
    if (*uninstall_hook)
      return stdout_status(app::uninstall_hook(hook_cmd, std::cout));
    if (*run_hook)
      return app::run_hook(run_hook_name, run_hook_args);
    if (*config_check) {
      finish_output_options(config_cmd.out, format, color, fail_on);
      auto result = app::config_check(config_cmd);
      for (const auto& line : result.looked_at)
        std::cerr << "zenolint: looked at " << line << '\n';
      for (const auto& line : result.fixes)
        std::cerr << "zenolint: fixed: " << terminal_safe(line) << '\n';
      int status = app::emit(result.report, config_cmd.out, std::cout);
      return result.missing_named_file ? 2 : stdout_status(status);
    }
    if (*baseline_create) {
      baseline_cmd.max_file_size = app::parse_size(max_size);
      baseline_cmd.rule_dirs = rule_dirs;
      baseline_cmd.inline_allow = !baseline_no_inline_allow;
      baseline_cmd.progress = app::ProgressMode::never;
      return stdout_status(app::baseline_create(baseline_cmd, baseline_output,
                                                baseline_format == "json", std::cout, std::cerr));
    }
    if (*rules_list)
      return stdout_status(
          app::rules_list(rule_dirs, rules_json || rules_format == "json", std::cout));
    if (*rules_test)
      return stdout_status(
          app::rules_test(test_dir, rule_dirs, rules_format == "json", std::cout, std::cerr));
  } catch (const Error& e) {
    std::cerr << "zenolint: error: " << terminal_safe(e.what()) << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "zenolint: internal error: " << terminal_safe(e.what()) << '\n';
    return 2;
  }
  return 2;
}

} // namespace zenolint::cli
