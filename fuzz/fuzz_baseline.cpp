// The baseline loader (app/baseline) on a hostile baseline file.
#include "app/baseline.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"

using namespace zenolint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const std::string path = fuzz::scratch() / "baseline.json";
  fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<Diagnostic> diagnostics;
  try {
    auto baseline = app::Baseline::load(path, diagnostics);
    Finding f;
    f.rule_id = "zenodo/assignment";
    f.fingerprint = std::string(64, 'a');
    volatile bool sink = baseline.contains(f) || baseline.size() == 0;
    (void)sink;
  } catch (const Error&) {
    // not a baseline: the expected outcome for most inputs
  }
  return 0;
}
