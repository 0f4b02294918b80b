#include "cli/cli.hpp"

int main(int argc, char** argv)
{
  return zenolint::cli::run(argc, argv);
}
