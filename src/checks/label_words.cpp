#include "checks/label_words.hpp"

#include "core/text.hpp"
#include "match/instance.hpp"

#include <cctype>

namespace zenolint::checks {
namespace {

bool ends_with(std::string_view s, std::string_view suffix)
{
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Instance word_claim(std::string_view word)
{
  return match::word_instance(word);
}

bool is_alnum(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Word spans [begin, end) of `label`, split as label_words() describes.
std::vector<std::pair<std::size_t, std::size_t>> word_spans(std::string_view label)
{
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t i = 0;
  while (i < label.size()) {
    if (!is_alnum(label[i])) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < label.size() && is_alnum(label[j]) &&
           !(std::islower(static_cast<unsigned char>(label[j - 1])) &&
             std::isupper(static_cast<unsigned char>(label[j]))))
      ++j;
    spans.emplace_back(i, j);
    i = j;
  }
  return spans;
}

} // namespace

std::vector<std::string> label_words(std::string_view label)
{
  std::vector<std::string> words;
  for (auto [b, e] : word_spans(label))
    words.emplace_back(label.substr(b, e - b));
  return words;
}

Instance label_claim(std::string_view label)
{
  return match::name_instance(label);
}

std::string suggest_label(std::string_view label, Instance target)
{
  // Keep the label's own separators: drop each claiming word with the separator before it.
  std::string out;
  std::size_t last = 0;
  for (auto [b, e] : word_spans(label)) {
    std::string_view word = label.substr(b, e - b);
    if (word_claim(word) == Instance::unknown) {
      out.append(label.substr(last, e - last));
    } else {
      std::string_view word_lower_check = word;
      // "mysandbox"/"tokenprod": keep the part before the claiming suffix.
      std::string w = ascii_lower(word_lower_check);
      std::size_t keep = 0;
      for (std::string_view suffix : {"sandbox", "production", "prod"})
        if (w.size() > suffix.size() && ends_with(w, suffix)) {
          keep = w.size() - suffix.size();
          break;
        }
      if (keep > 0)
        out.append(label.substr(last, b + keep - last));
    }
    last = e;
  }
  while (!out.empty() && !is_alnum(out.back()))
    out.pop_back();
  if (out.empty())
    out = "TOKEN";
  bool upper = true;
  for (char c : out)
    if (std::islower(static_cast<unsigned char>(c)))
      upper = false;
  if (target == Instance::sandbox)
    out += upper ? "_SB" : "_sb";
  return out;
}

} // namespace zenolint::checks
