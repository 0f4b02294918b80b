#include "rules/loader.hpp"

#include "core/error.hpp"
#include "core/read_file.hpp"
#include "match/pattern.hpp"
#include "rules/embedded.hpp"
#include "rules/message.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace zenolint::rules {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& rule_id,
                       const std::string& what)
{
  std::string where = origin;
  if (!rule_id.empty())
    where += ": rule " + rule_id;
  throw Error(where + ": " + what);
}

std::string get_string(const json& j, const char* key, const std::string& origin,
                       const std::string& id, bool required)
{
  auto it = j.find(key);
  if (it == j.end()) {
    if (required)
      fail(origin, id, std::string("missing field '") + key + "'");
    return {};
  }
  if (!it->is_string())
    fail(origin, id, std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

std::vector<std::string> get_string_list(const json& j, const char* key, const std::string& origin,
                                         const std::string& id, bool required)
{
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end()) {
    if (required)
      fail(origin, id, std::string("missing field '") + key + "'");
    return out;
  }
  if (!it->is_array())
    fail(origin, id, std::string("field '") + key + "' must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string())
      fail(origin, id, std::string("field '") + key + "' must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<Example> get_examples(const json& j, const char* key, const std::string& origin,
                                  const std::string& id)
{
  std::vector<Example> out;
  auto it = j.find(key);
  if (it == j.end())
    fail(origin, id, std::string("missing field '") + key + "'");
  if (!it->is_array())
    fail(origin, id, std::string("field '") + key + "' must be an array");
  for (const auto& v : *it) {
    Example ex;
    if (v.is_string()) {
      ex.text = v.get<std::string>();
    } else if (v.is_object()) {
      ex.text = get_string(v, "text", origin, id, true);
      if (auto p = get_string(v, "path", origin, id, false); !p.empty())
        ex.path = p;
      if (auto inst = get_string(v, "instance", origin, id, false); !inst.empty()) {
        ex.instance = parse_instance(inst);
        if (!ex.instance)
          fail(origin, id,
               "example instance must be production, sandbox or unknown, not '" + inst + "'");
      }
    } else {
      fail(origin, id, std::string("entries of '") + key + "' must be strings or objects");
    }
    out.push_back(std::move(ex));
  }
  return out;
}

// help, references, tags, precision: what reporters show, for every kind of rule.
void parse_reporter_fields(const json& j, const std::string& origin, Rule& r)
{
  const auto& id = r.id;
  r.help = get_string(j, "help", origin, id, true);
  r.references = get_string_list(j, "references", origin, id, true);
  r.tags = get_string_list(j, "tags", origin, id, false);
  if (auto p = get_string(j, "precision", origin, id, false); !p.empty()) {
    if (p != "very-high" && p != "high" && p != "medium" && p != "low")
      fail(origin, id, "precision must be very-high, high, medium or low");
    r.precision = p;
  }
}

// A credential-file check: reporter metadata only, the check itself is code (src/checks/).
Rule parse_check_fields(const json& j, const std::string& origin, Rule r)
{
  parse_reporter_fields(j, origin, r);
  static const char* known[] = {"id",   "kind",       "name", "description", "severity",
                                "help", "references", "tags", "precision"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    if (std::find_if(std::begin(known), std::end(known),
                     [&name = key](const char* k) { return name == k; }) == std::end(known))
      fail(origin, r.id,
           "field '" + key +
               "' is not allowed in a rule of kind credential-file (metadata of a "
               "built-in check)");
  }
  return r;
}

Rule parse_rule(const json& j, const std::string& origin, std::size_t index, bool check_patterns,
                bool lean)
{
  // RE2 compiles each pattern to check it; the embedded rules were checked when they were built
  // and tested, and the matcher compiles what it runs (once, when first needed).
  auto pattern_error = [check_patterns](const std::string& pattern, bool need_secret_group) {
    return check_patterns ? match::pattern_error(pattern, need_secret_group) : std::nullopt;
  };
  if (!j.is_object())
    fail(origin, "", "rule #" + std::to_string(index + 1) + " is not an object");
  Rule r;
  r.source_file = origin;
  auto id_it = j.find("id");
  if (id_it == j.end() || !id_it->is_string() || id_it->get<std::string>().empty())
    fail(origin, "#" + std::to_string(index + 1), "missing field 'id'");
  r.id = id_it->get<std::string>();
  const auto& id = r.id;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' ||
          c == '.'))
      fail(origin, id, "id may contain only letters, digits, '/', '-', '_' and '.'");
  // `kind` and `message` came after the first rule format: a rule file written before them (a
  // user's own --rules) still loads, as a token rule with the default message.
  if (j.contains("kind")) {
    auto kind = get_string(j, "kind", origin, id, true);
    if (auto parsed = parse_rule_kind(kind))
      r.kind = *parsed;
    else
      fail(origin, id, "kind must be token or credential-file, not '" + kind + "'");
  }
  r.name = get_string(j, "name", origin, id, true);
  r.description = get_string(j, "description", origin, id, true);
  auto sev = get_string(j, "severity", origin, id, true);
  auto parsed = parse_severity(sev);
  if (!parsed)
    fail(origin, id, "severity must be error, warning or note, not '" + sev + "'");
  r.severity = *parsed;
  if (r.kind == RuleKind::credential_file)
    return parse_check_fields(j, origin, std::move(r));
  r.message = j.contains("message") ? get_string(j, "message", origin, id, true)
                                    : std::string(default_message_template);
  if (auto err = message_template_error(r.message))
    fail(origin, id, "message: " + *err);
  if (auto it = j.find("label_checks"); it != j.end()) {
    if (!it->is_boolean())
      fail(origin, id, "field 'label_checks' must be a boolean");
    r.label_checks = it->get<bool>();
  }
  r.pattern = get_string(j, "pattern", origin, id, true);
  if (auto err = pattern_error(r.pattern, true))
    fail(origin, id, "pattern: " + *err);
  r.keywords = get_string_list(j, "keywords", origin, id, true);
  for (auto& k : r.keywords) {
    if (k.empty())
      fail(origin, id, "empty keyword");
    std::transform(k.begin(), k.end(), k.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  r.path_pattern = get_string(j, "path_pattern", origin, id, false);
  if (!r.path_pattern.empty())
    if (auto err = pattern_error(r.path_pattern, false))
      fail(origin, id, "path_pattern: " + *err);
  if (auto it = j.find("path_required"); it != j.end()) {
    if (!it->is_boolean())
      fail(origin, id, "field 'path_required' must be a boolean");
    r.path_required = it->get<bool>();
    if (r.path_required && r.path_pattern.empty())
      fail(origin, id, "path_required needs a path_pattern");
  }
  if (auto it = j.find("context"); it != j.end()) {
    if (!it->is_object())
      fail(origin, id, "field 'context' must be an object");
    r.context.near = get_string(*it, "near", origin, id, false);
    r.context.section = get_string(*it, "section", origin, id, false);
    if (!r.context.near.empty())
      if (auto err = pattern_error(r.context.near, false))
        fail(origin, id, "context.near: " + *err);
    if (!r.context.section.empty())
      if (auto err = pattern_error(r.context.section, false))
        fail(origin, id, "context.section: " + *err);
    if (auto scope = get_string(*it, "scope", origin, id, false); !scope.empty()) {
      if (scope != "lines" && scope != "file" && scope != "heading" && scope != "repository")
        fail(origin, id,
             "context.scope must be lines, file, heading or repository, not '" + scope + "'");
      r.context.whole_file = scope == "file";
      r.context.heading = scope == "heading";
      r.context.repository = scope == "repository";
    }
    for (const auto& [key, value] : it->items())
      if (key != "near" && key != "section" && key != "window" && key != "scope")
        fail(origin, id, "unknown field 'context." + key + "'");
    if (auto w = it->find("window"); w != it->end()) {
      // Compared as JSON numbers: get<int>() would wrap 4294967297 to 1.
      if (!w->is_number_integer() || *w < 0 || *w > 1000)
        fail(origin, id, "context.window must be an integer between 0 and 1000");
      r.context.window = w->get<int>();
    }
  }
  if (r.keywords.empty() && r.path_pattern.empty() && !r.context.repository)
    fail(origin, id, "needs at least one keyword or a path_pattern (or context.scope repository)");
  if (r.context.repository && !r.context.near.empty())
    fail(origin, id, "context.scope repository takes no context.near");
  if (auto inst = get_string(j, "instance", origin, id, false); !inst.empty()) {
    if (inst == "infer")
      r.instance = InstancePolicy::infer;
    else if (inst == "production")
      r.instance = InstancePolicy::production;
    else if (inst == "sandbox")
      r.instance = InstancePolicy::sandbox;
    else
      fail(origin, id, "instance must be infer, production or sandbox, not '" + inst + "'");
  }
  if (auto inst = get_string(j, "default_instance", origin, id, false); !inst.empty()) {
    r.default_instance = parse_instance(inst);
    if (!r.default_instance)
      fail(origin, id,
           "default_instance must be production, sandbox or unknown, not '" + inst + "'");
    if (r.instance != InstancePolicy::infer)
      fail(origin, id, "default_instance needs \"instance\": \"infer\"");
  }
  if (auto it = j.find("min_entropy"); it != j.end()) {
    if (!it->is_number() || it->get<double>() < 0.0 || it->get<double>() > 6.0)
      fail(origin, id, "min_entropy must be a number between 0 and 6 (bits per character)");
    r.min_entropy = it->get<double>();
  }
  r.exclude = get_string(j, "exclude", origin, id, false);
  if (!r.exclude.empty())
    if (auto err = pattern_error(r.exclude, false))
      fail(origin, id, "exclude: " + *err);
  if (auto it = j.find("token_checks"); it != j.end()) {
    if (!it->is_boolean())
      fail(origin, id, "field 'token_checks' must be a boolean");
    r.token_checks = it->get<bool>();
  }
  if (auto decode = get_string(j, "decode", origin, id, false); !decode.empty()) {
    if (decode != "base64")
      fail(origin, id, "decode must be base64, not '" + decode + "'");
    r.decode_base64 = true;
  }
  parse_reporter_fields(j, origin, r);
  if (!lean) {
    r.examples = get_examples(j, "examples", origin, id);
    r.negative_examples = get_examples(j, "negative_examples", origin, id);
  }
  if (r.examples.empty() && !lean)
    fail(origin, id, "needs at least one example");
  for (const auto& item : j.items()) {
    const std::string& key =
        item.key(); // a named variable: lambdas cannot capture bindings (C++17)
    static const char* known[] = {"id",
                                  "kind",
                                  "message",
                                  "label_checks",
                                  "name",
                                  "description",
                                  "severity",
                                  "pattern",
                                  "keywords",
                                  "path_pattern",
                                  "path_required",
                                  "context",
                                  "instance",
                                  "default_instance",
                                  "min_entropy",
                                  "exclude",
                                  "token_checks",
                                  "decode",
                                  "help",
                                  "references",
                                  "tags",
                                  "precision",
                                  "examples",
                                  "negative_examples"};
    if (std::find_if(std::begin(known), std::end(known),
                     [&name = key](const char* k) { return name == k; }) == std::end(known))
      fail(origin, id, "unknown field '" + key + "'");
  }
  return r;
}

} // namespace

const Rule* RuleSet::find(std::string_view id) const
{
  for (const auto* list : {&rules, &checks})
    for (const auto& r : *list)
      if (r.id == id)
        return &r;
  return nullptr;
}

RuleMeta to_meta(const Rule& rule)
{
  RuleMeta m;
  m.id = rule.id;
  m.kind = rule.kind;
  m.name = rule.name;
  m.description = rule.description;
  m.help = rule.help;
  m.references = rule.references;
  m.severity = rule.severity;
  m.tags = rule.tags;
  m.precision = rule.precision;
  m.label_checks = rule.label_checks;
  return m;
}

std::vector<Rule> parse_rule_file(std::string_view json_text, const std::string& origin,
                                  bool check_patterns, bool lean)
{
  // Where the parser is, for errors the JSON library reports without a position (a number such as
  // 1e999 that does not fit a double): the rule (by index, and id once seen) and the field.
  struct Position {
    int depth = 0;
    std::size_t rule = 0; // 1-based index in "rules" of the rule being parsed, 0 outside
    std::string id;
    std::string key;
  } pos;
  auto track = [&pos](int /*depth*/, json::parse_event_t event, json& value) {
    switch (event) {
    case json::parse_event_t::object_start:
    case json::parse_event_t::array_start:
      if (++pos.depth == 3 && event == json::parse_event_t::object_start) {
        ++pos.rule;
        pos.id.clear();
      }
      break;
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      --pos.depth;
      break;
    case json::parse_event_t::key:
      pos.key = value.is_string() ? value.get<std::string>() : std::string();
      break;
    case json::parse_event_t::value:
      if (pos.depth == 3 && pos.key == "id" && value.is_string())
        pos.id = value.get<std::string>();
      break;
    }
    return true;
  };
  json doc;
  try {
    doc = json::parse(json_text, track);
  } catch (const json::parse_error& e) {
    fail(origin, "", std::string("invalid JSON: ") + e.what());
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (auto close = what.find("] "); what.rfind("[json.exception.", 0) == 0 && close != what.npos)
      what.erase(0, close + 2);
    std::string rule = pos.rule == 0    ? std::string()
                       : pos.id.empty() ? "#" + std::to_string(pos.rule)
                                        : pos.id;
    fail(origin, rule,
         (pos.key.empty() ? std::string() : "field '" + pos.key + "': ") + "invalid JSON: " + what);
  }
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array())
    fail(origin, "", "expected an object with a 'rules' array");
  std::vector<Rule> out;
  const auto& arr = doc["rules"];
  for (std::size_t i = 0; i < arr.size(); ++i)
    out.push_back(parse_rule(arr[i], origin, i, check_patterns, lean));
  RuleSet check;
  merge(check, out); // duplicate ids within one file
  return out;
}

void merge(RuleSet& set, std::vector<Rule> more)
{
  for (auto& r : more) {
    if (const Rule* existing = set.find(r.id))
      fail(r.source_file, r.id,
           "duplicate rule id (also defined in " + existing->source_file + ")");
    (r.kind == RuleKind::token ? set.rules : set.checks).push_back(std::move(r));
  }
}

RuleSet default_rules(bool examples)
{
  RuleSet set;
  for (const auto& f : embedded_rule_files())
    merge(set, parse_rule_file(examples ? f.content : f.lean, std::string(f.name), false, !examples));
  return set;
}

std::vector<Rule> load_rule_dir(const std::string& dir)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(dir + ": not a directory of rule files");
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json")
      files.push_back(it->path());
  if (ec)
    throw Error(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Rule> out;
  for (const auto& f : files) {
    std::string text; // a regular file, opened without blocking on a FIFO
    ReadFileError err;
    if (!read_regular_file(f.string(), std::uint64_t{16} << 20, text, &err))
      throw Error(f.string() + ": cannot read rule file: " + err.message);
    auto rules = parse_rule_file(text, f.string());
    for (auto& r : rules) {
      if (r.kind != RuleKind::token)
        fail(f.string(), r.id,
             "kind " + std::string(to_string(r.kind)) +
                 " is reserved for zenolint's built-in checks; rule files add token rules");
      out.push_back(std::move(r));
    }
  }
  return out;
}

RuleSet load(const std::vector<std::string>& extra_dirs, bool include_defaults,
             bool default_examples)
{
  RuleSet set = include_defaults ? default_rules(default_examples) : RuleSet{};
  for (const auto& d : extra_dirs)
    merge(set, load_rule_dir(d));
  return set;
}

} // namespace zenolint::rules
