#include "match/self_test.hpp"
#include "rules/loader.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace zenolint;

TEST_CASE("default rules pass their own examples", "[rules]")
{
  auto set = rules::default_rules();
  auto result = match::self_test(set);
  for (const auto& f : result.failures)
    UNSCOPED_INFO(f);
  CHECK(result.failures.empty());
  CHECK(result.rules == set.rules.size());
}

TEST_CASE("every default rule has at least 5 examples and 5 negative examples", "[rules]")
{
  for (const auto& r : rules::default_rules().rules) {
    INFO(r.id);
    CHECK(r.examples.size() >= 5);
    CHECK(r.negative_examples.size() >= 5);
  }
}

TEST_CASE("default rules keep their documented ids", "[rules]")
{
  auto set = rules::default_rules();
  for (const char* id : {"zenodo/assignment", "zenodo/ini-section", "zenodo/zenodorc",
                         "zenodo/zenodopy-token-file", "zenodo/uploader-toml", "zenodo/client-call",
                         "zenodo/url-access-token", "zenodo/bearer", "zenodo/generic-near"})
    CHECK(set.find(id) != nullptr);
}
