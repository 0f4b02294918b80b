// Input-depth recursion (issue 14): JSON nested a million levels deep in a rule file or a baseline
// is an error naming the file, never a stack overflow (nlohmann's parser and destructor are
// iterative; the loaders never walk or dump a value of unbounded depth).
#include "app/baseline.hpp"
#include "core/error.hpp"
#include "rules/loader.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace zenolint;

namespace {

std::string nested(std::size_t depth, const std::string& key)
{
  return "{\"" + key + "\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

} // namespace

TEST_CASE("a rule file nested a million levels deep is an error naming it", "[dos][rules]")
{
  bool named = false;
  try {
    rules::parse_rule_file(nested(1000000, "rules"), "deep.json");
  } catch (const Error& e) {
    named = std::string(e.what()).find("deep.json") != std::string::npos;
  }
  CHECK(named);
}

TEST_CASE("a baseline nested a million levels deep is an error naming it", "[dos][baseline]")
{
  test::TempDir dir;
  std::ofstream(dir / "b.json") << "{\"zenolint_baseline\": 1, \"findings\": " +
                                       std::string(1000000, '[') + std::string(1000000, ']') + "}";
  std::vector<Diagnostic> diags;
  bool named = false;
  try {
    app::Baseline::load(dir / "b.json", diags); // the nested entry is ignored with a diagnostic
    named = diags.size() == 1 && diags[0].subject.find("b.json") != std::string::npos;
  } catch (const Error& e) {
    named = std::string(e.what()).find("b.json") != std::string::npos;
  }
  CHECK(named);
}
