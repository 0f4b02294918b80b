#define CATCH_CONFIG_MAIN
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <iostream>

namespace {

// After a failed test case, says how to replay its random choices (test tokens, random inputs).
struct SeedOnFailure : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseEnded(const Catch::TestCaseStats& stats) override
  {
    if (stats.totals.assertions.failed > 0)
      std::cerr << "test tokens: replay with ZENOLINT_TEST_SEED=" << zenolint::test::test_seed()
                << " (test case \"" << stats.testInfo.name << "\")\n";
  }
};

} // namespace

CATCH_REGISTER_LISTENER(SeedOnFailure)
