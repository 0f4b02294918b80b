#include "cli/docgen.hpp"

#include "app/config_check.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>

namespace zenolint::cli {
namespace {

bool is_generic_type(std::string_view base)
{
  return base.empty() || base == "TEXT" || base == "UINT" || base == "INT" || base == "FLOAT" ||
         base == "NUMBER" || base == "BOOLEAN";
}

std::vector<std::string> choices_of(const CLI::Option& opt)
{
  // IsMember describes itself as "{a,b,c}"; it is the only validator here that lists values.
  std::string full = opt.get_type_name();
  std::vector<std::string> out;
  for (size_t colon = full.find(':'); colon != std::string::npos;
       colon = full.find(':', colon + 1)) {
    if (colon + 1 >= full.size() || full[colon + 1] != '{')
      continue;
    size_t close = full.find('}', colon);
    if (close == std::string::npos)
      break;
    std::string set = full.substr(colon + 2, close - colon - 2);
    std::stringstream ss(set);
    for (std::string item; std::getline(ss, item, ',');)
      if (!item.empty())
        out.push_back(item);
    break;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep)
{
  std::string out;
  for (const auto& item : items) {
    if (!out.empty())
      out += sep;
    out += item;
  }
  return out;
}

// Flags (including --help and --version) expect no value.
bool takes_value(const CLI::Option& opt)
{
  return opt.get_type_size_max() > 0 && opt.get_expected_max() > 0;
}

OptionDoc describe_option(CLI::Option& opt)
{
  OptionDoc doc;
  if (opt.get_positional() && opt.get_lnames().empty() && opt.get_snames().empty()) {
    doc.positional = opt.get_name();
  } else {
    for (const auto& s : opt.get_snames())
      doc.names.push_back("-" + s);
    for (const auto& l : opt.get_lnames())
      doc.names.push_back("--" + l);
  }
  if (takes_value(opt))
    doc.metavar = metavar(opt);
  doc.choices = choices_of(opt);
  doc.description = opt.get_description();
  doc.repeatable = opt.get_expected_max() > 1;
  doc.required = opt.get_required();
  return doc;
}

CommandDoc describe_at(CLI::App& app, const std::string& path)
{
  CommandDoc doc;
  doc.name = app.get_name();
  doc.path = path;
  doc.description = app.get_description();
  for (CLI::Option* opt : app.get_options({})) {
    if (opt->get_group().empty())
      continue;
    if (opt->nonpositional())
      doc.options.push_back(describe_option(*opt));
    else
      doc.positionals.push_back(describe_option(*opt));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return !a->get_group().empty(); })) {
    std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    doc.subcommands.push_back(describe_at(*sub, sub_path));
  }
  return doc;
}

void for_each_command(const CommandDoc& cmd, const std::function<void(const CommandDoc&)>& fn)
{
  fn(cmd);
  for (const auto& sub : cmd.subcommands)
    for_each_command(sub, fn);
}

// ---- roff ----

std::string roff(std::string_view text)
{
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool line_start = i == 0 || text[i - 1] == '\n';
    if (line_start && (c == '.' || c == '\''))
      out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

std::string usage_words(const CommandDoc& cmd)
{
  std::string out = "\\fBzenolint";
  if (!cmd.path.empty())
    out += " " + roff(cmd.path);
  out += "\\fR";
  if (!cmd.subcommands.empty())
    out += " \\fICOMMAND\\fR";
  if (!cmd.options.empty())
    out += " [\\fIOPTIONS\\fR]";
  for (const auto& p : cmd.positionals) {
    std::string word = "\\fI" + roff(p.positional) + "\\fR" + (p.repeatable ? "..." : "");
    out += p.required ? " " + word : " [" + word + "]";
  }
  return out;
}

std::string option_heading(const OptionDoc& opt)
{
  std::string out;
  for (const auto& name : opt.names) {
    if (!out.empty())
      out += ", ";
    out += "\\fB" + roff(name) + "\\fR";
  }
  if (!opt.metavar.empty())
    out += " \\fI" + roff(opt.metavar) + "\\fR";
  return out;
}

// ---- shells ----

// Words that complete for one command: subcommand names, option names, options taking a value.
struct ShellTable {
  std::string path;
  std::vector<std::string> commands;
  std::vector<std::string> options;
  std::vector<std::string> valued;
  std::vector<std::pair<std::string, std::vector<std::string>>> choices; // option -> values
};

std::vector<ShellTable> shell_tables(const CommandDoc& root)
{
  std::vector<ShellTable> out;
  for_each_command(root, [&](const CommandDoc& cmd) {
    ShellTable t;
    t.path = cmd.path;
    for (const auto& sub : cmd.subcommands)
      t.commands.push_back(sub.name);
    for (const auto& opt : cmd.options)
      for (const auto& name : opt.names) {
        t.options.push_back(name);
        if (!opt.metavar.empty()) {
          t.valued.push_back(name);
          if (!opt.choices.empty())
            t.choices.emplace_back(name, opt.choices);
        }
      }
    out.push_back(std::move(t));
  });
  return out;
}

std::string bash_script(const CommandDoc& root)
{
  auto tables = shell_tables(root);
  std::ostringstream s;
  s << "# bash completion for zenolint. Generated by `zenolint completion bash` from the same\n"
       "# definitions as `zenolint --help`; do not edit.\n\n";
  auto emit_case = [&](const char* fn, auto field) {
    s << fn << "()\n{\n  case \"$1\" in\n";
    for (const auto& t : tables)
      s << "  \"" << t.path << "\") echo \"" << join(field(t), " ") << "\" ;;\n";
    s << "  esac\n}\n\n";
  };
  emit_case("_zenolint_commands", [](const ShellTable& t) { return t.commands; });
  emit_case("_zenolint_options", [](const ShellTable& t) { return t.options; });
  emit_case("_zenolint_valued", [](const ShellTable& t) { return t.valued; });
  s << "_zenolint_choices()\n{\n  case \"$1|$2\" in\n";
  for (const auto& t : tables)
    for (const auto& [opt, values] : t.choices)
      s << "  \"" << t.path << "|" << opt << "\") echo \"" << join(values, " ") << "\" ;;\n";
  s << "  esac\n}\n\n";
  s << R"sh(_zenolint()
{
  local cur=${COMP_WORDS[COMP_CWORD]} path="" word i skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if ((skip)); then
      skip=0
      continue
    fi
    case $word in
    --*=*) ;;
    -*) [[ " $(_zenolint_valued "$path") " == *" $word "* ]] && skip=1 ;;
    *) [[ " $(_zenolint_commands "$path") " == *" $word "* ]] && path=${path:+$path }$word ;;
    esac
  done
  local prev=""
  ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  if [[ -n $prev && " $(_zenolint_valued "$path") " == *" $prev "* ]]; then
    local values
    values=$(_zenolint_choices "$path" "$prev")
    if [[ -n $values ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
    return 0
  fi
  local commands
  commands=$(_zenolint_commands "$path")
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_zenolint_options "$path")" -- "$cur")
  elif [[ -n $commands ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
  return 0
}
complete -o filenames -F _zenolint zenolint
)sh";
  return s.str();
}

std::string zsh_quote_description(std::string_view text)
{
  // Inside single quotes; ':' separates value from description in _describe.
  std::string out;
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else if (c == ':')
      out += "\\:";
    else
      out += c;
  }
  return out;
}

std::string zsh_script(const CommandDoc& root)
{
  auto tables = shell_tables(root);
  std::ostringstream s;
  s << "#compdef zenolint\n"
       "# zsh completion for zenolint. Generated by `zenolint completion zsh` from the same\n"
       "# definitions as `zenolint --help`; do not edit.\n\n";
  // Descriptions per command path, for _describe.
  s << "_zenolint_described()\n{\n  # $1: commands or options, $2: the command path\n"
       "  case \"$1|$2\" in\n";
  for_each_command(root, [&](const CommandDoc& cmd) {
    if (!cmd.subcommands.empty()) {
      s << "  \"commands|" << cmd.path << "\") reply=(";
      for (const auto& sub : cmd.subcommands)
        s << " '" << sub.name << ":" << zsh_quote_description(sub.description) << "'";
      s << " ) ;;\n";
    }
    s << "  \"options|" << cmd.path << "\") reply=(";
    for (const auto& opt : cmd.options)
      for (const auto& name : opt.names)
        s << " '" << name << ":" << zsh_quote_description(opt.description) << "'";
    s << " ) ;;\n";
  });
  s << "  *) reply=() ;;\n  esac\n}\n\n";
  s << "_zenolint_valued()\n{\n  case \"$1\" in\n";
  for (const auto& t : tables)
    s << "  \"" << t.path << "\") reply=(" << join(t.valued, " ") << ") ;;\n";
  s << "  esac\n}\n\n";
  s << "_zenolint_choices()\n{\n  case \"$1|$2\" in\n";
  for (const auto& t : tables)
    for (const auto& [opt, values] : t.choices)
      s << "  \"" << t.path << "|" << opt << "\") reply=(" << join(values, " ") << ") ;;\n";
  s << "  *) reply=() ;;\n  esac\n}\n\n";
  s << R"sh(_zenolint()
{
  local cmdpath="" word i skip=0
  local -a reply valued commands
  for ((i = 2; i < CURRENT; i++)); do
    word=${words[i]}
    if ((skip)); then
      skip=0
      continue
    fi
    case $word in
    --*=*) ;;
    -*)
      _zenolint_valued "$cmdpath"
      ((${reply[(Ie)$word]})) && skip=1
      ;;
    *)
      _zenolint_described commands "$cmdpath"
      commands=(${reply%%:*})
      ((${commands[(Ie)$word]})) && cmdpath=${cmdpath:+$cmdpath }$word
      ;;
    esac
  done
  local prev=${words[CURRENT - 1]}
  _zenolint_valued "$cmdpath"
  valued=($reply)
  if ((CURRENT > 2)) && ((${valued[(Ie)$prev]})); then
    _zenolint_choices "$cmdpath" "$prev"
    if ((${#reply})); then
      compadd -a reply
    else
      _files
    fi
    return
  fi
  if [[ $PREFIX == -* ]]; then
    _zenolint_described options "$cmdpath"
    _describe -t options 'option' reply
    return
  fi
  _zenolint_described commands "$cmdpath"
  if ((${#reply})); then
    _describe -t commands 'command' reply
  else
    _files
  fi
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _zenolint "$@"
else
  compdef _zenolint zenolint
fi
)sh";
  return s.str();
}

std::string fish_quote(std::string_view text)
{
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_script(const CommandDoc& root)
{
  std::ostringstream s;
  s << "# fish completion for zenolint. Generated by `zenolint completion fish` from the same\n"
       "# definitions as `zenolint --help`; do not edit.\n\n"
       "complete -c zenolint -f\n\n";
  // A command path "rules list" is active when every word of it was seen and, for a command with
  // subcommands, none of those yet.
  for_each_command(root, [&](const CommandDoc& cmd) {
    std::string cond;
    if (cmd.path.empty()) {
      cond = "__fish_use_subcommand";
    } else {
      std::stringstream words(cmd.path);
      for (std::string w; words >> w;)
        cond += (cond.empty() ? "" : "; and ") + std::string("__fish_seen_subcommand_from ") + w;
      if (!cmd.subcommands.empty()) {
        std::vector<std::string> subs;
        for (const auto& sub : cmd.subcommands)
          subs.push_back(sub.name);
        cond += "; and not __fish_seen_subcommand_from " + join(subs, " ");
      }
    }
    std::string prefix = "complete -c zenolint -n " + fish_quote(cond);
    for (const auto& sub : cmd.subcommands)
      s << prefix << " -a " << sub.name << " -d " << fish_quote(sub.description) << '\n';
    for (const auto& opt : cmd.options) {
      s << prefix;
      for (const auto& name : opt.names)
        s << (name.rfind("--", 0) == 0 ? " -l " + name.substr(2) : " -s " + name.substr(1));
      if (!opt.metavar.empty())
        s << (opt.choices.empty() ? " -r -F" : " -x -a " + fish_quote(join(opt.choices, " ")));
      s << " -d " << fish_quote(opt.description) << '\n';
    }
    if (cmd.subcommands.empty() && !cmd.positionals.empty() && !cmd.path.empty())
      s << prefix << " -F\n";
  });
  return s.str();
}

} // namespace

std::string metavar(CLI::Option& opt)
{
  auto choices = choices_of(opt);
  if (!choices.empty())
    return "{" + join(choices, "|") + "}";
  std::string full = opt.get_type_name();
  std::string base = full.substr(0, full.find(':'));
  if (!is_generic_type(base))
    return base;
  if (base == "UINT" || base == "INT" || base == "NUMBER")
    return "N";
  if (opt.get_lnames().empty())
    return base.empty() ? "VALUE" : base;
  std::string name = opt.get_lnames().front();
  for (auto& c : name)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

void use_clean_help(CLI::App& app)
{
  for (CLI::Option* opt : app.get_options({})) {
    if (!takes_value(*opt))
      continue;
    if (!opt->nonpositional()) {
      // The positional's name is already its placeholder.
      opt->option_text(opt->get_expected_max() > 1 ? "..." : " ");
      continue;
    }
    std::string text = metavar(*opt);
    if (opt->get_expected_max() > 1)
      text += " ...";
    if (opt->get_required())
      text += " (required)";
    opt->option_text(text);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    use_clean_help(*sub);
}

CommandDoc describe(CLI::App& app)
{
  return describe_at(app, "");
}

std::string man_page(const CommandDoc& root, std::string_view version)
{
  std::ostringstream s;
  s << ".\\\" Generated by `zenolint help --man` from the definitions behind `zenolint --help`.\n"
       ".TH ZENOLINT 1 \"\" \"zenolint "
    << roff(version) << "\" \"User Commands\"\n"
    << ".SH NAME\nzenolint \\- " << roff(root.description.substr(root.description.find(": ") + 2))
    << "\n.SH SYNOPSIS\n";
  for (const auto& cmd : root.subcommands) {
    if (cmd.subcommands.empty())
      s << usage_words(cmd) << "\n.br\n";
    else
      for (const auto& sub : cmd.subcommands)
        s << usage_words(sub) << "\n.br\n";
  }
  s << ".SH DESCRIPTION\n"
       "zenolint finds Zenodo personal access tokens (zenodo.org and sandbox.zenodo.org) in "
       "working "
       "trees, in the whole git history and in credential files such as \\fI~/.zenodorc\\fR, and "
       "reports them as text, JSON, SARIF or GitLab secret-detection reports. Secrets are redacted "
       "unless \\fB\\-\\-show\\-secrets\\fR is given.\n"
       ".SH OPTIONS\n";
  for (const auto& opt : root.options)
    s << ".TP\n" << option_heading(opt) << '\n' << roff(opt.description) << '\n';
  s << ".SH COMMANDS\n";
  for_each_command(root, [&](const CommandDoc& cmd) {
    if (cmd.path.empty())
      return;
    s << ".SS \"" << roff(cmd.path) << "\"\n"
      << usage_words(cmd) << "\n.PP\n"
      << roff(cmd.description) << '\n';
    for (const auto& p : cmd.positionals)
      s << ".TP\n\\fI" << roff(p.positional) << "\\fR\n" << roff(p.description) << '\n';
    for (const auto& opt : cmd.options) {
      s << ".TP\n" << option_heading(opt) << '\n' << roff(opt.description);
      if (!opt.choices.empty())
        s << " (one of: " << roff(join(opt.choices, ", ")) << ")";
      if (opt.repeatable && opt.description.find("repeatable") == std::string::npos)
        s << " (repeatable)";
      if (opt.required)
        s << " (required)";
      s << '\n';
    }
  });
  s << ".SH EXIT STATUS\n"
       ".TP\n.B 0\nNo findings at or above \\fB\\-\\-fail\\-on\\fR (default \\fIwarning\\fR).\n"
       ".TP\n.B 1\nFindings remain (or the status given with \\fB\\-\\-exit\\-code\\fR).\n"
       ".TP\n.B 2\nUsage error or fatal error. Files or objects that cannot be read are "
       "diagnostics on standard error; the scan goes on.\n"
       ".SH ENVIRONMENT\n"
       ".TP\n.B NO_COLOR\nWhen set to a non-empty value, no colour unless "
       "\\fB\\-\\-color always\\fR (see https://no\\-color.org).\n"
       ".TP\n.B XDG_CONFIG_HOME\nAlso searched by \\fBconfig check\\fR for credential files.\n"
       ".TP\n.B ZENOLINT\nThe command the installed git hooks run (default: \\fBzenolint\\fR "
       "on \\fBPATH\\fR).\n"
       ".SH FILES\n"
       ".TP\n.I .zenolintignore\nFingerprints and path globs to ignore, at the repository root.\n"
       ".TP\n.I "
    << roff(app::client_files_in_home())
    << "\nCredential files checked by "
       "\\fBconfig check\\fR.\n"
       ".SH SEE ALSO\n\\fBgit\\fR(1), \\fBgithooks\\fR(5), https://pre\\-commit.com\n";
  return s.str();
}

const std::vector<std::string>& completion_shells()
{
  static const std::vector<std::string> shells{"bash", "zsh", "fish"};
  return shells;
}

std::string completion_script(const CommandDoc& root, std::string_view shell)
{
  if (shell == "bash")
    return bash_script(root);
  if (shell == "zsh")
    return zsh_script(root);
  if (shell == "fish")
    return fish_script(root);
  return {};
}

} // namespace zenolint::cli
