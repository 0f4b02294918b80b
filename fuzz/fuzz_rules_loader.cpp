// The rules loader (rules/loader) on a hostile rule file; rules that load are compiled into a
// matcher and checked against their own examples, as `--rules DIR` does.
#include "core/error.hpp"
#include "match/matcher.hpp"
#include "match/self_test.hpp"
#include "rules/loader.hpp"

#include <cstddef>
#include <cstdint>

using namespace zenolint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto loaded = rules::parse_rule_file(text, "fuzz.json");
    rules::RuleSet set;
    rules::merge(set, std::move(loaded));
    match::Matcher matcher(set);
    auto result = match::self_test(set);
    volatile std::size_t sink = result.failures.size();
    (void)sink;
  } catch (const Error&) {
    // a rejected rule file: the expected outcome for most inputs
  }
  return 0;
}
