#pragma once
// Message templates of token rules (JSON "message"). A template is text with placeholders and
// optional segments:
//   {id} {name}        the rule's id and name
//   {instance}         "production" or "sandbox"; empty when the instance is unknown
//   {label}            the name the secret was assigned to; empty when the rule captures none
//   {reason}           why the match counts (e.g. the file that calls the Zenodo API); may be empty
//   [ ... ]            an optional segment: left out when any placeholder inside it is empty
//   {{ }} [[ ]]        a literal brace or bracket
// Example: "Zenodo [{instance} ]access token ({name})[ under '{label}'][; {reason}]."
// The secret itself is never a placeholder: messages never contain it.
#include <optional>
#include <string>
#include <string_view>

namespace zenolint::rules {

struct MessageFields {
  std::string_view id;
  std::string_view name;
  std::string_view instance;
  std::string_view label;
  std::string_view reason;
};

// The message of a token rule whose file gives none (rule files written before "message").
inline constexpr std::string_view default_message_template =
    "Zenodo [{instance} ]access token in plain text ({name})[ under '{label}'][; {reason}].";

// Why `tmpl` is not a valid template (unknown placeholder, unbalanced or nested brackets, a stray
// brace), or nullopt when it is.
std::optional<std::string> message_template_error(std::string_view tmpl);

// `tmpl` (valid: checked by the loader) with the placeholders filled in.
std::string render_message(std::string_view tmpl, const MessageFields& fields);

} // namespace zenolint::rules
