// tests/support: a missing test tool is named, with how scripts/setup.sh installs it.
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tools.hpp"

#include <catch2/catch.hpp>

using namespace zenolint::test;

TEST_CASE("support: running a missing program names it and the setup script", "[unit][support]")
{
  CHECK_THROWS_WITH(run({"zenolint-test-no-such-tool", "--version"}),
                    Catch::Contains("`zenolint-test-no-such-tool` is not installed"));
  CHECK_THAT(missing_tool_message("node"), Catch::Contains("`node`") &&
                                               Catch::Contains("scripts/setup.sh --test") &&
                                               Catch::Contains("nodejs"));
  CHECK_THAT(missing_tool_message("pre-commit"), Catch::Contains("Debian package pre-commit"));
  CHECK_FALSE(tool_available("zenolint-test-no-such-tool"));
  CHECK(tool_available("sh"));
  CHECK_THROWS_WITH(require_tool("zenolint-test-no-such-tool"),
                    Catch::Contains("zenolint-test-no-such-tool"));
  // A program that runs and exits 127 itself is not "missing".
  CHECK(run({"sh", "-c", "exit 127"}).status == 127);
}

TEST_CASE("support: every package the helper names is one scripts/setup.sh installs",
          "[unit][support]")
{
  std::string setup = read_file(std::string(ZENOLINT_SOURCE_DIR) + "/scripts/setup.sh");
  for (const char* command :
       {"node", "npm", "pre-commit", "python3", "openssl", "bsdtar", "zip", "zstd", "xz", "bzip2",
        "git-filter-repo", "clang++", "zsh", "fish", "groff", "debootstrap", "git", "gzip"}) {
    std::string package = setup_package_of(command);
    INFO(command << " -> " << package);
    REQUIRE_FALSE(package.empty());
    bool listed = setup.find(" " + package + " ") != std::string::npos ||
                  setup.find("(" + package + " ") != std::string::npos ||
                  setup.find(" " + package + ")") != std::string::npos ||
                  setup.find(" " + package + "\n") != std::string::npos;
    CHECK(listed);
  }
}
