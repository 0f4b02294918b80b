#include "app/scan_stages.hpp"

namespace zenolint::app {

void run_checks(const ScanCommand& cmd, const source::RootInfo& root, const source::Batch& batch,
                report::Report& rep)
{
  // Credential-file checks arrive with the credential-file hygiene work; nothing to add yet.
  (void)cmd;
  (void)root;
  (void)batch;
  (void)rep;
}

} // namespace zenolint::app
