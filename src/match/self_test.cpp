#include "match/self_test.hpp"

#include "match/matcher.hpp"

namespace zenolint::match {
namespace {

// A short, single-line excerpt of an example with token-like runs redacted.
std::string excerpt(const std::string& text)
{
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < 60) {
    std::size_t j = i;
    while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j])))
      ++j;
    if (j - i >= 16) {
      out += text.substr(i, 4) + "\u2026";
      i = j;
      continue;
    }
    char c = text[i++];
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return "'" + out + (i < text.size() ? "...'" : "'");
}

} // namespace

SelfTestResult self_test(const rules::RuleSet& rules)
{
  SelfTestResult result;
  Matcher matcher(rules);
  for (const auto& rule : rules.rules) {
    ++result.rules;
    std::string where = rule.source_file + ": rule " + rule.id + ": ";
    for (std::size_t i = 0; i < rule.examples.size(); ++i) {
      const auto& ex = rule.examples[i];
      ++result.examples;
      auto matches = matcher.match_rule(rule.id, ex.path, ex.text);
      if (matches.empty()) {
        result.failures.push_back(where + "example " + std::to_string(i + 1) + " " +
                                  excerpt(ex.text) + " does not match");
        continue;
      }
      if (ex.instance && matches.front().instance != *ex.instance)
        result.failures.push_back(where + "example " + std::to_string(i + 1) + " " +
                                  excerpt(ex.text) + " has instance " +
                                  std::string(to_string(matches.front().instance)) + ", expected " +
                                  std::string(to_string(*ex.instance)));
    }
    for (std::size_t i = 0; i < rule.negative_examples.size(); ++i) {
      const auto& ex = rule.negative_examples[i];
      ++result.negative_examples;
      if (!matcher.match_rule(rule.id, ex.path, ex.text).empty())
        result.failures.push_back(where + "negative example " + std::to_string(i + 1) + " " +
                                  excerpt(ex.text) + " matches");
    }
  }
  return result;
}

} // namespace zenolint::match
