#include "rules/message.hpp"

namespace zenolint::rules {
namespace {

// One pass over a template for both validation and rendering: literal text and placeholders are
// appended to the current segment; a segment inside [...] is kept only if every placeholder in it
// was non-empty. Returns an error text for an invalid template.
std::optional<std::string> expand(std::string_view tmpl, const MessageFields* fields,
                                  std::string* out)
{
  std::string segment;
  bool in_optional = false;
  bool keep = true;
  auto flush = [&] {
    if (out && keep)
      *out += segment;
    segment.clear();
    keep = true;
  };
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    bool doubled = i + 1 < tmpl.size() && tmpl[i + 1] == c;
    if ((c == '[' || c == ']' || c == '{' || c == '}') && doubled) {
      segment += c;
      ++i;
      continue;
    }
    if (c == '[') {
      if (in_optional)
        return "optional segments cannot be nested (write [[ for a literal '[')";
      flush();
      in_optional = true;
    } else if (c == ']') {
      if (!in_optional)
        return "']' without '[' (write ]] for a literal ']')";
      flush();
      in_optional = false;
    } else if (c == '}') {
      return "'}' without '{' (write }} for a literal '}')";
    } else if (c == '{') {
      auto close = tmpl.find('}', i + 1);
      if (close == std::string_view::npos)
        return "unterminated placeholder (write {{ for a literal '{')";
      std::string_view name = tmpl.substr(i + 1, close - i - 1);
      std::string_view value;
      if (name == "id")
        value = fields ? fields->id : "";
      else if (name == "name")
        value = fields ? fields->name : "";
      else if (name == "instance")
        value = fields ? fields->instance : "";
      else if (name == "label")
        value = fields ? fields->label : "";
      else if (name == "reason")
        value = fields ? fields->reason : "";
      else
        return "unknown placeholder {" + std::string(name) +
               "} (known: {id}, {name}, {instance}, {label}, {reason})";
      if (in_optional && value.empty())
        keep = false;
      segment += value;
      i = close;
    } else {
      segment += c;
    }
  }
  if (in_optional)
    return "'[' without ']'";
  flush();
  return std::nullopt;
}

} // namespace

std::optional<std::string> message_template_error(std::string_view tmpl)
{
  if (tmpl.empty())
    return std::string("empty message");
  return expand(tmpl, nullptr, nullptr);
}

std::string render_message(std::string_view tmpl, const MessageFields& fields)
{
  std::string out;
  expand(tmpl, &fields, &out);
  return out;
}

} // namespace zenolint::rules
