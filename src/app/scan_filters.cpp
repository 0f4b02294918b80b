#include "app/scan_stages.hpp"
#include "core/error.hpp"

namespace zenolint::app {

void apply_filters(const ScanCommand& cmd, const source::RootInfo& root, report::Report& rep)
{
  (void)root;
  (void)rep;
  if (!cmd.baseline.empty())
    throw Error("--baseline is not available yet");
}

} // namespace zenolint::app
